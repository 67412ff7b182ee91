package io.gpumarket.store;

import java.time.Instant;
import java.util.List;

/**
 * The market's health as the database holds it at one instant, for {@code /metrics}: read in a few grouped
 * statements at scrape time, never kept up to date on a request path. What it counts is the whole market (every
 * replica's writes), so any one server replica may serve it.
 *
 * @param machines         machines by listing and verification
 * @param gpus             GPUs by model: on listed machines, under contract (any machine), and idle (listed, free)
 * @param instances        live (not destroyed) instances by the {@code actual_status} their agent last reported
 *                         ({@code null}: not reported yet)
 * @param creditOutstanding micro-dollars of positive balances (what users could still spend)
 * @param debtOutstanding  micro-dollars of negative balances, as a positive number
 * @param setAside         contracts the meter set aside (unpriceable)
 * @param chargedTo        the meter's watermark: everything before it is charged
 * @param silentHosts      machines whose agent was heard at least once but not since the threshold given
 * @param hostAnomalies    implausible host claims recorded, repeats included (ever)
 */
public record MarketStats(
        List<MachineCount> machines,
        List<GpuCount> gpus,
        List<InstanceCount> instances,
        long creditOutstanding,
        long debtOutstanding,
        long setAside,
        Instant chargedTo,
        long silentHosts,
        long hostAnomalies) {

    public record MachineCount(boolean listed, String verification, long count) {}

    public record GpuCount(String model, long listed, long rented, long idle) {}

    public record InstanceCount(String actualStatus, long count) {}
}
