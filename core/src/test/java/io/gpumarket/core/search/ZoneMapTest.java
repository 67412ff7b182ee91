package io.gpumarket.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZoneMapTest {
    @Test
    void bounds_after_any_splices_are_the_bounds_of_the_values_left() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            double[][] columns = new double[3][];
            int rows = 1 + r.nextInt(30);
            for (int c = 0; c < columns.length; c++) columns[c] = values(r, rows, c);
            ZoneMap zones = ZoneMap.of(columns);
            for (int step = 0; step < 40; step++) {
                int length = columns[0].length;
                int at = r.nextInt(length + 1);
                int removed = Math.min(length - at, r.nextInt(4));
                int inserted = r.nextInt(4);
                if (length - removed + inserted == 0) inserted = 1;
                double[][] after = new double[columns.length][];
                for (int c = 0; c < columns.length; c++) {
                    double[] added = values(r, inserted, c);
                    after[c] = new double[length - removed + inserted];
                    System.arraycopy(columns[c], 0, after[c], 0, at);
                    System.arraycopy(added, 0, after[c], at, inserted);
                    System.arraycopy(columns[c], at + removed, after[c], at + inserted, length - at - removed);
                }
                zones = zones.spliced(columns, after, at, removed, inserted);
                columns = after;
                ZoneMap fresh = ZoneMap.of(columns);
                for (int c = 0; c < columns.length; c++) {
                    assertThat(zones.bounds(c))
                            .as("column %d after step %d: %s", c, step, Arrays.toString(columns[c]))
                            .isEqualTo(fresh.bounds(c));
                }
            }
        }
    }

    /** Few distinct values (so bounds are often shared by many cells, and often by none), and nulls. */
    private static double[] values(Random r, int n, int column) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = r.nextInt(8) == 0 ? Double.NaN : column == 0 ? r.nextInt(3) : r.nextInt(50) - 20;
        return v;
    }
}
