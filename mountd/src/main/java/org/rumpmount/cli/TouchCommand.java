package org.rumpmount.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.rumpmount.vfs.Errno;
import org.rumpmount.vfs.OpenFlags;
import org.rumpmount.vfs.PathFacade;
import org.rumpmount.vfs.Timespec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** touch: sets access and modification times to now (or -d), creating missing files (mode 0644). */
@Command(name = "touch", description = "Set access and modification times to now or to -d DATE; create missing files.")
final class TouchCommand implements FsCommand {
    @Option(names = "-c", description = "Do not create missing files.")
    boolean noCreate;

    @Option(names = "-d", paramLabel = "DATE",
            description = "YYYY-MM-DD, 'YYYY-MM-DD HH:MM[:SS[.NNNNNNNNN]]' (local time) or @SECONDS[.NNN].")
    String date;

    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<String> files = new ArrayList<>();

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public int run(FsContext ctx) throws CommandFailure {
        Timespec t;
        try {
            t = date == null ? PathFacade.UTIME_NOW : parseDate(date, ctx.zone());
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        int status = 0;
        for (String arg : files) {
            String raw = ctx.raw(arg);
            String abs = ctx.resolve(raw);
            try {
                try {
                    ctx.fs().utimens(abs, t, t);
                } catch (IOException e) {
                    if (!FsContext.is(e, Errno.ENOENT)) {
                        throw e;
                    }
                    if (noCreate) {
                        continue;
                    }
                    ctx.fs().open(abs, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0666 & ~FsContext.UMASK).close();
                    if (date != null) {
                        ctx.fs().utimens(abs, t, t);
                    }
                }
            } catch (IOException e) {
                ctx.warn(raw, e);
                status = 1;
            }
        }
        return status;
    }

    /** Parses -d's forms; IllegalArgumentException naming the text otherwise. */
    static Timespec parseDate(String s, ZoneId zone) {
        try {
            if (s.startsWith("@")) {
                BigDecimal d = new BigDecimal(s.substring(1));
                BigDecimal sec = new BigDecimal(d.toBigInteger().longValueExact());
                if (d.signum() < 0 && d.compareTo(sec) != 0) {
                    sec = sec.subtract(BigDecimal.ONE);
                }
                int nsec = d.subtract(sec).movePointRight(9).intValue();
                return new Timespec(sec.longValueExact(), nsec);
            }
            String iso = s.trim().replace(' ', 'T');
            LocalDateTime ldt = iso.contains("T") ? LocalDateTime.parse(iso) : LocalDate.parse(iso).atStartOfDay();
            var z = ldt.atZone(zone);
            return new Timespec(z.toEpochSecond(), z.getNano());
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid date format '" + s + "'");
        }
    }
}
