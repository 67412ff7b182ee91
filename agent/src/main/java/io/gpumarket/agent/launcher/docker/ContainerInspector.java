package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.NetDev;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine says about this agent's containers: one by instance id, all of them by owner label, the GPUs
 * they hold, their output, and an instance's {@link Inspection} (read by {@link InspectReading}). The writable
 * layer's size is costly for the engine to measure, so it is asked for at most every 30 s per container.
 */
final class ContainerInspector {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerInspector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SIZE_EVERY_NANOS = 30_000_000_000L;

    private final EngineClient engine;
    private final ContainerLabels labels;
    /** Per instance: the last size measured and when (nanoTime). */
    private final Map<Long, long[]> sizeCache = new ConcurrentHashMap<>();

    ContainerInspector(EngineClient engine, ContainerLabels labels) {
        this.engine = engine;
        this.labels = labels;
    }

    /** The engine's inspection of the instance's container; empty when there is none. */
    Optional<JsonNode> find(long id) throws IOException {
        String name = labels.name(id);
        EngineClient.Response r = engine.get("/containers/" + name + "/json");
        if (r.status() == 404) return Optional.empty();
        if (!r.ok()) throw new IOException("inspecting " + name + " answered " + r.status() + ": " + r.message());
        return Optional.of(r.json());
    }

    /** Every container carrying this agent's owner label, running or not. */
    List<JsonNode> ours() throws IOException {
        String filters = JSON.writeValueAsString(labels.ownerFilter());
        EngineClient.Response r = engine.get("/containers/json?all=true&filters=" + EngineClient.q(filters));
        if (!r.ok()) throw new IOException("listing containers answered " + r.status() + ": " + r.message());
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    /** The instance ids of this agent's containers; a container without one is logged and left alone. */
    Set<Long> known() {
        Set<Long> ids = new TreeSet<>();
        try {
            for (JsonNode c : ours()) {
                String label = ContainerLabels.instanceOf(c);
                if (label.matches("\\d{1,18}")) ids.add(Long.parseLong(label));
                else
                    LOG.warn(
                            "container {} carries this agent's owner label but no instance id; left as it is",
                            c.path("Names").path(0).asText());
            }
        } catch (IOException e) {
            LOG.warn("cannot list this agent's containers: {}", e.getMessage());
        }
        return ids;
    }

    /** The host GPUs held by this agent's containers other than instance {@code except}'s. */
    List<List<Integer>> heldGpus(long except) throws IOException {
        List<List<Integer>> held = new ArrayList<>();
        for (JsonNode c : ours()) {
            if (ContainerLabels.instanceOf(c).equals(Long.toString(except))) continue;
            held.add(ContainerLabels.gpusOf(c));
        }
        return held;
    }

    /**
     * The instance's state as the launcher reports it. An engine that cannot be reached reads as stopped with
     * the reason, never as an exit: the container may well still run.
     *
     * @param stopAsked whether this agent stopped it
     */
    Inspection inspect(long instanceId, boolean stopAsked) {
        try {
            Optional<JsonNode> found = find(instanceId);
            if (found.isEmpty())
                return new Inspection(
                        State.ABSENT, null, 0, 0, 0, "no container for instance " + instanceId + " on this host");
            return InspectReading.read(
                    labels.name(instanceId), found.get(), stopAsked, diskBytes(instanceId), probe(instanceId));
        } catch (IOException e) {
            return new Inspection(
                    State.STOPPED, null, 0, 0, 0, "the container engine cannot be reached: " + e.getMessage());
        }
    }

    /** The container's output, stdout and stderr together; empty when there is no container. */
    byte[] logs(long instanceId) throws IOException {
        return logs(instanceId, "");
    }

    /** The container's output as {@link #logs(long)}, with the engine's own filters ({@code &since=…&tail=…}). */
    private byte[] logs(long instanceId, String filters) throws IOException {
        String name = labels.name(instanceId);
        try (EngineClient.Connection c =
                engine.open("GET", "/containers/" + name + "/logs?stdout=true&stderr=true" + filters, null, Map.of())) {
            if (c.status() == 404) return new byte[0];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (c.status() / 100 != 2)
                throw new IOException("the engine answered " + c.status() + " for the logs of " + name);
            if ("application/vnd.docker.raw-stream".equals(c.header("Content-Type")))
                c.body().transferTo(out);
            else Frames.demux(c.body(), out, out);
            return out.toByteArray();
        }
    }

    /** Drops what is remembered of a destroyed instance's container. */
    void forget(long instanceId) {
        sizeCache.remove(instanceId);
    }

    private InspectReading.Probe probe(long id) {
        return new InspectReading.Probe() {
            @Override
            public double cpuSeconds() {
                return ContainerInspector.this.cpuSeconds(id);
            }

            @Override
            public NetDev.Counters traffic(long pid) {
                return NetDev.ofProcess(pid);
            }

            @Override
            public Optional<String> lastLine() {
                try {
                    return InspectReading.lastLine(logs(id));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }

            @Override
            public List<String> outputSince(long epochSeconds) {
                try {
                    return new String(logs(id, "&since=" + epochSeconds + "&tail=200"), StandardCharsets.UTF_8)
                            .lines()
                            .toList();
                } catch (IOException e) {
                    return List.of();
                }
            }
        };
    }

    private long diskBytes(long id) {
        long[] cached = sizeCache.get(id);
        long now = System.nanoTime();
        if (cached != null && now - cached[1] < SIZE_EVERY_NANOS) return cached[0];
        long bytes = cached == null ? 0 : cached[0];
        try {
            EngineClient.Response r = engine.get("/containers/" + labels.name(id) + "/json?size=true");
            if (r.ok()) bytes = r.json().path("SizeRw").asLong(bytes);
        } catch (IOException e) {
            // keep the last figure
        }
        sizeCache.put(id, new long[] {bytes, now});
        return bytes;
    }

    private double cpuSeconds(long id) {
        try {
            EngineClient.Response r =
                    engine.get("/containers/" + labels.name(id) + "/stats?stream=false&one-shot=true");
            if (!r.ok()) return 0;
            return r.json()
                            .path("cpu_stats")
                            .path("cpu_usage")
                            .path("total_usage")
                            .asLong(0)
                    / 1e9;
        } catch (IOException e) {
            return 0;
        }
    }
}
