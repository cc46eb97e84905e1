package org.rumpmount.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.rumpmount.vfs.VfsException;

/** Turns an IOException into the short text a user reads after a file name. */
final class HostErrors {
    private HostErrors() {
    }

    /** strerror-like text: the errno's description for kernel errors, a reason for host errors. */
    static String describe(IOException e) {
        if (e instanceof VfsException ve) {
            return ve.errno().description();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * The full message with its detail, for errors that are not about one operand (mounting):
     * a kernel error's own message followed by its errno name.
     */
    static String detail(IOException e) {
        if (e instanceof VfsException ve) {
            String m = ve.getMessage();
            String prefix = ve.errno().name() + ": ";
            return (m.startsWith(prefix) ? m.substring(prefix.length()) : m) + " (" + ve.errno().name() + ")";
        }
        if (e instanceof FileSystemException) {
            return describe(e);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
