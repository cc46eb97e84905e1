package org.rumpmount.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tukaani.xz.XZInputStream;

/** The reference images in the shared folder: decompressed into target/ once, with their manifests. */
final class SharedImages {
    private SharedImages() {
    }

    /** The shared folder: -Drumpmount.shared, else the folder "shared" beside the repository root. */
    static Path sharedDir() {
        String prop = System.getProperty("rumpmount.shared");
        if (prop != null) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>rumpmount-parent</artifactId>")
                        && !Files.readString(pom).contains("<parent>")) {
                    return d.resolve("../shared").normalize();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }

    /** {@code NAME.img}, decompressed into target/images (kept between runs). */
    static Path image(String name) throws IOException {
        Path xz = sharedDir().resolve("images").resolve(name + ".img.xz");
        Path out = Path.of("target", "images", name + ".img").toAbsolutePath();
        if (Files.isRegularFile(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(xz)) >= 0) {
            return out;
        }
        Files.createDirectories(out.getParent());
        Path part = out.resolveSibling(name + ".img.part");
        try (InputStream in = new XZInputStream(Files.newInputStream(xz)); OutputStream o = Files.newOutputStream(part)) {
            in.transferTo(o);
        }
        Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    /** One manifest entry: its fields as JSON literals (strings unquoted, null as null). */
    record Entry(Map<String, String> fields) {
        String get(String k) {
            return fields.get(k);
        }

        byte[] path() {
            return HexFormat.of().parseHex(fields.get("path_hex"));
        }

        String type() {
            return fields.get("type");
        }
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(null|true|false|-?\\d+|\"((?:[^\"\\\\]++|\\\\.)*+)\")");

    /**
     * The entries of {@code NAME.manifest.json.xz}. The manifest is flat objects of scalars, so
     * a small scanner reads it, each entry starting at its "path" key; the byte-exact fields (path_hex, target_hex) are hex.
     */
    static List<Entry> manifest(String name) throws IOException {
        Path xz = sharedDir().resolve("images").resolve(name + ".manifest.json.xz");
        String json;
        try (InputStream in = new XZInputStream(Files.newInputStream(xz))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = json.indexOf("\"entries\"");
        List<Entry> out = new ArrayList<>();
        Map<String, String> f = new LinkedHashMap<>();
        Matcher fm = FIELD.matcher(json);
        fm.region(json.indexOf('[', start), json.length());
        while (fm.find()) {
            if (fm.group(1).equals("path") && !f.isEmpty()) {
                out.add(new Entry(f));
                f = new LinkedHashMap<>();
            }
            f.put(fm.group(1), fm.group(3) != null ? fm.group(3) : fm.group(2).equals("null") ? null : fm.group(2));
        }
        if (!f.isEmpty()) {
            out.add(new Entry(f));
        }
        return out;
    }

    /** What {@code find IMAGE /} prints for an image with this manifest: every path, in tree order. */
    static byte[] findListing(List<Entry> manifest) {
        List<byte[]> paths = new ArrayList<>();
        for (Entry e : manifest) {
            paths.add(e.path());
        }
        paths.sort(SharedImages::treeOrder);
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        for (byte[] p : paths) {
            listing.writeBytes(p);
            listing.write('\n');
        }
        return listing.toByteArray();
    }

    /** Pre-order of a tree whose children are sorted by bytes: compare component by component. */
    private static int treeOrder(byte[] a, byte[] b) {
        List<byte[]> ca = components(a);
        List<byte[]> cb = components(b);
        for (int i = 0; i < Math.min(ca.size(), cb.size()); i++) {
            int c = Arrays.compareUnsigned(ca.get(i), cb.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ca.size(), cb.size());
    }

    private static List<byte[]> components(byte[] p) {
        List<byte[]> out = new ArrayList<>();
        int start = 1;
        for (int i = 1; i <= p.length; i++) {
            if (i == p.length || p[i] == '/') {
                if (i > start) {
                    out.add(Arrays.copyOfRange(p, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The {@code n} largest regular files whose paths are ASCII (so they pass as arguments as they are). */
    static List<Entry> largestFiles(List<Entry> manifest, int n) {
        List<Entry> files = new ArrayList<>(manifest.stream()
                .filter(e -> "file".equals(e.type()) && e.get("path").chars().allMatch(c -> c < 128)).toList());
        files.sort(Comparator.comparingLong((Entry e) -> Long.parseLong(e.get("size"))).reversed());
        return files.subList(0, n);
    }

    /** Lower-case hex SHA-256, as the manifests give it. */
    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
