package io.gpumarket.core.search;

import java.util.List;
import java.util.Map;

/**
 * A page of offers, best first, each the JSON object {@code offers[]} carries, and the explanation when the
 * query asked for one (null otherwise).
 */
public record SearchResult(List<Map<String, Object>> offers, Explain explain) {
    public SearchResult {
        offers = List.copyOf(offers);
    }
}
