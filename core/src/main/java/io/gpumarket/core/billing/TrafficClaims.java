package io.gpumarket.core.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * A host's traffic counters are claims: its agent says how many bytes an instance sent and received, and the renter
 * pays for them. Before they touch money they are checked against what is physically possible: a counter of one run
 * only grows, and it cannot grow faster than the machine's declared link carries (with a margin for the delay between
 * the agent's reading and the server's recording). What is beyond that is not billed: the growth is clamped to the
 * plausible amount and the finding is recorded against the machine (docs/billing.md, "Traffic claims").
 *
 * <p>Time is the server's only: the elapsed time is between two recordings on the server's clock (the previous
 * sample, or the contract's creation), never the agent's {@code started_at}, which is a claim as well.
 */
public final class TrafficClaims {
    /** The link assumed when a machine declares none ({@code inet_up}/{@code inet_down} 0): 10 Gbit/s. */
    public static final double DEFAULT_LINK_MBPS = 10_000;
    /** Allowed growth is the link's rate times the elapsed time times this, */
    public static final double MARGIN = 1.5;
    /** … plus this much time at the link's rate (readings and recordings are seconds apart at most). */
    public static final long SLACK_MILLIS = 2_000;

    private TrafficClaims() {}

    /** What a finding says went wrong, as recorded against the machine. */
    public enum Kind {
        /** tx_bytes grew faster than the machine's upload link carries */
        UPLOAD_BEYOND_LINK("upload_beyond_link"),
        /** rx_bytes grew faster than the download link carries */
        DOWNLOAD_BEYOND_LINK("download_beyond_link"),
        /** a counter of the same run went down */
        COUNTER_WENT_BACK("counter_went_back");

        public final String wire;

        Kind(String wire) {
            this.wire = wire;
        }
    }

    /** One implausible part of a report: what was claimed (bytes of growth) and what is billed instead. */
    public record Finding(Kind kind, long claimedBytes, long billedBytes, String detail) {}

    /**
     * The growth to bill for each direction, and what was implausible (empty when the report is believable).
     *
     * @param rxBytes download growth billed
     * @param txBytes upload growth billed
     */
    public record Verdict(long rxBytes, long txBytes, List<Finding> findings) {
        public Verdict {
            findings = List.copyOf(findings);
        }

        public boolean plausible() {
            return findings.isEmpty();
        }
    }

    /** The run's counters as last recorded, or none for a new run (its counters count from zero). */
    public record RunCounters(long rxBytes, long txBytes) {
        public static final RunCounters NEW_RUN = new RunCounters(0, 0);
    }

    /**
     * Checks one report of a run's counters.
     *
     * @param previous      the run's counters as last recorded ({@link RunCounters#NEW_RUN} for a new run)
     * @param rxBytes       the run's download counter now claimed (≥ 0: negative counters are refused before this)
     * @param txBytes       the run's upload counter now claimed (≥ 0)
     * @param elapsedMillis server time since the instance's previous traffic sample (of any run) or its creation
     * @param upMbps        the machine's declared upload link (0 or less, NaN: none declared)
     * @param downMbps      its declared download link, likewise
     */
    public static Verdict check(
            RunCounters previous, long rxBytes, long txBytes, long elapsedMillis, double upMbps, double downMbps) {
        if (rxBytes < 0 || txBytes < 0) {
            throw new IllegalArgumentException("byte counters cannot be negative: rx " + rxBytes + ", tx " + txBytes);
        }
        List<Finding> findings = new ArrayList<>(0);
        long rx = growth(previous.rxBytes(), rxBytes, "rx_bytes", findings);
        long tx = growth(previous.txBytes(), txBytes, "tx_bytes", findings);
        rx = clamp(
                rx,
                carriable(downMbps, elapsedMillis),
                Kind.DOWNLOAD_BEYOND_LINK,
                "rx_bytes",
                downMbps,
                elapsedMillis,
                findings);
        tx = clamp(
                tx,
                carriable(upMbps, elapsedMillis),
                Kind.UPLOAD_BEYOND_LINK,
                "tx_bytes",
                upMbps,
                elapsedMillis,
                findings);
        return new Verdict(rx, tx, findings);
    }

    /**
     * The most bytes a link of {@code mbps} (megabits per second; the default when none is declared) can be believed
     * to carry in {@code elapsedMillis}: rate × (elapsed × {@link #MARGIN} + {@link #SLACK_MILLIS}), saturating at
     * {@link Long#MAX_VALUE}.
     */
    public static long carriable(double mbps, long elapsedMillis) {
        double rate = link(mbps) * 1_000_000 / 8 / 1000; // bytes per millisecond
        double millis = Math.max(0, elapsedMillis) * MARGIN + SLACK_MILLIS;
        double bytes = Math.floor(rate * millis);
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /** The declared link, or the default where none (or nonsense) is declared. */
    public static double link(double mbps) {
        return Double.isFinite(mbps) && mbps > 0 ? mbps : DEFAULT_LINK_MBPS;
    }

    private static long growth(long before, long now, String field, List<Finding> findings) {
        if (now >= before) return now - before;
        findings.add(new Finding(
                Kind.COUNTER_WENT_BACK,
                0,
                0,
                field + " of the same run went back from " + before + " to " + now + "; nothing billed for it"));
        return 0;
    }

    private static long clamp(
            long growth,
            long allowed,
            Kind kind,
            String field,
            double mbps,
            long elapsedMillis,
            List<Finding> findings) {
        if (growth <= allowed) return growth;
        findings.add(new Finding(
                kind,
                growth,
                allowed,
                field + " grew by " + growth + " bytes in " + elapsedMillis
                        + " ms; a " + link(mbps) + " Mbit/s link carries at most " + allowed + " (with margin); billed "
                        + allowed));
        return allowed;
    }
}
