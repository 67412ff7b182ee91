package io.gpumarket.core.search;

import java.util.List;

/**
 * Why a search found what it found (asked with {@code "explain": true}): of the offers considered, how many
 * each condition removed in query order (a funnel: passed every earlier condition, failed this one), how many
 * fail it on their own, and how many matched in the end (before the limit). The funnel adds up:
 * considered − Σ eliminated = matched.
 */
public record Explain(int considered, List<Step> steps, int matched) {
    public Explain {
        steps = List.copyOf(steps);
    }

    /**
     * @param key           the key as the client sent it
     * @param field         the offer field it tested
     * @param op            the operator's wire name
     * @param value         the value as the client sent it
     * @param eliminated    offers that passed every earlier condition and failed this one
     * @param failingAlone  offers that fail this condition, whatever the others say
     */
    public record Step(String key, String field, String op, Object value, int eliminated, int failingAlone) {}
}
