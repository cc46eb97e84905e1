package org.rumpmount.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into words, over raw text: blanks separate words; '...' quotes
 * literally; "..." quotes with \" \\ \$ \` as escapes; a backslash outside quotes takes the next
 * byte literally; '#' at the start of a word begins a comment.
 */
final class ShellLexer {
    private ShellLexer() {
    }

    /** The words of {@code line}; IllegalArgumentException for an unterminated quote. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                i++;
                continue;
            }
            if (c == '#' && w == null) {
                break;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' quote");
                }
                w.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated \" quote");
                    }
                    char d = line.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        w.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        w.append(d);
                        i++;
                    }
                }
            } else if (c == '\\') {
                if (i + 1 < n) {
                    w.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                w.append(c);
                i++;
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }
}
