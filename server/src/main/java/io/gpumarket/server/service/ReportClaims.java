package io.gpumarket.server.service;

import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.store.Store;
import java.time.Instant;

/**
 * An agent's instance reports are claims (docs/billing.md, "Traffic claims"). Numbers no measurement gives (negative
 * counters or usage, non-finite figures) make the whole sync a 400 before anything of it is applied: a well-behaved
 * agent never sends them, and guessing what was meant would bill someone for it. Counters that are well-formed but
 * implausible (growing faster than the machine's link) are recorded only as far as they are plausible, and reported
 * against the machine, by the store in the transaction that records them ({@code BillingRepo.recordTraffic}).
 */
final class ReportClaims {
    private ReportClaims() {}

    /** @throws DomainException.BadRequest naming the instance and the field */
    static void validate(InstanceReport r) {
        counter(r, "rx_bytes", r.rxBytes());
        counter(r, "tx_bytes", r.txBytes());
        figure(r, "disk_usage", r.diskUsageGb());
        figure(r, "cpu_util", r.cpuUtil());
    }

    /** Traffic counts bytes of the current run; agents whose launcher cannot measure it send none. */
    static void recordTraffic(Store store, long machineId, InstanceReport r, Instant started, Instant now) {
        long rx = r.rxBytes() == null ? 0 : r.rxBytes();
        long tx = r.txBytes() == null ? 0 : r.txBytes();
        if (started != null && (rx > 0 || tx > 0)) {
            store.repos().billing().recordTraffic(r.id(), machineId, started, rx, tx, now);
        }
    }

    private static void counter(InstanceReport r, String field, Long value) {
        if (value != null && value < 0) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "instance " + r.id() + ": " + field + " counts bytes and cannot be negative, got " + value);
        }
    }

    private static void figure(InstanceReport r, String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "instance " + r.id() + ": " + field + " must be a finite number of at least 0, got " + value);
        }
    }
}
