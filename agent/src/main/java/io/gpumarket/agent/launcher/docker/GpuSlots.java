package io.gpumarket.agent.launcher.docker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the host's GPUs (by index, as {@code nvidia-smi} numbers them) a contract gets. The server counts
 * free GPUs per machine; which ones is the agent's choice, made when the container is created and kept in its
 * labels for as long as the container exists (a stopped instance keeps its GPUs reserved, as on Vast). Lowest
 * free indexes first.
 */
public final class GpuSlots {
    private GpuSlots() {}

    /**
     * @param machineGpus GPUs on the host
     * @param taken       GPUs held by the host's other containers
     * @param wanted      GPUs of the contract
     * @return the indexes, ascending
     * @throws IllegalStateException when fewer are free than wanted (the message says which are held)
     */
    public static List<Integer> assign(int machineGpus, Collection<List<Integer>> taken, int wanted) {
        Set<Integer> busy = new TreeSet<>();
        taken.forEach(busy::addAll);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < machineGpus && chosen.size() < wanted; i++) {
            if (!busy.contains(i)) chosen.add(i);
        }
        if (chosen.size() < wanted) {
            throw new IllegalStateException(wanted + " GPUs wanted but only " + chosen.size() + " of " + machineGpus
                    + " are free on this host (held: " + busy + ")");
        }
        return List.copyOf(chosen);
    }

    /** "0,2" → [0, 2]; a label that is missing or garbled holds nothing. */
    public static List<Integer> parse(String label) {
        if (label == null || label.isBlank()) return List.of();
        List<Integer> out = new ArrayList<>();
        for (String part : label.split(",")) {
            try {
                out.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return List.copyOf(out);
    }

    public static String format(List<Integer> gpus) {
        return String.join(",", gpus.stream().map(String::valueOf).toList());
    }

    /** Every assignment but the instance's own. */
    static Collection<List<Integer>> others(Map<Long, List<Integer>> byInstance, long id) {
        return byInstance.entrySet().stream()
                .filter(e -> e.getKey() != id)
                .map(Map.Entry::getValue)
                .toList();
    }
}
