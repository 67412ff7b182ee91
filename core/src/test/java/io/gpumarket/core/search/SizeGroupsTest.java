package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SizeGroupsTest {
    private static final int NUM_GPUS = ColumnLayout.offerNumber("num_gpus");
    private static final int DLPERF = ColumnLayout.offerNumber("dlperf");
    private static final int FLOPS = ColumnLayout.offerNumber("total_flops");

    @Test
    void groups_after_any_splices_hold_the_live_rows_left_in_row_and_price_order() {
        Random r = new Random(9);
        for (int trial = 0; trial < 100; trial++) {
            double[][] columns = rows(r, 1 + r.nextInt(40));
            boolean[] live = new boolean[columns[0].length];
            Arrays.fill(live, true);
            SizeGroups groups = SizeGroups.of(columns);
            for (int step = 0; step < 40; step++) {
                int length = columns[0].length;
                int at = r.nextInt(length + 1);
                int removed = Math.min(length - at, r.nextInt(4));
                // Half the steps rewrite rows in place (as many come as leave), the rest splice.
                int inserted = r.nextBoolean() ? removed : r.nextInt(4);
                if (length - removed + inserted == 0) inserted = 1;
                double[][] added = rows(r, inserted);
                double[][] after = new double[columns.length][];
                for (int c = 0; c < columns.length; c++) {
                    after[c] = new double[length - removed + inserted];
                    System.arraycopy(columns[c], 0, after[c], 0, at);
                    System.arraycopy(added[c], 0, after[c], at, inserted);
                    System.arraycopy(columns[c], at + removed, after[c], at + inserted, length - at - removed);
                }
                // A row that comes may be dead (its machine's offer rented): it joins no group.
                boolean[] liveAfter = new boolean[after[0].length];
                System.arraycopy(live, 0, liveAfter, 0, at);
                for (int i = at; i < at + inserted; i++) liveAfter[i] = r.nextInt(4) > 0;
                System.arraycopy(live, at + removed, liveAfter, at + inserted, length - at - removed);
                int[] oldGpus =
                        Arrays.stream(columns[NUM_GPUS]).mapToInt(g -> (int) g).toArray();
                groups = groups.spliced(after, live, oldGpus, at, removed, inserted, liveAfter);
                columns = after;
                live = liveAfter;
                String why = "trial " + trial + " step " + step;
                int[] sizes = IntStream.range(0, live.length)
                        .filter(i -> liveAfter[i])
                        .map(i -> (int) after[NUM_GPUS][i])
                        .distinct()
                        .sorted()
                        .toArray();
                assertThat(groups.sizes).as(why).containsExactly(sizes);
                for (int k = 0; k < sizes.length; k++) {
                    int size = sizes[k];
                    int[] rows = IntStream.range(0, live.length)
                            .filter(i -> liveAfter[i] && (int) after[NUM_GPUS][i] == size)
                            .toArray();
                    assertThat(groups.rows[k]).as(why).containsExactly(rows);
                    for (int order = 0; order < 2; order++) {
                        double[] price = columns[SizeGroups.priceColumn(order)];
                        int[] walk = groups.byPrice[order][k];
                        assertThat(walk).as(why).containsExactlyInAnyOrder(rows);
                        for (int i = 1; i < walk.length; i++)
                            assertThat(price[walk[i - 1]]).as(why).isLessThanOrEqualTo(price[walk[i]]);
                    }
                    int[] columnOf = {DLPERF, FLOPS};
                    for (int c : new int[] {SizeGroups.DLPERF, SizeGroups.TOTAL_FLOPS}) {
                        ZoneMap.Bounds kept = groups.bounds(c, k);
                        double[] values = columns[columnOf[c]];
                        // Bounds may stay wider than the rows left, never narrower.
                        for (int row : rows) {
                            assertThat(kept.min()).as(why).isLessThanOrEqualTo(values[row]);
                            assertThat(kept.max()).as(why).isGreaterThanOrEqualTo(values[row]);
                        }
                    }
                }
            }
        }
    }

    /** n offer rows: sizes 1, 2, 4 or 8, prices with ties, per-size performance. */
    private static double[][] rows(Random r, int n) {
        double[][] columns = new double[ColumnLayout.OFFER_NUMBER_COLUMNS][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < columns.length; c++) columns[c][i] = r.nextInt(10) / 4.0;
            int gpus = 1 << r.nextInt(4);
            columns[NUM_GPUS][i] = gpus;
            columns[DLPERF][i] = gpus * 10 + r.nextInt(3);
            columns[FLOPS][i] = gpus * 80.5;
        }
        return columns;
    }
}
