package io.gpumarket.server.service;

import io.gpumarket.core.billing.History;
import io.gpumarket.core.billing.HostPresence;
import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.MeteredContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded histories of a set of contracts, read in four statements whatever their number (status changes,
 * traffic, their machines' silences and last contacts). A machine's silence still going on starts at its last
 * contact plus the unknown threshold; it cannot touch instants the meter has charged while the machine was heard
 * from, so reading it now gives the usage the meter charged.
 */
final class Histories {
    private Histories() {}

    static Map<Long, History> of(BillingRepo billing, List<MeteredContract> contracts, Duration unknownAfter) {
        List<Long> ids = contracts.stream().map(MeteredContract::id).toList();
        List<Long> machines =
                contracts.stream().map(MeteredContract::machineId).distinct().toList();
        Map<Long, List<StatusChange>> changes = new HashMap<>();
        for (StatusChange c : billing.changesOf(ids))
            changes.computeIfAbsent(c.instanceId(), k -> new ArrayList<>()).add(c);
        Map<Long, List<TrafficSample>> traffic = new HashMap<>();
        for (TrafficSample s : billing.trafficOf(ids))
            traffic.computeIfAbsent(s.instanceId(), k -> new ArrayList<>()).add(s);
        Map<Long, List<Silence>> silences = new HashMap<>();
        for (Silence s : billing.silencesOf(machines))
            silences.computeIfAbsent(s.machineId(), k -> new ArrayList<>()).add(s);
        Map<Long, Instant> contacts = billing.contacts(machines);
        Map<Long, History> out = new LinkedHashMap<>();
        for (MeteredContract c : contracts) {
            Instant seen = contacts.get(c.machineId());
            HostPresence host = new HostPresence(
                    silences.getOrDefault(c.machineId(), List.of()),
                    seen == null ? Instant.EPOCH : seen.plus(unknownAfter));
            out.put(
                    c.id(),
                    new History(
                            c.id(),
                            c.ownerId(),
                            c.machineId(),
                            c.hostId(),
                            c.terms(),
                            c.lifetime(),
                            changes.getOrDefault(c.id(), List.of()),
                            traffic.getOrDefault(c.id(), List.of()),
                            host));
        }
        return out;
    }
}
