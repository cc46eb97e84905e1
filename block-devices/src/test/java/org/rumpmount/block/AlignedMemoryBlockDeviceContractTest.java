package org.rumpmount.block;

/** The contract for a memory device with 4 KiB sectors that demands aligned transfers. */
final class AlignedMemoryBlockDeviceContractTest extends BlockDeviceContract {
    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) {
        return MemoryBlockDevice.of(contents, 4096, true, readOnly);
    }
}
