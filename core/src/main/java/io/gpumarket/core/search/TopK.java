package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields.Kind;
import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best {@code limit} offers under an {@code order}, kept in a bounded heap whose head is the worst kept
 * offer: a page of 5 out of 300,000 matches costs about one comparison per match instead of a full sort.
 * Numbers (and booleans, 0 < 1) and normalized text sort in the asked direction, nulls last either way, then
 * id ascending.
 */
final class TopK {
    /** One kept offer and its sort values. */
    static final class Candidate {
        final Partition partition;
        final int row;
        final long id;
        final double[] numbers;
        final String[] texts;

        Candidate(Partition partition, int row, long id, double[] numbers, String[] texts) {
            this.partition = partition;
            this.row = row;
            this.id = id;
            this.numbers = numbers;
            this.texts = texts;
        }
    }

    private static final int ID = ColumnLayout.offerNumber("id");

    private final ColumnLayout.Column[] columns;
    private final boolean[] text;
    private final boolean[] descending;
    private final int limit;
    private final PriceContext context;
    private final PriorityQueue<Candidate> heap;

    TopK(List<OrderKey> order, int limit, PriceContext context) {
        this.columns = order.stream().map(k -> ColumnLayout.column(k.field())).toArray(ColumnLayout.Column[]::new);
        this.text = new boolean[columns.length];
        this.descending = new boolean[columns.length];
        for (int k = 0; k < columns.length; k++) {
            text[k] = columns[k].kind() == Kind.STRING;
            descending[k] = order.get(k).descending();
        }
        this.limit = limit;
        this.context = context;
        this.heap = new PriorityQueue<>(Math.min(limit, 1024) + 1, (a, b) -> compare(b, a));
    }

    /** Considers the rows[0..n) of a partition. */
    void add(Partition p, int[] rows, int n) {
        double[][] numbers = new double[columns.length][];
        String[][] texts = new String[columns.length][];
        for (int k = 0; k < columns.length; k++) {
            if (text[k]) texts[k] = texts(columns[k], p, rows, n);
            else numbers[k] = NumSource.of(columns[k], p, context).gather(p, rows, n);
        }
        double[] ids = p.offerNumbers[ID];
        for (int i = 0; i < n; i++) {
            long id = (long) ids[rows[i]];
            // Once the page is full, most rows lose to its worst offer: decide that before building anything.
            if (heap.size() == limit && compareRow(numbers, texts, i, id, heap.peek()) >= 0) continue;
            double[] nums = new double[columns.length];
            String[] strs = new String[columns.length];
            for (int k = 0; k < columns.length; k++) {
                if (text[k]) strs[k] = texts[k][i];
                else nums[k] = numbers[k][i];
            }
            if (heap.size() == limit) heap.poll();
            heap.add(new Candidate(p, rows[i], id, nums, strs));
        }
    }

    /** The kept offers, best first. */
    List<Candidate> best() {
        List<Candidate> out = new ArrayList<>(heap);
        out.sort(this::compare);
        return out;
    }

    /** Negative when a ranks before b. */
    private int compare(Candidate a, Candidate b) {
        for (int k = 0; k < columns.length; k++) {
            int c = text[k] ? compareTexts(a.texts[k], b.texts[k], descending[k])
                    : compareNumbers(a.numbers[k], b.numbers[k], descending[k]);
            if (c != 0) return c;
        }
        return Long.compare(a.id, b.id);
    }

    /** {@link #compare} of the i-th gathered row against a kept candidate. */
    private int compareRow(double[][] numbers, String[][] texts, int i, long id, Candidate b) {
        for (int k = 0; k < columns.length; k++) {
            int c = text[k] ? compareTexts(texts[k][i], b.texts[k], descending[k])
                    : compareNumbers(numbers[k][i], b.numbers[k], descending[k]);
            if (c != 0) return c;
        }
        return Long.compare(id, b.id);
    }

    private static int compareNumbers(double a, double b, boolean descending) {
        boolean aNull = a != a;
        boolean bNull = b != b;
        if (aNull || bNull) return aNull == bNull ? 0 : aNull ? 1 : -1;
        int c = Double.compare(a + 0.0, b + 0.0);
        return descending ? -c : c;
    }

    private static int compareTexts(String a, String b, boolean descending) {
        if (a == null || b == null) return a == b ? 0 : a == null ? 1 : -1;
        int c = a.compareTo(b);
        return descending ? -c : c;
    }

    private static String[] texts(ColumnLayout.Column column, Partition p, int[] rows, int n) {
        String[] out = new String[n];
        if (column.where() == ColumnLayout.Where.CONSTANT) {
            Arrays.fill(out, (String) column.constant());
            return out;
        }
        String[] dict = p.normalized[column.slot()];
        int[] codes = p.machineCodes[column.slot()];
        for (int i = 0; i < n; i++) out[i] = dict[codes[p.machineOf[rows[i]]]];
        return out;
    }
}
