package org.rumpmount.vfs;

/** Receives readdir entries. */
@FunctionalInterface
public interface DirentSink {
    /** Takes one entry; returns false (not taking it) when full, which ends the listing. */
    boolean accept(Dirent entry) throws java.io.IOException;
}
