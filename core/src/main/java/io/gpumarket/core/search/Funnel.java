package io.gpumarket.core.search;

import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Answers a search with {@code "explain": true}: the page, and for each condition in query order how many
 * offers it removed from those that passed the conditions before it, and how many fail it alone. The counts
 * must be exact, so every row of every partition is looked at and no shortcut of {@link PageFinder} is taken;
 * only conditions that a partition's bounds decide whole (exactly) skip their per-row test.
 */
final class Funnel {
    private Funnel() {}

    /**
     * Finds the page and counts, for each condition in query order, what it removes and what fails it alone.
     * Every partition and row is looked at (counts must be exact); bounds still decide whole partitions.
     */
    static Explain run(
            Collection<Partition> partitions, int considered, OfferQuery query, PriceContext prices, TopK top) {
        List<Condition> conditions = query.conditions();
        int[] eliminated = new int[conditions.size()];
        int[] failing = new int[conditions.size()];
        int matched = 0;
        RowFilter.Prepared[] prepared = new RowFilter.Prepared[conditions.size()];
        for (int i = 0; i < prepared.length; i++) prepared[i] = new RowFilter.Prepared(conditions.get(i));
        for (Partition p : partitions) {
            RowFilter[] filters = new RowFilter[prepared.length];
            for (int i = 0; i < prepared.length; i++) filters[i] = prepared[i].bind(p, prices);
            int[] rows = p.rows(List.of());
            int n = rows.length;
            for (int i = 0; i < filters.length; i++) {
                int before = n;
                n = filters[i].apply(rows, n);
                eliminated[i] += before - n;
                failing[i] += p.offers() - filters[i].apply(p.rows(List.of()), p.offers());
            }
            matched += n;
            if (n > 0) top.add(p, rows, n);
        }
        return explain(conditions, eliminated, failing, matched, considered);
    }

    private static Explain explain(
            List<Condition> conditions, int[] eliminated, int[] failing, int matched, int considered) {
        List<Explain.Step> steps = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            steps.add(new Explain.Step(c.key(), c.field(), c.op().wire(), c.raw(), eliminated[i], failing[i]));
        }
        return new Explain(considered, steps, matched);
    }
}
