package io.gpumarket.store;

import java.time.Instant;
import java.util.List;

/**
 * What a server heard from one machine's agent since its last flush of heartbeats: the first and last contact, and
 * the gaps between two contacts in between that were long enough to be silences (rare: a flush runs every few
 * seconds, a silence takes tens of seconds). Times are as the server's clock read them, before the meter fence.
 *
 * @param gaps pairs of consecutive contacts {@code [before, after]} further apart than the unknown threshold
 */
public record Heard(long machineId, Instant first, Instant last, List<Instant[]> gaps) {
    public Heard {
        if (last.isBefore(first)) throw new IllegalArgumentException("last contact " + last + " before first " + first);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }
}
