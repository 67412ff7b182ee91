package io.gpumarket.store;

import io.gpumarket.core.machine.Machine;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a server needs to answer a fleet of agents' first syncs from memory, read once at its start: the machines most
 * recently heard from by their token's hash, every stored orphan, and which machines have anything live (an instance
 * or a volume), so that the others' desired state is known to be empty.
 *
 * @param byTokenHash machines by the SHA-256 of their token, at most the number asked for, most recently heard first
 * @param orphans     every machine's stored orphans, ids ascending; machines without any are absent
 * @param busy        machines with a live instance or volume
 */
public record AgentFleet(Map<String, Machine> byTokenHash, Map<Long, List<Long>> orphans, Set<Long> busy) {}
