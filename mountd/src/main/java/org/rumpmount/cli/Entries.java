package org.rumpmount.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rumpmount.vfs.Dirent;
import org.rumpmount.vfs.PathFacade;

/** A directory's entries in byte order of their names: how every command walks a tree. */
final class Entries {
    private Entries() {
    }

    /** Raw names of {@code absDir}'s entries, sorted by bytes; "." and ".." only with {@code dots}. */
    static List<Dirent> of(PathFacade fs, String absDir, boolean dots) throws IOException {
        List<Dirent> out = new ArrayList<>();
        for (Dirent d : fs.readdir(absDir)) {
            if (dots || !(d.name().isDot() || d.name().isDotDot())) {
                out.add(d);
            }
        }
        out.sort(Comparator.comparing(Dirent::name));
        return out;
    }

    /** The raw form of an entry's name. */
    static String name(Dirent d) {
        return RawText.of(d.name().bytes());
    }
}
