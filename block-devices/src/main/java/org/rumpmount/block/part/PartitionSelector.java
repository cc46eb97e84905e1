package org.rumpmount.block.part;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which partition a user means, in the syntax the command line accepts after {@code IMAGE@}:
 * <ul>
 *   <li>{@code N}: the partition numbered N in the table's listing (1-based, depth first);</li>
 *   <li>a disklabel letter {@code a}..{@code v}: that partition of the disk's only disklabel;</li>
 *   <li>anything else: a GPT partition name, matched exactly, else ignoring case.</li>
 * </ul>
 * A letter that no disklabel holds is also tried as a GPT name. A selector that matches nothing,
 * or more than one partition, fails with a message that lists what there is to choose from.
 */
public final class PartitionSelector {
    private final String text;

    private PartitionSelector(String text) {
        this.text = text;
    }

    /** A selector from the user's text; empty or blank text is refused. */
    public static PartitionSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty partition selector: give a number, a disklabel letter or a GPT"
                    + " partition name");
        }
        return new PartitionSelector(text);
    }

    /** The selector as the user wrote it. */
    public String text() {
        return text;
    }

    /** The partition of {@code table} this selector names. */
    public Partition select(PartitionTable table) throws PartitionTableException {
        String dev = table.deviceName();
        if (table.partitions().isEmpty()) {
            throw new PartitionTableException(dev + ": partition \"" + text + "\" requested, but the device holds "
                    + (table.isEmpty() ? "no partition table" : "no partitions (" + String.join("; ", table.tables()) + ")"));
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return byNumber(table);
        }
        if (text.length() == 1 && text.charAt(0) >= 'a' && text.charAt(0) < 'a' + Disklabel.MAX_PARTITIONS) {
            List<Partition> lettered = matching(table, p -> p.scheme().isDisklabel() && p.letter() == text.charAt(0));
            if (lettered.size() == 1) {
                return lettered.get(0);
            }
            if (lettered.size() > 1) {
                throw ambiguous(table, "disklabel partition " + text, lettered);
            }
        }
        List<Partition> gpt = matching(table, p -> p.scheme() == PartitionScheme.GPT && p.label().equals(text));
        if (gpt.isEmpty()) {
            gpt = matching(table, p -> p.scheme() == PartitionScheme.GPT
                    && p.label().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT)));
        }
        if (gpt.size() == 1) {
            return gpt.get(0);
        }
        if (gpt.size() > 1) {
            throw ambiguous(table, "GPT partition name \"" + text + "\"", gpt);
        }
        throw new PartitionTableException(dev + ": no partition \"" + text + "\"; choose one of: " + choices(table));
    }

    private Partition byNumber(PartitionTable table) throws PartitionTableException {
        int count = table.partitions().size();
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > count) {
            throw new PartitionTableException(table.deviceName() + ": no partition number " + text + "; the table lists "
                    + count + (count == 1 ? " partition (1)" : " partitions (1 to " + count + ")") + ": " + choices(table));
        }
        return table.partitions().get((int) n - 1);
    }

    private static List<Partition> matching(PartitionTable table, Predicate<Partition> test) {
        List<Partition> out = new ArrayList<>();
        for (Partition p : table.partitions()) {
            if (test.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static PartitionTableException ambiguous(PartitionTable table, String what, List<Partition> candidates) {
        return new PartitionTableException(table.deviceName() + ": " + what + " is ambiguous: it names "
                + candidates.stream().map(p -> p.number() + " (" + place(p) + ")").collect(Collectors.joining(", "))
                + "; give the number instead");
    }

    private static String choices(PartitionTable table) {
        return table.partitions().stream().map(p -> p.number() + " (" + place(p) + ")").collect(Collectors.joining(", "));
    }

    private static String place(Partition p) {
        String s = p.describe() + ", " + p.typeName();
        return p.parent() == null ? s : s + ", in " + p.parent().describe();
    }

    @Override
    public String toString() {
        return text;
    }
}
