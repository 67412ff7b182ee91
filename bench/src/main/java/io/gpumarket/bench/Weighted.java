package io.gpumarket.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Picks items with probability proportional to their weights. Markets are skewed (most hosts have consumer
 * cards, most machines are in a few countries), and a uniform pick would make every filter look equally
 * selective.
 */
final class Weighted<T> {
    private final List<T> items;
    private final double[] cumulative;

    Weighted(List<T> items, ToDoubleFunction<T> weight) {
        if (items.isEmpty()) throw new IllegalArgumentException("nothing to pick from");
        this.items = List.copyOf(items);
        this.cumulative = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            double w = weight.applyAsDouble(items.get(i));
            if (!(w > 0))
                throw new IllegalArgumentException("weight of " + items.get(i) + " must be positive, got " + w);
            sum += w;
            cumulative[i] = sum;
        }
    }

    T pick(Random r) {
        double x = r.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        return items.get(i >= 0 ? Math.min(i + 1, items.size() - 1) : -i - 1);
    }
}
