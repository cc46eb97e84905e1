/**
 * Partition tables: how a whole disk or VM image is divided, so that one partition can be opened
 * as a {@link org.rumpmount.block.WindowBlockDevice} and mounted.
 *
 * <p>{@link org.rumpmount.block.part.PartitionScanner} reads what a device holds into a
 * {@link org.rumpmount.block.part.PartitionTable}: an MBR (with its chain of extended boot records),
 * a GPT (CRC-checked, with the backup copy as fallback), NetBSD disklabels (bare at the start of
 * the disk, or in an MBR slice of type 0xA9; either byte order), FreeBSD bsdlabels (in a slice
 * of type 0xA5) and OpenBSD disklabels (in a slice of type 0xA6, with 48-bit offsets).
 * {@link org.rumpmount.block.part.PartitionSelector} turns what a user writes after
 * {@code IMAGE@} (a number, a disklabel letter or a GPT name) into one
 * {@link org.rumpmount.block.part.Partition}; {@link org.rumpmount.block.part.ImageSpec} splits
 * such an argument.
 *
 * <p>Tables come from the image, so they are untrusted: damage that leaves a table usable becomes
 * a warning, an entry that cannot be used is listed with its problem, and a table that cannot be
 * used at all is a {@link org.rumpmount.block.part.PartitionTableException} naming the device,
 * table, entry and values. Reading never loops without bound and never reads outside the device.
 */
package org.rumpmount.block.part;
