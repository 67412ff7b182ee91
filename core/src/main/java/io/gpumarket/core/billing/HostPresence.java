package io.gpumarket.core.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a machine's agent was heard from, as GPU charging needs it: the silences it came back from, and, if it is
 * silent now, when that silence began (its last contact plus the liveness threshold for {@code unknown}).
 *
 * @param silences  recorded silences, any order
 * @param silentFrom the start of a silence still going on, or null while the agent is heard from
 */
public record HostPresence(List<Silence> silences, Instant silentFrom) {
    public static final HostPresence ALWAYS = new HostPresence(List.of(), null);

    public HostPresence {
        silences = List.copyOf(silences);
    }

    /** Milliseconds of [a, b] in which the host was silent (silences merged, so an overlap counts once). */
    long silentMillis(long a, long b) {
        if (b <= a) return 0;
        if (silences.isEmpty() && silentFrom == null) return 0;
        List<long[]> spans = new ArrayList<>(silences.size() + 1);
        for (Silence s : silences) spans.add(new long[] {s.from().toEpochMilli(), s.to().toEpochMilli()});
        if (silentFrom != null) spans.add(new long[] {silentFrom.toEpochMilli(), Long.MAX_VALUE});
        spans.sort(Comparator.comparingLong(s -> s[0]));
        long total = 0;
        long coveredTo = a;
        for (long[] s : spans) {
            long from = Math.max(s[0], coveredTo);
            long to = Math.min(s[1], b);
            if (to > from) {
                total += to - from;
                coveredTo = to;
            }
        }
        return total;
    }
}
