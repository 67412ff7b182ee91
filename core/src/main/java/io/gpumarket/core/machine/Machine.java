package io.gpumarket.core.machine;

/**
 * A host's machine as the market sees it: hardware, operator state, and (when listed) its terms.
 *
 * @param listing     null when the machine is not listed (no offers)
 * @param freeGpus    GPUs not held by any contract; offers are carved from these
 * @param reliability 0..1, as shown on offers
 */
public record Machine(
        long id,
        long hostId,
        MachineSpec spec,
        Verification verification,
        double reliability,
        Listing listing,
        int freeGpus) {
    public Machine {
        if (freeGpus < 0 || freeGpus > spec.numGpus()) {
            throw new IllegalArgumentException("free GPUs " + freeGpus + " outside 0.." + spec.numGpus());
        }
    }

    public boolean listed() {
        return listing != null;
    }

    public Machine withListing(Listing l) {
        return new Machine(id, hostId, spec, verification, reliability, l, freeGpus);
    }

    public Machine withVerification(Verification v) {
        return new Machine(id, hostId, spec, v, reliability, listing, freeGpus);
    }

    public Machine withReliability(double r) {
        return new Machine(id, hostId, spec, verification, r, listing, freeGpus);
    }

    public Machine withSpec(MachineSpec s) {
        return new Machine(id, hostId, s, verification, reliability, listing, Math.min(freeGpus, s.numGpus()));
    }
}
