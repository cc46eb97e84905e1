package org.rumpmount.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to mount: -t TYPE, -o OPTIONS and the IMAGE argument, shared by every command on an image. */
final class ImageOptions {
    @Option(names = "-t", paramLabel = "TYPE", defaultValue = "auto",
            description = "File system type (default: ${DEFAULT-VALUE}, which probes the image).")
    String type;

    @Option(names = "-o", paramLabel = "OPTIONS",
            description = "Mount options, comma separated: ro, rw, force, part=N (a partition, as IMAGE@N), or driver options key=value.")
    String options;

    @Parameters(index = "0", paramLabel = "IMAGE",
            description = "The image file (or device), IMAGE@N for its partition N (a number from 'rumpmount probe', a disklabel letter or a GPT partition name), or 'none' for a file system that needs no device (tmpfs).")
    String image;
}
