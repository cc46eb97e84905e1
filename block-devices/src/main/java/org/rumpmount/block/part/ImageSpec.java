package org.rumpmount.block.part;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An image argument as users write it: {@code IMAGE} alone, or {@code IMAGE@SELECTOR} to name one
 * partition of it (see {@link PartitionSelector}). The split is at the last {@code @}, since
 * selectors hold none; but an argument that names an existing file as a whole is that file, so
 * an image whose own name contains {@code @} still opens.
 */
public record ImageSpec(String image, Optional<PartitionSelector> selector) {

    /** Parses {@code arg}, asking the file system whether the whole of it names a file. */
    public static ImageSpec parse(String arg) {
        return parse(arg, ImageSpec::exists);
    }

    /** Parses {@code arg}; {@code exists} says whether a string names an existing file. */
    public static ImageSpec parse(String arg, Predicate<String> exists) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("empty image argument");
        }
        int at = arg.lastIndexOf('@');
        if (at < 0 || exists.test(arg)) {
            return new ImageSpec(arg, Optional.empty());
        }
        if (at == 0) {
            throw new IllegalArgumentException("\"" + arg + "\": no image before the '@'");
        }
        if (at == arg.length() - 1) {
            throw new IllegalArgumentException("\"" + arg + "\": no partition after the '@'; give a number, a"
                    + " disklabel letter or a GPT partition name, e.g. " + arg + "1");
        }
        return new ImageSpec(arg.substring(0, at), Optional.of(PartitionSelector.parse(arg.substring(at + 1))));
    }

    private static boolean exists(String s) {
        try {
            return Files.exists(Path.of(s));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return selector.map(s -> image + "@" + s).orElse(image);
    }
}
