package org.rumpmount.vfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to mount: read-only or not, force, and driver-specific options ("size=64m" for tmpfs).
 * Immutable; build with {@link #builder()}.
 */
public final class MountOptions {
    private final boolean readOnly;
    private final boolean force;
    private final Map<String, String> extra;

    private MountOptions(Builder b) {
        this.readOnly = b.readOnly;
        this.force = b.force;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    public static MountOptions readOnly() {
        return builder().readOnly(true).build();
    }

    public static MountOptions readWrite() {
        return builder().readOnly(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** Mount read-write even though the file system is not clean. */
    public boolean force() {
        return force;
    }

    /** A driver-specific option, "key=value" given as key and value ("flag" alone has value ""). */
    public Optional<String> get(String key) {
        return Optional.ofNullable(extra.get(key));
    }

    public Map<String, String> extra() {
        return extra;
    }

    @Override
    public String toString() {
        return (readOnly ? "ro" : "rw") + (force ? ",force" : "") + (extra.isEmpty() ? "" : "," + extra);
    }

    public static final class Builder {
        private boolean readOnly;
        private boolean force;
        private final Map<String, String> extra = new LinkedHashMap<>();

        public Builder readOnly(boolean ro) {
            this.readOnly = ro;
            return this;
        }

        public Builder force(boolean f) {
            this.force = f;
            return this;
        }

        public Builder option(String key, String value) {
            extra.put(key, value);
            return this;
        }

        public MountOptions build() {
            return new MountOptions(this);
        }
    }
}
