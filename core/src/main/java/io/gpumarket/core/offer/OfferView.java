package io.gpumarket.core.offer;

import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;

/** One offer as search shows it: a bundle (slot) of a listed machine, with the catalog's figures for its GPU. */
public record OfferView(Machine machine, OfferSlot slot, GpuModel model) {
    public OfferView {
        if (machine == null || slot == null || model == null)
            throw new IllegalArgumentException("machine, slot and model are required");
        if (slot.machineId() != machine.id()) {
            throw new IllegalArgumentException(
                    "offer " + slot.id() + " belongs to machine " + slot.machineId() + ", not " + machine.id());
        }
        if (!machine.listed())
            throw new IllegalArgumentException("machine " + machine.id() + " is not listed; it has no offers");
        if (slot.numGpus() < 1 || slot.numGpus() > machine.spec().numGpus()) {
            throw new IllegalArgumentException("offer " + slot.id() + " has " + slot.numGpus() + " GPUs; machine "
                    + machine.id() + " has " + machine.spec().numGpus());
        }
    }

    public MachineSpec spec() {
        return machine.spec();
    }

    public Listing listing() {
        return machine.listing();
    }

    /** GPUs in this bundle (n). */
    public int gpus() {
        return slot.numGpus();
    }

    /** n / N: the bundle's share of the machine, which its CPU, RAM, disk and ports are split by. */
    public double share() {
        return slot.numGpus() / (double) machine.spec().numGpus();
    }

    /** An integer resource's share, rounded down: a bundle never gets more than its fraction. */
    public long shareOf(long whole) {
        return Math.floorDiv(whole * slot.numGpus(), machine.spec().numGpus());
    }
}
