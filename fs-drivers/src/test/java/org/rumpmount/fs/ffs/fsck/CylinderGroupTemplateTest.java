package org.rumpmount.fs.ffs.fsck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The header fsck rebuilds for a damaged cylinder group has the layout the group's formatter
 * gave it: on reference images made by NetBSD's makefs and newfs, every group's fixed fields and
 * map offsets (bytes 12 to 24 and 84 to 124: index, cylinders, inode and data block counts, the
 * offsets of every map) equal the template's, and so does the magic.
 */
class CylinderGroupTemplateTest {
    @ParameterizedTest
    @ValueSource(strings = {"ufs1-le", "ufs1-small", "ufs2-le", "ufs2-be", "ufs2-full", "nb-ffs2"})
    void theTemplateMatchesEveryGroupOfAReferenceImage(String name) throws Exception {
        Path img = FsckImages.copy(name, "template");
        try (ImageEditor ed = new ImageEditor(img)) {
            for (int cg = 0; cg < ed.sb.ncg; cg++) {
                ByteBuffer real = ed.disk.readFrags(ed.sb.cgtod(cg), ed.sb.cgsize, "cylinder group " + cg);
                ByteBuffer made = CylinderGroupTemplate.make(ed.sb, cg, real.getInt(120));
                assertEquals(real.getInt(4), made.getInt(4), name + " cg " + cg + " magic");
                for (int off = 12; off < 24; off += 4) {
                    assertEquals(real.getInt(off), made.getInt(off), name + " cg " + cg + " field at byte " + off);
                }
                for (int off = 84; off < 124; off += 4) {
                    assertEquals(real.getInt(off), made.getInt(off), name + " cg " + cg + " field at byte " + off);
                }
            }
        }
    }
}
