package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.InstanceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ties a container to this agent, its instance and its contract: the container's name and its labels. Labels
 * are how a restarted agent finds and adopts its containers (never recreating them), how several agents share one
 * engine (the owner label is the agent's state directory, as dev mode's agents do), and why a container from an
 * earlier contract with the same instance id is never handed to a new renter (the contract label is a digest of
 * the instance's own API key). Pure: reads and writes labels, calls no engine.
 *
 * @param owner      the agent's state directory, absolute: the owner label of its containers
 * @param namePrefix {@code gpumarket-<8 hex of the owner's digest>-}, so agents sharing an engine never clash
 */
record ContainerLabels(String owner, String namePrefix) {
    static final String INSTANCE = "io.gpumarket.instance";
    static final String OWNER = "io.gpumarket.owner";
    static final String CONTRACT = "io.gpumarket.contract";
    static final String GPUS = "io.gpumarket.gpus";
    static final String DISK = "io.gpumarket.disk_gb";

    /** The labels and names of the agent whose state directory is {@code stateDir}. */
    static ContainerLabels forAgent(Path stateDir) {
        String owner = stateDir.toAbsolutePath().normalize().toString();
        return new ContainerLabels(owner, "gpumarket-" + digest(owner).substring(0, 8) + "-");
    }

    /** The container's name: fixed per agent and instance, so a restarted agent finds it. */
    String name(long instanceId) {
        return namePrefix + instanceId;
    }

    /** The labels of a new container for {@code spec} holding the host GPUs {@code gpus}. */
    Map<String, String> of(InstanceSpec spec, List<Integer> gpus) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, Long.toString(spec.id()));
        labels.put(OWNER, owner);
        labels.put(CONTRACT, contract(spec));
        labels.put(GPUS, GpuSlots.format(gpus));
        labels.put(DISK, Double.toString(spec.diskGb()));
        return labels;
    }

    /** The engine's list filter for this agent's containers ({@code label=owner=…}). */
    Map<String, List<String>> ownerFilter() {
        return Map.of("label", List.of(OWNER + "=" + owner));
    }

    /** Ties a container to one contract: a digest of the instance's own API key (unique per contract). */
    static String contract(InstanceSpec spec) {
        return digest(spec.id() + "/" + (spec.containerApiKey() == null ? "" : spec.containerApiKey()))
                .substring(0, 16);
    }

    /** Whether an inspected container ({@code GET /containers/{name}/json}) belongs to {@code spec}'s contract. */
    static boolean sameContract(JsonNode inspected, InstanceSpec spec) {
        return inspected.path("Config").path("Labels").path(CONTRACT).asText("").equals(contract(spec));
    }

    /** The instance label of a listed container ({@code GET /containers/json}); "" when it has none. */
    static String instanceOf(JsonNode listed) {
        return listed.path("Labels").path(INSTANCE).asText("");
    }

    /** The host GPUs a listed container holds. */
    static List<Integer> gpusOf(JsonNode listed) {
        return GpuSlots.parse(listed.path("Labels").path(GPUS).asText(""));
    }

    /** ", GPUs 0,1" for an inspected container that holds GPUs; else "". */
    static String gpuNote(JsonNode inspected) {
        String gpus = inspected.path("Config").path("Labels").path(GPUS).asText("");
        return gpus.isEmpty() ? "" : ", GPUs " + gpus;
    }

    /** "; disk use … exceeds …" when the writable layer outgrew the rented disk (measured, not enforced); else "". */
    static String diskNote(long bytes, JsonNode inspected) {
        double rentedGb;
        try {
            rentedGb = Double.parseDouble(
                    inspected.path("Config").path("Labels").path(DISK).asText("0"));
        } catch (NumberFormatException e) {
            return "";
        }
        if (rentedGb <= 0 || bytes <= rentedGb * 1e9) return "";
        return String.format("; disk use %.2f GB exceeds the rented %.2f GB", bytes / 1e9, rentedGb);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
