package io.gpumarket.core.market;

import java.util.Optional;

/**
 * The filters of vastai's {@code metrics gpu} and {@code gpu-trends}: {@code verified} yes/no/all,
 * {@code hosting_type} secure_cloud (datacenter) / community / all, {@code num_gpus} bucket or all.
 */
public record MarketFilter(Optional<Boolean> verified, Optional<Boolean> datacenter, Optional<Integer> bucket) {
    public static final MarketFilter ALL = new MarketFilter(Optional.empty(), Optional.empty(), Optional.empty());

    /** Parses the query words; a word none of the choices names is an {@link IllegalArgumentException}. */
    public static MarketFilter parse(String verified, String hostingType, String numGpus) {
        Optional<Boolean> v = switch (verified == null ? "all" : verified) {
            case "yes", "true" -> Optional.of(true);
            case "no", "false" -> Optional.of(false);
            case "all" -> Optional.empty();
            default -> throw new IllegalArgumentException("verified must be yes, no or all, got '" + verified + "'");
        };
        Optional<Boolean> d = switch (hostingType == null ? "all" : hostingType) {
            case "secure_cloud" -> Optional.of(true);
            case "community" -> Optional.of(false);
            case "all" -> Optional.empty();
            default ->
                throw new IllegalArgumentException(
                        "hosting_type must be secure_cloud, community or all, got '" + hostingType + "'");
        };
        return new MarketFilter(v, d, GpuBucket.parse(numGpus));
    }

    public boolean admits(MarketSnapshot s) {
        return verified.map(x -> x == s.verified()).orElse(true)
                && datacenter.map(x -> x == s.datacenter()).orElse(true)
                && bucket.map(x -> x == s.bucket()).orElse(true);
    }
}
