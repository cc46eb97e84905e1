package org.rumpmount.block;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process that opens an image as another rumpmount would: prints {@code HELD} or
 * {@code REFUSED <message>}, then keeps the device open until its standard input closes.
 * Arguments: the image path and {@code rw} or {@code ro}.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        FileBlockDevice dev;
        try {
            dev = FileBlockDevice.open(Path.of(args[0]), args[1].equals("ro"));
        } catch (BlockDeviceException e) {
            System.out.println("REFUSED " + e.getMessage());
            return;
        }
        System.out.println("HELD");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait for the test to let go
            }
        }
        dev.close();
    }
}
