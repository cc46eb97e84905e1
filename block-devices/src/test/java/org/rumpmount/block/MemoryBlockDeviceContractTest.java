package org.rumpmount.block;

/** The contract for a memory device with 512-byte sectors and no alignment demand. */
final class MemoryBlockDeviceContractTest extends BlockDeviceContract {
    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) {
        return MemoryBlockDevice.of(contents, 512, false, readOnly);
    }
}
