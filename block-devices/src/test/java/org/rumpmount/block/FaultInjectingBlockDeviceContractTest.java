package org.rumpmount.block;

/** The contract for the fault-injecting wrapper with no faults planned, over a memory device. */
final class FaultInjectingBlockDeviceContractTest extends BlockDeviceContract {
    @Override
    protected BlockDevice open(byte[] contents, boolean readOnly) {
        return FaultInjectingBlockDevice.wrap(MemoryBlockDevice.of(contents, 512, false, readOnly), FaultPlan.NONE);
    }
}
