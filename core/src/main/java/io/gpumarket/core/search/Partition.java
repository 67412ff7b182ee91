package io.gpumarket.core.search;

import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The offers of all machines with one {@code gpu_name}, stored column by column so that a filter is a tight
 * loop over a primitive array. Machines are kept in id order and a machine's offers are adjacent rows.
 *
 * <p>An update that keeps a machine's rows (a rental, its end, a price or reliability change: the machine's
 * bundles are a prefix of minChunk, 2×, 4× … so its new offers fit rows of the same sizes) rewrites them in
 * place: a row without an offer any more stays, marked dead ({@link #live}), and every column whose values did
 * not change is shared with the old partition. Only an update that needs more rows of a size than the machine
 * has (a new machine, a lower min_chunk) or a deletion splices every array. Without this, a rent copied its
 * whole chunk (~250 KB for 512 machines) and, on a market of ~200 chunks, that copy lived long enough to be
 * promoted: full collections every second or two under the server's heap cap (docs/benchmarks.md). Either way
 * the new partition shares nothing mutable with the old one, which readers may still be scanning. What a
 * search reads before the rows follows along, not rebuilt: each number column's bounds ({@link ZoneMap}: dead
 * rows keep their values and so stay inside them) and the live rows by bundle size, in row and price order
 * ({@link SizeGroups}: dead rows are in no group, so no scan from the groups reaches them). Immutable.
 */
final class Partition {
    final String gpuName;
    final GpuModel model;
    final long[] machineIds;
    final Machine[] machines;
    /** Machine i's offers are rows firstOffer[i] until firstOffer[i + 1]. */
    final int[] firstOffer;

    final double[][] machineNumbers;
    final int[][] machineCodes;
    final String[][] dictionaries;
    /** The dictionaries' entries normalized for comparison ({@link SearchText}). */
    final String[][] normalized;

    final OfferSlot[] slots;
    final int[] machineOf;
    final double[][] offerNumbers;
    /** The rows by bundle size (num_gpus); the distinct sizes, ascending, and each one's rows, ascending. */
    final SizeGroups groups;

    final int[] bundleSizes;
    final int[][] rowsBySize;
    /** Each row's bundle size (num_gpus) as an int, for lookups by size. */
    final int[] gpusOf;
    /** Whether a row holds an offer; a dead one keeps its place for the machine's next offers. */
    final boolean[] live;
    /** How many rows are live. */
    private final int liveOffers;
    /** Bounds of machineNumbers and offerNumbers, column by column. */
    final ZoneMap machineZones;

    final ZoneMap offerZones;

    private static final int NUM_GPUS = ColumnLayout.offerNumber("num_gpus");

    private Partition(
            String gpuName,
            GpuModel model,
            long[] machineIds,
            Machine[] machines,
            int[] firstOffer,
            double[][] machineNumbers,
            int[][] machineCodes,
            String[][] dictionaries,
            String[][] normalized,
            OfferSlot[] slots,
            int[] machineOf,
            double[][] offerNumbers,
            boolean[] live,
            int[] gpusOf,
            ZoneMap machineZones,
            ZoneMap offerZones,
            SizeGroups groups) {
        this.gpuName = gpuName;
        this.model = model;
        this.machineIds = machineIds;
        this.machines = machines;
        this.firstOffer = firstOffer;
        this.machineNumbers = machineNumbers;
        this.machineCodes = machineCodes;
        this.dictionaries = dictionaries;
        this.normalized = normalized;
        this.slots = slots;
        this.machineOf = machineOf;
        this.offerNumbers = offerNumbers;
        this.live = live;
        int n = 0;
        for (boolean l : live) n += l ? 1 : 0;
        this.liveOffers = n;
        this.machineZones = machineZones;
        this.offerZones = offerZones;
        this.groups = groups;
        this.bundleSizes = groups.sizes;
        this.rowsBySize = groups.rows;
        this.gpusOf = gpusOf != null ? gpusOf : gpus(offerNumbers[NUM_GPUS]);
    }

    private static int[] gpus(double[] sizes) {
        int[] out = new int[sizes.length];
        for (int r = 0; r < sizes.length; r++) out[r] = (int) sizes[r];
        return out;
    }

    /** Which of {@link #bundleSizes} pass every test (all when there are none). */
    boolean[] groups(List<NumTest> sizeTests) {
        boolean[] wanted = new boolean[bundleSizes.length];
        for (int k = 0; k < bundleSizes.length; k++) {
            wanted[k] = true;
            for (NumTest t : sizeTests) wanted[k] &= t.test(bundleSizes[k]);
        }
        return wanted;
    }

    /** The same choice indexed by bundle size (1..64). */
    boolean[] sizesWanted(boolean[] groups) {
        boolean[] bySize = new boolean[65];
        for (int k = 0; k < bundleSizes.length; k++) bySize[bundleSizes[k]] = groups[k];
        return bySize;
    }

    int machines() {
        return machineIds.length;
    }

    /** The rows whose bundle size passes every test (all rows when there are none), as a fresh selection. */
    int[] rows(List<NumTest> sizeTests) {
        boolean[] wanted = new boolean[bundleSizes.length];
        int n = 0;
        for (int k = 0; k < bundleSizes.length; k++) {
            wanted[k] = true;
            for (NumTest t : sizeTests) wanted[k] &= t.test(bundleSizes[k]);
            if (wanted[k]) n += rowsBySize[k].length;
        }
        int[] rows = new int[n];
        int at = 0;
        for (int k = 0; k < bundleSizes.length; k++) {
            if (!wanted[k]) continue;
            System.arraycopy(rowsBySize[k], 0, rows, at, rowsBySize[k].length);
            at += rowsBySize[k].length;
        }
        return rows;
    }

    /** Live rows: the partition's offers. */
    int offers() {
        return liveOffers;
    }

    /** Rows, dead ones included: the room a selection of rows may need. */
    int rowCount() {
        return slots.length;
    }

    /** Whether the machine has a place here (with offers or not). */
    boolean contains(long machineId) {
        return Arrays.binarySearch(machineIds, machineId) >= 0;
    }

    /** A partition of machines given in ascending id order; null when there are none. */
    static Partition build(String gpuName, GpuModel model, List<MachineRow> rows) {
        if (rows.isEmpty()) return null;
        int m = rows.size();
        int o = rows.stream().mapToInt(r -> r.slots().length).sum();
        long[] ids = new long[m];
        Machine[] machines = new Machine[m];
        int[] firstOffer = new int[m + 1];
        int[] machineOf = new int[o];
        double[][] numbers = new double[ColumnLayout.MACHINE_NUMBERS.size()][m];
        int texts = ColumnLayout.MACHINE_TEXTS.size();
        int[][] codes = new int[texts][m];
        String[][] dictionaries = new String[texts][];
        String[][] normalized = new String[texts][];
        OfferSlot[] slots = new OfferSlot[o];
        double[][] offerNumbers = new double[ColumnLayout.OFFER_NUMBER_COLUMNS][o];
        for (int t = 0; t < texts; t++) {
            Map<String, Integer> dict = new HashMap<>();
            for (int i = 0; i < m; i++) {
                codes[t][i] = dict.computeIfAbsent(rows.get(i).texts()[t], k -> dict.size());
            }
            String[] entries = new String[dict.size()];
            dict.forEach((text, code) -> entries[code] = text);
            dictionaries[t] = entries;
            normalized[t] = normalize(entries);
        }
        int row = 0;
        for (int i = 0; i < m; i++) {
            MachineRow r = rows.get(i);
            ids[i] = r.machine().id();
            if (i > 0 && ids[i] <= ids[i - 1])
                throw new IllegalArgumentException("machines must be in ascending id order");
            machines[i] = r.machine();
            firstOffer[i + 1] = firstOffer[i] + r.slots().length;
            for (int c = 0; c < numbers.length; c++) numbers[c][i] = r.numbers()[c];
            for (int k = 0; k < r.slots().length; k++, row++) {
                slots[row] = r.slots()[k];
                machineOf[row] = i;
                for (int c = 0; c < offerNumbers.length; c++) offerNumbers[c][row] = r.offerNumbers()[k][c];
            }
        }
        return assemble(
                gpuName,
                model,
                ids,
                machines,
                firstOffer,
                machineOf,
                numbers,
                codes,
                dictionaries,
                normalized,
                slots,
                offerNumbers,
                allLive(o),
                null,
                ZoneMap.of(numbers),
                ZoneMap.of(offerNumbers),
                SizeGroups.of(offerNumbers));
    }

    private static boolean[] allLive(int rows) {
        boolean[] live = new boolean[rows];
        Arrays.fill(live, true);
        return live;
    }

    /**
     * This partition's machines with offers, rebuilt in two halves (a chunk that grew too large); the machines
     * without offers are left out, so there may be one partition or none.
     */
    List<Partition> split() {
        List<MachineRow> rows = new ArrayList<>(machineIds.length);
        for (int i = 0; i < machineIds.length; i++) {
            MachineRow row = row(i);
            if (row != null) rows.add(row);
        }
        int half = rows.size() / 2;
        List<Partition> parts = new ArrayList<>(2);
        for (List<MachineRow> part : List.of(rows.subList(0, half), rows.subList(half, rows.size()))) {
            Partition p = build(gpuName, model, part);
            if (p != null) parts.add(p);
        }
        return parts;
    }

    /** Machine i's live offers as the row they were built from; null when it has none. */
    private MachineRow row(int i) {
        double[] numbers = new double[machineNumbers.length];
        for (int c = 0; c < numbers.length; c++) numbers[c] = machineNumbers[c][i];
        String[] texts = new String[machineCodes.length];
        for (int t = 0; t < texts.length; t++) texts[t] = dictionaries[t][machineCodes[t][i]];
        List<OfferSlot> kept = new ArrayList<>();
        List<double[]> offers = new ArrayList<>();
        for (int r = firstOffer[i]; r < firstOffer[i + 1]; r++) {
            if (!live[r]) continue;
            kept.add(slots[r]);
            double[] values = new double[offerNumbers.length];
            for (int c = 0; c < offerNumbers.length; c++) values[c] = offerNumbers[c][r];
            offers.add(values);
        }
        if (kept.isEmpty()) return null;
        return new MachineRow(
                machines[i], kept.toArray(OfferSlot[]::new), numbers, texts, offers.toArray(double[][]::new));
    }

    /**
     * This partition with one machine's offers replaced by {@code row} (null: it has none now, unlisted or
     * rented out): rewritten in place when they fit the machine's rows, else spliced.
     */
    Partition replace(long machineId, MachineRow row) {
        int pos = Arrays.binarySearch(machineIds, machineId);
        if (pos < 0) return row == null ? this : spliced(-pos - 1, false, row);
        Partition p = rewritten(pos, row);
        return p != null ? p : spliced(pos, true, row);
    }

    /** This partition without the machine (deleted, or moved to another model); null when none is left. */
    Partition without(long machineId) {
        int pos = Arrays.binarySearch(machineIds, machineId);
        return pos < 0 ? this : spliced(pos, true, null);
    }

    /**
     * Machine {@code at}'s rows rewritten for {@code row}'s offers (null: none), each offer in a row of its bundle
     * size, the rows left over dead; null when the offers do not fit. Columns that do not change are shared.
     */
    private Partition rewritten(int at, MachineRow row) {
        int from = firstOffer[at];
        int n = firstOffer[at + 1] - from;
        int[] offerOf = new int[n]; // per row of the machine: the new offer it holds, or -1
        Arrays.fill(offerOf, -1);
        int offers = row == null ? 0 : row.slots().length;
        for (int k = 0; k < offers; k++) {
            int size = (int) row.offerNumbers()[k][NUM_GPUS];
            int r = 0;
            while (r < n && (offerOf[r] >= 0 || gpusOf[from + r] != size)) r++;
            if (r == n) return null;
            offerOf[r] = k;
        }
        if (row == null) {
            boolean any = false;
            for (int r = from; r < from + n; r++) any |= live[r];
            if (!any) return this;
        }
        boolean[] live = this.live.clone();
        for (int r = 0; r < n; r++) live[from + r] = offerOf[r] >= 0;

        Machine[] machines = this.machines;
        double[][] numbers = machineNumbers.clone();
        int[][] codes = machineCodes.clone();
        String[][] dictionaries = this.dictionaries.clone();
        String[][] normalized = this.normalized.clone();
        ZoneMap machineZones = this.machineZones;
        if (row != null) {
            machines = this.machines.clone();
            machines[at] = row.machine();
            boolean changed = false;
            for (int c = 0; c < numbers.length; c++) {
                if (Double.compare(numbers[c][at], row.numbers()[c]) == 0) continue;
                numbers[c] = numbers[c].clone();
                numbers[c][at] = row.numbers()[c];
                changed = true;
            }
            if (changed) machineZones = this.machineZones.spliced(machineNumbers, numbers, at, 1, 1);
            for (int t = 0; t < codes.length; t++) {
                String text = row.texts()[t];
                if (Objects.equals(dictionaries[t][codes[t][at]], text)) continue;
                int code = codeOf(t, text, dictionaries, normalized);
                codes[t] = codes[t].clone();
                codes[t][at] = code;
            }
        }
        OfferSlot[] slots = this.slots.clone();
        double[][] offerNumbers = this.offerNumbers.clone();
        boolean changed = false;
        for (int r = 0; r < n; r++) {
            int k = offerOf[r];
            if (k < 0) continue;
            slots[from + r] = row.slots()[k];
            for (int c = 0; c < offerNumbers.length; c++) {
                double v = row.offerNumbers()[k][c];
                if (Double.compare(offerNumbers[c][from + r], v) == 0) continue;
                if (offerNumbers[c] == this.offerNumbers[c]) offerNumbers[c] = offerNumbers[c].clone();
                offerNumbers[c][from + r] = v;
                changed = true;
            }
        }
        return assemble(
                gpuName,
                model,
                machineIds,
                machines,
                firstOffer,
                machineOf,
                numbers,
                codes,
                dictionaries,
                normalized,
                slots,
                offerNumbers,
                live,
                gpusOf, // every row keeps its bundle size
                machineZones,
                changed ? offerZones.spliced(this.offerNumbers, offerNumbers, from, n, n) : offerZones,
                groups.spliced(offerNumbers, this.live, gpusOf, from, n, n, live));
    }

    /**
     * Machine {@code at}'s rows (when {@code present}) replaced by {@code row}'s (null: taken out), every array
     * spliced; null when no machine is left.
     */
    private Partition spliced(int at, boolean present, MachineRow row) {
        long machineId = present ? machineIds[at] : row.machine().id();
        int removeMachines = present ? 1 : 0;
        int addMachines = row == null ? 0 : 1;
        if (machineIds.length - removeMachines + addMachines == 0) return null;
        int offerAt = firstOffer[at];
        int removeOffers = present ? firstOffer[at + 1] - firstOffer[at] : 0;
        int addOffers = row == null ? 0 : row.slots().length;

        long[] ids = splice(machineIds, at, removeMachines, row == null ? new long[0] : new long[] {machineId});
        Machine[] machines =
                splice(this.machines, at, removeMachines, row == null ? new Machine[0] : new Machine[] {row.machine()});
        // Machines and rows after the replaced one keep their offers and their order; only their positions move.
        int machineShift = addMachines - removeMachines;
        int offerShift = addOffers - removeOffers;
        int[] firstOffer = new int[ids.length + 1];
        System.arraycopy(this.firstOffer, 0, firstOffer, 0, at + 1);
        if (row != null) firstOffer[at + 1] = offerAt + addOffers;
        for (int i = at + addMachines + 1; i <= ids.length; i++)
            firstOffer[i] = this.firstOffer[i - machineShift] + offerShift;
        int[] machineOf = new int[this.machineOf.length + offerShift];
        System.arraycopy(this.machineOf, 0, machineOf, 0, offerAt);
        Arrays.fill(machineOf, offerAt, offerAt + addOffers, at);
        for (int r = offerAt + addOffers; r < machineOf.length; r++)
            machineOf[r] = this.machineOf[r - offerShift] + machineShift;
        double[][] numbers = new double[machineNumbers.length][];
        for (int c = 0; c < numbers.length; c++) {
            numbers[c] = splice(
                    machineNumbers[c],
                    at,
                    removeMachines,
                    row == null ? new double[0] : new double[] {row.numbers()[c]});
        }
        int[][] codes = new int[machineCodes.length][];
        String[][] dictionaries = new String[machineCodes.length][];
        String[][] normalized = new String[machineCodes.length][];
        for (int t = 0; t < codes.length; t++) {
            dictionaries[t] = this.dictionaries[t];
            normalized[t] = this.normalized[t];
            int[] added = new int[0];
            if (row != null) {
                String text = row.texts()[t];
                // Most updates keep a machine's texts: reuse its entry rather than search the dictionary.
                int code = present && Objects.equals(dictionaries[t][machineCodes[t][at]], text)
                        ? machineCodes[t][at]
                        : codeOf(t, text, dictionaries, normalized);
                added = new int[] {code};
            }
            codes[t] = splice(machineCodes[t], at, removeMachines, added);
        }
        OfferSlot[] slots = splice(this.slots, offerAt, removeOffers, row == null ? new OfferSlot[0] : row.slots());
        double[][] offerNumbers = new double[this.offerNumbers.length][];
        for (int c = 0; c < offerNumbers.length; c++) {
            double[] added = new double[addOffers];
            for (int k = 0; k < addOffers; k++) added[k] = row.offerNumbers()[k][c];
            offerNumbers[c] = splice(this.offerNumbers[c], offerAt, removeOffers, added);
        }
        boolean[] live = splice(this.live, offerAt, removeOffers, allLive(addOffers));
        return assemble(
                gpuName,
                model,
                ids,
                machines,
                firstOffer,
                machineOf,
                numbers,
                codes,
                dictionaries,
                normalized,
                slots,
                offerNumbers,
                live,
                null,
                machineZones.spliced(machineNumbers, numbers, at, removeMachines, addMachines),
                offerZones.spliced(this.offerNumbers, offerNumbers, offerAt, removeOffers, addOffers),
                groups.spliced(offerNumbers, this.live, gpusOf, offerAt, removeOffers, addOffers, live));
    }

    private static Partition assemble(
            String gpuName,
            GpuModel model,
            long[] ids,
            Machine[] machines,
            int[] firstOffer,
            int[] machineOf,
            double[][] numbers,
            int[][] codes,
            String[][] dictionaries,
            String[][] normalized,
            OfferSlot[] slots,
            double[][] offerNumbers,
            boolean[] live,
            int[] gpusOf,
            ZoneMap machineZones,
            ZoneMap offerZones,
            SizeGroups groups) {
        // Replaced machines leave unused entries behind; rebuild a dictionary once they are half of it.
        for (int t = 0; t < codes.length; t++) {
            if (dictionaries[t].length > 2 * ids.length + 16) compact(t, codes, dictionaries, normalized);
        }
        return new Partition(
                gpuName,
                model,
                ids,
                machines,
                firstOffer,
                numbers,
                codes,
                dictionaries,
                normalized,
                slots,
                machineOf,
                offerNumbers,
                live,
                gpusOf,
                machineZones,
                offerZones,
                groups);
    }

    private static void compact(int t, int[][] codes, String[][] dictionaries, String[][] normalized) {
        Map<String, Integer> dict = new HashMap<>();
        int[] fresh = new int[codes[t].length];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = dict.computeIfAbsent(dictionaries[t][codes[t][i]], k -> dict.size());
        }
        String[] entries = new String[dict.size()];
        dict.forEach((text, code) -> entries[code] = text);
        codes[t] = fresh;
        dictionaries[t] = entries;
        normalized[t] = normalize(entries);
    }

    private static String[] normalize(String[] dictionary) {
        String[] out = new String[dictionary.length];
        for (int i = 0; i < out.length; i++) out[i] = SearchText.normalize(dictionary[i]);
        return out;
    }

    /**
     * The code of {@code text} in dictionary t, appended (with its normalized form) when it has none; the caller's
     * outer arrays get the longer dictionary, the old partition's are left as they are.
     */
    private static int codeOf(int t, String text, String[][] dictionaries, String[][] normalized) {
        int code = indexOf(dictionaries[t], text);
        if (code >= 0) return code;
        code = dictionaries[t].length;
        dictionaries[t] = Arrays.copyOf(dictionaries[t], code + 1);
        dictionaries[t][code] = text;
        normalized[t] = Arrays.copyOf(normalized[t], code + 1);
        normalized[t][code] = SearchText.normalize(text);
        return code;
    }

    private static int indexOf(String[] dict, String s) {
        for (int i = 0; i < dict.length; i++) {
            if (Objects.equals(dict[i], s)) return i;
        }
        return -1;
    }

    private static long[] splice(long[] a, int at, int remove, long[] insert) {
        long[] out = new long[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    private static int[] splice(int[] a, int at, int remove, int[] insert) {
        int[] out = new int[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    private static boolean[] splice(boolean[] a, int at, int remove, boolean[] insert) {
        boolean[] out = new boolean[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    private static double[] splice(double[] a, int at, int remove, double[] insert) {
        double[] out = new double[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    private static <T> T[] splice(T[] a, int at, int remove, T[] insert) {
        T[] out = Arrays.copyOf(a, a.length - remove + insert.length);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }
}
