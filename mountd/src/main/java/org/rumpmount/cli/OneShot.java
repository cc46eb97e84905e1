package org.rumpmount.cli;

import java.time.ZoneId;
import java.util.concurrent.Callable;

/** Runs one {@link FsCommand} on an image: mount, run, unmount. */
final class OneShot implements Callable<Integer> {
    private final FsCommand op;
    private final ImageOptions image = new ImageOptions();
    private final Io io;
    private final ZoneId zone;

    OneShot(FsCommand op, Io io, ZoneId zone) {
        this.op = op;
        this.io = io;
        this.zone = zone;
    }

    ImageOptions image() {
        return image;
    }

    FsCommand op() {
        return op;
    }

    @Override
    public Integer call() throws Exception {
        Boolean ro = MountSpec.readOnly(image.options);
        if (ro == null) {
            ro = !op.writes();
        }
        try (MountedImage m = MountedImage.open(image, ro)) {
            for (String w : m.warnings()) {
                io.err(RawText.ofHost("rumpmount: " + CommandSpecs.name(op) + ": warning: " + w + "\n"));
            }
            FsContext ctx = new FsContext(m.fs(), io, m.name(), false, zone);
            ctx.prefix("rumpmount: " + CommandSpecs.name(op) + ": ");
            int status = op.run(ctx);
            io.flush(); // a write error is this command's failure
            return status;
        }
    }
}
