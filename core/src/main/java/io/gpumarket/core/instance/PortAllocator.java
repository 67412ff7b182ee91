package io.gpumarket.core.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Host ports for a new instance from its machine's direct port range: the lowest ports not held by any live
 * instance of the machine, so ports are reused as soon as an instance is destroyed and stay inside the range
 * the host forwards.
 */
public final class PortAllocator {
    private PortAllocator() {}

    /**
     * @param start first port of the range, -1 when the machine has none
     * @param end   last port of the range (inclusive)
     * @param taken ports held by the machine's live instances
     * @return {@code count} free ports in ascending order, or empty when the range has fewer free
     */
    public static Optional<List<Integer>> allocate(int start, int end, Set<Integer> taken, int count) {
        List<Integer> ports = new ArrayList<>(count);
        if (count == 0) return Optional.of(ports);
        if (start < 0) return Optional.empty();
        for (int p = start; p <= end && ports.size() < count; p++) {
            if (!taken.contains(p)) ports.add(p);
        }
        return ports.size() == count ? Optional.of(ports) : Optional.empty();
    }
}
