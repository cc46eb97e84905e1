package org.rumpmount.vfs;

/** One directory entry as readdir reports it; {@code nextCookie} resumes the listing after it. */
public record Dirent(Name name, long fileid, VType type, long nextCookie) {
}
