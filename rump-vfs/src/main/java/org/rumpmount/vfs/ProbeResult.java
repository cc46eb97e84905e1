package org.rumpmount.vfs;

/**
 * What a driver recognised on a device: its type name and a one-line description
 * (version, byte order, label, clean or dirty, size).
 */
public record ProbeResult(String type, String description) {
}
