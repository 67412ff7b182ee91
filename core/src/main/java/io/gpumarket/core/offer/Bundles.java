package io.gpumarket.core.offer;

import java.util.ArrayList;
import java.util.List;

/** Which GPU bundles a listed machine offers: minChunk, 2×, 4× … up to the free count (Vast's bundling). */
public final class Bundles {
    private Bundles() {}

    public static List<Integer> sizes(int freeGpus, int minChunk) {
        List<Integer> sizes = new ArrayList<>();
        for (long n = minChunk; n <= freeGpus; n *= 2) sizes.add((int) n);
        return sizes;
    }
}
