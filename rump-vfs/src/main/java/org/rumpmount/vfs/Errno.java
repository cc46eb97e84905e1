package org.rumpmount.vfs;

/**
 * Error numbers as NetBSD numbers them ({@code sys/sys/errno.h}); the kernel speaks only these.
 * Each carries the Linux value used at the FUSE edge ({@link #linux()}); where Linux has no such
 * error, the closest Linux error is given and {@link #exactOnLinux()} is false.
 */
public enum Errno {
    EPERM(1, 1, "Operation not permitted"),
    ENOENT(2, 2, "No such file or directory"),
    ESRCH(3, 3, "No such process"),
    EINTR(4, 4, "Interrupted system call"),
    EIO(5, 5, "Input/output error"),
    ENXIO(6, 6, "Device not configured"),
    E2BIG(7, 7, "Argument list too long"),
    ENOEXEC(8, 8, "Exec format error"),
    EBADF(9, 9, "Bad file descriptor"),
    ECHILD(10, 10, "No child processes"),
    EDEADLK(11, 35, "Resource deadlock avoided"),
    ENOMEM(12, 12, "Cannot allocate memory"),
    EACCES(13, 13, "Permission denied"),
    EFAULT(14, 14, "Bad address"),
    ENOTBLK(15, 15, "Block device required"),
    EBUSY(16, 16, "Device busy"),
    EEXIST(17, 17, "File exists"),
    EXDEV(18, 18, "Cross-device link"),
    ENODEV(19, 19, "Operation not supported by device"),
    ENOTDIR(20, 20, "Not a directory"),
    EISDIR(21, 21, "Is a directory"),
    EINVAL(22, 22, "Invalid argument"),
    ENFILE(23, 23, "Too many open files in system"),
    EMFILE(24, 24, "Too many open files"),
    ENOTTY(25, 25, "Inappropriate ioctl for device"),
    ETXTBSY(26, 26, "Text file busy"),
    EFBIG(27, 27, "File too large"),
    ENOSPC(28, 28, "No space left on device"),
    ESPIPE(29, 29, "Illegal seek"),
    EROFS(30, 30, "Read-only file system"),
    EMLINK(31, 31, "Too many links"),
    EPIPE(32, 32, "Broken pipe"),
    EDOM(33, 33, "Numerical argument out of domain"),
    ERANGE(34, 34, "Result too large or too small"),
    EAGAIN(35, 11, "Resource temporarily unavailable"),
    EINPROGRESS(36, 115, "Operation now in progress"),
    EALREADY(37, 114, "Operation already in progress"),
    ENOTSOCK(38, 88, "Socket operation on non-socket"),
    EDESTADDRREQ(39, 89, "Destination address required"),
    EMSGSIZE(40, 90, "Message too long"),
    EPROTOTYPE(41, 91, "Protocol wrong type for socket"),
    ENOPROTOOPT(42, 92, "Protocol option not available"),
    EPROTONOSUPPORT(43, 93, "Protocol not supported"),
    ESOCKTNOSUPPORT(44, 94, "Socket type not supported"),
    EOPNOTSUPP(45, 95, "Operation not supported"),
    EPFNOSUPPORT(46, 96, "Protocol family not supported"),
    EAFNOSUPPORT(47, 97, "Address family not supported by protocol family"),
    EADDRINUSE(48, 98, "Address already in use"),
    EADDRNOTAVAIL(49, 99, "Can't assign requested address"),
    ENETDOWN(50, 100, "Network is down"),
    ENETUNREACH(51, 101, "Network is unreachable"),
    ENETRESET(52, 102, "Network dropped connection on reset"),
    ECONNABORTED(53, 103, "Software caused connection abort"),
    ECONNRESET(54, 104, "Connection reset by peer"),
    ENOBUFS(55, 105, "No buffer space available"),
    EISCONN(56, 106, "Socket is already connected"),
    ENOTCONN(57, 107, "Socket is not connected"),
    ESHUTDOWN(58, 108, "Can't send after socket shutdown"),
    ETOOMANYREFS(59, 109, "Too many references: can't splice"),
    ETIMEDOUT(60, 110, "Operation timed out"),
    ECONNREFUSED(61, 111, "Connection refused"),
    ELOOP(62, 40, "Too many levels of symbolic links"),
    ENAMETOOLONG(63, 36, "File name too long"),
    EHOSTDOWN(64, 112, "Host is down"),
    EHOSTUNREACH(65, 113, "No route to host"),
    ENOTEMPTY(66, 39, "Directory not empty"),
    EPROCLIM(67, 11, false, "Too many processes"),
    EUSERS(68, 87, "Too many users"),
    EDQUOT(69, 122, "Disc quota exceeded"),
    ESTALE(70, 116, "Stale NFS file handle"),
    EREMOTE(71, 66, "Too many levels of remote in path"),
    EBADRPC(72, 71, false, "RPC struct is bad"),
    ERPCMISMATCH(73, 71, false, "RPC version wrong"),
    EPROGUNAVAIL(74, 71, false, "RPC prog. not avail"),
    EPROGMISMATCH(75, 71, false, "Program version wrong"),
    EPROCUNAVAIL(76, 71, false, "Bad procedure for program"),
    ENOLCK(77, 37, "No locks available"),
    ENOSYS(78, 38, "Function not implemented"),
    EFTYPE(79, 22, false, "Inappropriate file type or format"),
    EAUTH(80, 13, false, "Authentication error"),
    ENEEDAUTH(81, 13, false, "Need authenticator"),
    EIDRM(82, 43, "Identifier removed"),
    ENOMSG(83, 42, "No message of desired type"),
    EOVERFLOW(84, 75, "Value too large to be stored in data type"),
    EILSEQ(85, 84, "Illegal byte sequence"),
    ENOTSUP(86, 95, "Not supported"),
    ECANCELED(87, 125, "Operation canceled"),
    EBADMSG(88, 74, "Bad or corrupt message"),
    ENODATA(89, 61, "No message available"),
    ENOSR(90, 63, "No STREAM resources"),
    ENOSTR(91, 60, "Not a STREAM"),
    ETIME(92, 62, "STREAM ioctl timeout"),
    ENOATTR(93, 61, "Attribute not found"),
    EMULTIHOP(94, 72, "Multihop attempted"),
    ENOLINK(95, 67, "Link has been severed"),
    EPROTO(96, 71, "Protocol error");

    private final int netbsd;
    private final int linux;
    private final boolean exactOnLinux;
    private final String description;

    Errno(int netbsd, int linux, String description) {
        this(netbsd, linux, true, description);
    }

    Errno(int netbsd, int linux, boolean exactOnLinux, String description) {
        this.netbsd = netbsd;
        this.linux = linux;
        this.exactOnLinux = exactOnLinux;
        this.description = description;
    }

    /** The value in NetBSD's numbering, the kernel's own. */
    public int netbsd() {
        return netbsd;
    }

    /** The value to hand to Linux (negated in a FUSE reply). */
    public int linux() {
        return linux;
    }

    /** False where Linux has no such error and {@link #linux()} names the closest one. */
    public boolean exactOnLinux() {
        return exactOnLinux;
    }

    /** strerror(3) text as NetBSD prints it. */
    public String description() {
        return description;
    }

    private static final Errno[] BY_NETBSD = new Errno[128];

    static {
        for (Errno e : values()) {
            BY_NETBSD[e.netbsd] = e;
        }
    }

    /** The errno with this NetBSD number; throws for numbers NetBSD does not define. */
    public static Errno ofNetbsd(int value) {
        if (value <= 0 || value >= BY_NETBSD.length || BY_NETBSD[value] == null) {
            throw new IllegalArgumentException("no NetBSD errno " + value);
        }
        return BY_NETBSD[value];
    }
}
