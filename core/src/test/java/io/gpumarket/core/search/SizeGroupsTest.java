package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SizeGroupsTest {
    private static final int NUM_GPUS = ColumnLayout.offerNumber("num_gpus");
    private static final int DLPERF = ColumnLayout.offerNumber("dlperf");
    private static final int FLOPS = ColumnLayout.offerNumber("total_flops");

    @Test
    void groups_after_any_splices_hold_the_rows_left_in_row_and_price_order() {
        Random r = new Random(9);
        for (int trial = 0; trial < 100; trial++) {
            double[][] columns = rows(r, 1 + r.nextInt(40));
            SizeGroups groups = SizeGroups.of(columns);
            for (int step = 0; step < 40; step++) {
                int length = columns[0].length;
                int at = r.nextInt(length + 1);
                int removed = Math.min(length - at, r.nextInt(4));
                int inserted = r.nextInt(4);
                if (length - removed + inserted == 0) inserted = 1;
                double[][] added = rows(r, inserted);
                double[][] after = new double[columns.length][];
                for (int c = 0; c < columns.length; c++) {
                    after[c] = new double[length - removed + inserted];
                    System.arraycopy(columns[c], 0, after[c], 0, at);
                    System.arraycopy(added[c], 0, after[c], at, inserted);
                    System.arraycopy(columns[c], at + removed, after[c], at + inserted, length - at - removed);
                }
                int[] oldGpus =
                        Arrays.stream(columns[NUM_GPUS]).mapToInt(g -> (int) g).toArray();
                groups = groups.spliced(after, oldGpus, at, removed, inserted);
                columns = after;
                SizeGroups fresh = SizeGroups.of(columns);
                String why = "trial " + trial + " step " + step;
                assertThat(groups.sizes).as(why).containsExactly(fresh.sizes);
                for (int k = 0; k < fresh.sizes.length; k++) {
                    assertThat(groups.rows[k]).as(why).containsExactly(fresh.rows[k]);
                    for (int order = 0; order < 2; order++) {
                        double[] price = columns[SizeGroups.priceColumn(order)];
                        int[] walk = groups.byPrice[order][k];
                        assertThat(walk).as(why).containsExactlyInAnyOrder(fresh.rows[k]);
                        for (int i = 1; i < walk.length; i++)
                            assertThat(price[walk[i - 1]]).as(why).isLessThanOrEqualTo(price[walk[i]]);
                    }
                    for (int c : new int[] {SizeGroups.DLPERF, SizeGroups.TOTAL_FLOPS}) {
                        ZoneMap.Bounds kept = groups.bounds(c, k);
                        ZoneMap.Bounds exact = fresh.bounds(c, k);
                        // Bounds may stay wider than the rows left, never narrower.
                        assertThat(kept.min()).as(why).isLessThanOrEqualTo(exact.min());
                        assertThat(kept.max()).as(why).isGreaterThanOrEqualTo(exact.max());
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
