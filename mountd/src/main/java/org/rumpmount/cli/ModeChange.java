package org.rumpmount.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A chmod mode argument: octal ("755", "04755") or symbolic clauses separated by commas
 * ("u+x,go-w", "a=rX", "g+s", "o=u"), as chmod(1) defines them. Parsed once, applied per file.
 */
final class ModeChange {
    private final Integer absolute;
    private final List<Clause> clauses;

    private record Clause(int who, char op, int perms, char copyFrom, boolean conditionalX) {
    }

    private ModeChange(Integer absolute, List<Clause> clauses) {
        this.absolute = absolute;
        this.clauses = clauses;
    }

    /** Parses a mode; throws IllegalArgumentException naming the bad mode. */
    static ModeChange parse(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid mode: ''");
        }
        if (s.chars().allMatch(c -> c >= '0' && c <= '7')) {
            if (s.length() > 4) {
                throw new IllegalArgumentException("invalid mode: '" + s + "'");
            }
            return new ModeChange(Integer.parseInt(s, 8), List.of());
        }
        List<Clause> clauses = new ArrayList<>();
        for (String clause : s.split(",", -1)) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
                i++;
            }
            if (i == clause.length()) {
                throw new IllegalArgumentException("invalid mode: '" + s + "'");
            }
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                if (op != '+' && op != '-' && op != '=') {
                    throw new IllegalArgumentException("invalid mode: '" + s + "'");
                }
                int perms = 0;
                char copy = 0;
                boolean condX = false;
                if (i < clause.length() && "ugo".indexOf(clause.charAt(i)) >= 0) {
                    copy = clause.charAt(i++);
                } else {
                    while (i < clause.length() && "rwxXst".indexOf(clause.charAt(i)) >= 0) {
                        switch (clause.charAt(i++)) {
                            case 'r' -> perms |= 0444;
                            case 'w' -> perms |= 0222;
                            case 'x' -> perms |= 0111;
                            case 'X' -> condX = true;
                            case 's' -> perms |= 06000;
                            default -> perms |= 01000;
                        }
                    }
                }
                clauses.add(new Clause(who, op, perms, copy, condX));
            }
        }
        return new ModeChange(null, clauses);
    }

    /**
     * The new permission bits for a file with bits {@code mode}. {@code umask} limits clauses
     * that name no user class ("+x" is "a+x" minus the umask), as chmod(1) specifies.
     */
    int apply(int mode, boolean isDirectory, int umask) {
        if (absolute != null) {
            return absolute;
        }
        int m = mode & 07777;
        for (Clause c : clauses) {
            int who = c.who == 0 ? 07777 & ~umask : c.who;
            int value = c.perms;
            if (c.copyFrom != 0) {
                int src = switch (c.copyFrom) {
                    case 'u' -> (m >> 6) & 7;
                    case 'g' -> (m >> 3) & 7;
                    default -> m & 7;
                };
                value = src * 0111;
            }
            if (c.conditionalX && (isDirectory || (m & 0111) != 0)) {
                value |= 0111;
            }
            value &= who;
            switch (c.op) {
                case '+' -> m |= value;
                case '-' -> m &= ~value;
                default -> {
                    int cleared = who;
                    if (isDirectory && (c.perms & 06000) == 0) {
                        cleared &= ~06000; // "=" keeps a directory's setuid/setgid unless it names s
                    }
                    m = (m & ~cleared) | value;
                }
            }
        }
        return m & 07777;
    }
}
