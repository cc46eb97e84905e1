package org.rumpmount.vfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.rumpmount.block.BlockDevice;

/** The file system drivers the kernel knows, by name; loaded with ServiceLoader. */
public final class DriverRegistry {
    private final Map<String, FileSystemDriver> drivers = new LinkedHashMap<>();

    /** A registry of every driver on the class path. */
    public static DriverRegistry load() {
        return load(DriverRegistry.class.getClassLoader());
    }

    public static DriverRegistry load(ClassLoader loader) {
        DriverRegistry r = new DriverRegistry();
        for (FileSystemDriver d : ServiceLoader.load(FileSystemDriver.class, loader)) {
            r.register(d);
        }
        return r;
    }

    /** Adds a driver; a second driver with the same name is refused. */
    public synchronized void register(FileSystemDriver d) {
        if (drivers.putIfAbsent(d.name(), d) != null) {
            throw new IllegalArgumentException("driver " + d.name() + " registered twice");
        }
    }

    public synchronized Optional<FileSystemDriver> get(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    public synchronized List<FileSystemDriver> all() {
        return Collections.unmodifiableList(new ArrayList<>(drivers.values()));
    }

    /** A driver's recognition of a device. */
    public record Match(FileSystemDriver driver, ProbeResult result) {
    }

    /** Every driver that recognises {@code dev}, in registration order. */
    public List<Match> probe(BlockDevice dev) throws IOException {
        List<Match> found = new ArrayList<>();
        for (FileSystemDriver d : all()) {
            Optional<ProbeResult> r = d.probe(dev);
            r.ifPresent(p -> found.add(new Match(d, p)));
        }
        return found;
    }
}
