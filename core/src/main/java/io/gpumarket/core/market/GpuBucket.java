package io.gpumarket.core.market;

import java.util.Optional;

/**
 * vastai's {@code --num-gpus} buckets of the market metrics: a machine counts in the bucket of its GPU count (1, 2, 4,
 * 8; 3 in 2, 5–7 in 4, more than 8 in 8), or every machine for {@code all}.
 */
public final class GpuBucket {
    private GpuBucket() {}

    public static int of(int machineGpus) {
        if (machineGpus >= 8) return 8;
        if (machineGpus >= 4) return 4;
        if (machineGpus >= 2) return 2;
        return 1;
    }

    /** The bucket a query names: empty for {@code all}; a word none names is refused by the caller. */
    public static Optional<Integer> parse(String word) {
        if (word == null || word.equals("all")) return Optional.empty();
        return switch (word) {
            case "1", "2", "4", "8" -> Optional.of(Integer.parseInt(word));
            default -> throw new IllegalArgumentException("num_gpus must be all, 1, 2, 4 or 8, got '" + word + "'");
        };
    }
}
