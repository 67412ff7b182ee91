package io.gpumarket.core.billing;

import java.time.Instant;
import java.util.List;

/**
 * A contract's usage at one instant, with what going on from there needs: the actual status in force, the
 * changed bid in force (if any) and the traffic totals. Advancing a cursor is the one place GPU time is computed. The meter keeps a cursor per contract
 * and advances it tick by tick; the charges pages advance one from the contract's creation; both reach the same
 * usage at the same instant, because the recorded history before a charged instant never changes (the store
 * records every change at or after the meter's watermark).
 *
 * @param status the actual status in force at {@code at} (null: none reported yet)
 */
public record UsageCursor(
        Instant at, String status, long gpuMillis, long rxBytes, long txBytes, Long gpuPrice, GpuCost repriced) {

    /** @param gpuPrice the changed bid in force (per GPU-hour); null while the contract's frozen price is */
    public UsageCursor {
        if (repriced == null) repriced = GpuCost.NONE;
    }

    public UsageCursor(Instant at, String status, long gpuMillis, long rxBytes, long txBytes) {
        this(at, status, gpuMillis, rxBytes, txBytes, null, GpuCost.NONE);
    }

    /** Nothing used yet, at the contract's creation. */
    public static UsageCursor start(Instant created) {
        return new UsageCursor(created, null, 0, 0, 0);
    }

    public Usage usage(Lifetime life) {
        return new Usage(gpuMillis, life.millisUpTo(at), rxBytes, txBytes, repriced);
    }

    /**
     * The cursor at {@code to}: GPU time added for every stretch the status was {@code running} and the host was
     * heard from, before the contract ended; traffic as the latest sample not after {@code to} says. Changes and
     * samples after {@code to} are ignored (the caller keeps them for later); ones before this cursor's instant
     * cannot exist and would be taken as happening at it.
     *
     * @param changes status changes ordered by (at, id)
     * @param traffic traffic samples ordered by (at, id)
     */
    public UsageCursor advance(
            Instant to, List<StatusChange> changes, List<TrafficSample> traffic, HostPresence host, Lifetime life) {
        if (to.isBefore(at)) throw new IllegalArgumentException("cannot advance usage from " + at + " back to " + to);
        long end = life.destroyed() != null
                ? Math.min(to.toEpochMilli(), life.destroyed().toEpochMilli())
                : to.toEpochMilli();
        long t0 = at.toEpochMilli();
        String s = status;
        long gpu = gpuMillis;
        Long price = gpuPrice;
        GpuCost cost = repriced;
        for (StatusChange c : changes) {
            if (c.at().isAfter(to)) break;
            long t1 = Math.max(t0, c.at().toEpochMilli());
            long ran = runningMillis(s, t0, Math.min(t1, end), host);
            gpu += ran;
            if (price != null) cost = cost.plus(ran, price);
            t0 = t1;
            // a changed bid prices what follows; the status in force stays
            if (c.repricing()) price = c.gpuPrice();
            else s = c.status();
        }
        long ran = runningMillis(s, t0, end, host);
        gpu += ran;
        if (price != null) cost = cost.plus(ran, price);
        long rx = rxBytes;
        long tx = txBytes;
        for (TrafficSample sample : traffic) {
            if (sample.at().isAfter(to)) break;
            rx = sample.rxBytes();
            tx = sample.txBytes();
        }
        return new UsageCursor(to, s, gpu, rx, tx, price, cost);
    }

    private static long runningMillis(String status, long from, long to, HostPresence host) {
        if (!StatusChange.RUNNING.equals(status) || to <= from) return 0;
        return (to - from) - host.silentMillis(from, to);
    }
}
