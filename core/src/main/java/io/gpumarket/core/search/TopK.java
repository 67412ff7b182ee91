package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields.Kind;
import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

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
    /** Per number key, room for one partition's gathered sort values; reused from partition to partition. */
    private final double[][] scratch;
    /** The ids in the heap, so that a row considered twice is kept once. */
    private final Set<Long> kept = new HashSet<>();

    TopK(List<OrderKey> order, int limit, PriceContext context) {
        // Loops, not streams, here and in the other per-search set-ups: a search is tens of microseconds, and a
        // stream pipeline's set-up was a few per cent of it in a profile under wrk.
        this.columns = new ColumnLayout.Column[order.size()];
        for (int k = 0; k < columns.length; k++)
            columns[k] = ColumnLayout.column(order.get(k).field());
        this.text = new boolean[columns.length];
        this.descending = new boolean[columns.length];
        for (int k = 0; k < columns.length; k++) {
            text[k] = columns[k].kind() == Kind.STRING;
            descending[k] = order.get(k).descending();
        }
        this.limit = limit;
        this.context = context;
        this.heap = new PriorityQueue<>(Math.min(limit, 1024) + 1, (a, b) -> compare(b, a));
        this.scratch = new double[columns.length][0];
    }

    /** Whether the first sort key is num_gpus, the key the partitions group their rows by. */
    boolean ordersByBundleSize() {
        return columns.length > 0 && columns[0].field().equals("num_gpus");
    }

    /** Whether the first sort key is num_gpus descending. */
    boolean largestBundlesFirst() {
        return descending[0];
    }

    boolean full() {
        return heap.size() == limit;
    }

    int limit() {
        return limit;
    }

    /**
     * Where a partition's first sort values lie for this query; null when unknown (a text key, a computed
     * column without bounds). Partitions are ranked by the {@link #best} value within, and skipped when
     * {@link #mayTake(ZoneMap.Bounds)} says none can enter the page.
     */
    ZoneMap.Bounds firstKeyBounds(Partition p) {
        if (columns.length == 0 || text[0]) return null;
        return NumSource.of(columns[0], p, context).bounds;
    }

    /** The best first sort value within bounds, NaN (sorting last) when they hold no value. */
    double best(ZoneMap.Bounds b) {
        return b.values() == 0 ? Double.NaN : descending[0] ? b.max() : b.min();
    }

    /** Negative when first sort value a ranks before b. */
    int compareFirst(double a, double b) {
        return compareAt(0, a, b);
    }

    /** Negative when value a of sort key {@code key} ranks before b. */
    int compareAt(int key, double a, double b) {
        return compareNumbers(a, b, descending[key]);
    }

    /**
     * False when the page is full and every row whose first sort value lies within these bounds would rank
     * after its worst offer: then those rows need not be looked at.
     */
    boolean mayTake(ZoneMap.Bounds b) {
        if (b == null || heap.size() < limit) return true;
        return compareNumbers(best(b), heap.peek().numbers[0], descending[0]) <= 0;
    }

    /**
     * False when the page is full and a row that ties its worst offer on the sort keys before {@code key} and
     * has the value {@code best} at {@code key} would rank after that offer. {@code prior} holds the tied
     * values (num_gpus of the bundle size being walked when key is 1; ignored when key is 0).
     */
    boolean mayTake(int key, double best, double prior) {
        if (heap.size() < limit) return true;
        Candidate worst = heap.peek();
        for (int k = 0; k < key; k++) {
            if (compareNumbers(prior, worst.numbers[k], descending[k]) != 0) return true; // not a tie: no shortcut
        }
        return compareNumbers(best, worst.numbers[key], descending[key]) <= 0;
    }

    /**
     * Considers the rows[0..n) of a partition; may reorder and overwrite rows. A row considered before is
     * harmless: it is either kept already or ranks after the page.
     */
    void add(Partition p, int[] rows, int n) {
        double[][] numbers = new double[columns.length][];
        String[][] texts = new String[columns.length][];
        int from = 0;
        if (columns.length > 0 && !text[0]) {
            numbers[0] = NumSource.of(columns[0], p, context).gather(p, rows, n, scratch(0, n));
            n = keepContenders(rows, n, numbers[0]);
            from = 1;
        }
        for (int k = from; k < columns.length; k++) {
            if (text[k]) texts[k] = texts(columns[k], p, rows, n);
            else numbers[k] = NumSource.of(columns[k], p, context).gather(p, rows, n, scratch(k, n));
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
            if (!kept.add(id)) continue; // offered again (a scan after a walk that gave up): it is in already
            if (heap.size() == limit) kept.remove(heap.poll().id);
            heap.add(new Candidate(p, rows[i], id, nums, strs));
        }
    }

    /**
     * When the page is full, drops the rows whose first sort value ranks strictly after its worst offer's (a
     * null after a number), keeping rows and values aligned: one comparison per row, no branch, and the
     * other sort keys are then computed only for the few rows left.
     */
    private int keepContenders(int[] rows, int n, double[] values) {
        if (heap.size() < limit) return n;
        double worst = heap.peek().numbers[0];
        if (Double.isNaN(worst)) return n; // the worst is null: every row ties it or beats it
        int kept = 0;
        if (descending[0]) {
            for (int i = 0; i < n; i++) {
                double v = values[i];
                rows[kept] = rows[i];
                values[kept] = v;
                kept += v >= worst ? 1 : 0;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = values[i];
                rows[kept] = rows[i];
                values[kept] = v;
                kept += v <= worst ? 1 : 0;
            }
        }
        return kept;
    }

    private double[] scratch(int key, int n) {
        if (scratch[key].length < n) scratch[key] = new double[Math.max(n, scratch[key].length * 2)];
        return scratch[key];
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
            int c = text[k]
                    ? compareTexts(a.texts[k], b.texts[k], descending[k])
                    : compareNumbers(a.numbers[k], b.numbers[k], descending[k]);
            if (c != 0) return c;
        }
        return Long.compare(a.id, b.id);
    }

    /** {@link #compare} of the i-th gathered row against a kept candidate. */
    private int compareRow(double[][] numbers, String[][] texts, int i, long id, Candidate b) {
        for (int k = 0; k < columns.length; k++) {
            int c = text[k]
                    ? compareTexts(texts[k][i], b.texts[k], descending[k])
                    : compareNumbers(numbers[k][i], b.numbers[k], descending[k]);
            if (c != 0) return c;
        }
        return Long.compare(id, b.id);
    }

    private static int compareNumbers(double a, double b, boolean descending) {
        boolean aNull = Double.isNaN(a);
        boolean bNull = Double.isNaN(b);
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
