package io.gpumarket.core.search;

import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields.Field;
import io.gpumarket.core.offer.OfferPricing;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import java.util.Comparator;
import java.util.List;

/**
 * One listed machine and its offers in the index's terms, computed once when the machine changes, by the
 * same field functions that render the offer: a filter sees exactly the value the client is shown.
 *
 * @param slots         the machine's offers, by id
 * @param numbers       per-machine number columns ({@link ColumnLayout#MACHINE_NUMBERS} order)
 * @param texts         per-machine text columns, as shown (not normalized)
 * @param offerNumbers  [offer][column] per-offer number columns, {@link ColumnLayout#ON_DEMAND_BASE} last
 */
record MachineRow(Machine machine, OfferSlot[] slots, double[] numbers, String[] texts, double[][] offerNumbers) {

    /** Null when the machine has no offers to show (unlisted, or no slots that fit it). */
    static MachineRow of(Machine machine, List<OfferSlot> slots, GpuModel model) {
        if (!machine.listed()) return null;
        // A slot that no longer fits the machine (its GPUs were removed before its offers were replaced) is
        // not an offer; leaving it out keeps one stale row from failing a whole update.
        OfferSlot[] sorted = slots.stream()
                .filter(s -> s.machineId() == machine.id()
                        && s.numGpus() >= 1
                        && s.numGpus() <= machine.spec().numGpus())
                .sorted(Comparator.comparingLong(OfferSlot::id))
                .toArray(OfferSlot[]::new);
        if (sorted.length == 0) return null;
        OfferView first = new OfferView(machine, sorted[0], model);
        double[] numbers = new double[ColumnLayout.MACHINE_NUMBERS.size()];
        for (int c = 0; c < numbers.length; c++)
            numbers[c] = number(ColumnLayout.MACHINE_NUMBERS.get(c).valueOf(first, null));
        String[] texts = new String[ColumnLayout.MACHINE_TEXTS.size()];
        for (int c = 0; c < texts.length; c++)
            texts[c] = (String) ColumnLayout.MACHINE_TEXTS.get(c).valueOf(first, null);
        double[][] offerNumbers = new double[sorted.length][ColumnLayout.OFFER_NUMBER_COLUMNS];
        for (int o = 0; o < sorted.length; o++) {
            OfferView view = new OfferView(machine, sorted[o], model);
            List<Field> fields = ColumnLayout.OFFER_NUMBERS;
            for (int c = 0; c < fields.size(); c++)
                offerNumbers[o][c] = number(fields.get(c).valueOf(view, null));
            offerNumbers[o][ColumnLayout.ON_DEMAND_BASE] = OfferPricing.onDemandBase(machine.listing(), view.gpus());
        }
        return new MachineRow(machine, sorted, numbers, texts, offerNumbers);
    }

    /** A number or boolean field value as a double: booleans 1/0, null NaN. */
    static double number(Object v) {
        if (v == null) return Double.NaN;
        if (v instanceof Boolean b) return b ? 1 : 0;
        return ((Number) v).doubleValue();
    }
}
