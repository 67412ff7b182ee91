package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferFields.Field;
import io.gpumarket.core.offer.OfferFields.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the index keeps each filterable offer field, derived from {@link OfferFields} so that a new field is
 * searchable without touching the index: values that never vary are constants, values of the machine are
 * stored once per machine, values of the bundle once per offer (numbers and booleans as doubles, null as
 * NaN; text dictionary-coded), and values of the search are computed per query by {@link QueryColumns}.
 * Fields that repeat another ({@code bundle_id} → {@code id}) share its column.
 */
final class ColumnLayout {
    enum Where {
        CONSTANT,
        MACHINE_NUMBER,
        MACHINE_TEXT,
        OFFER_NUMBER,
        QUERY
    }

    /** @param constant the value of a CONSTANT column (Double, normalized String, or null) */
    record Column(String field, Kind kind, Where where, int slot, Object constant) {}

    static final List<Field> MACHINE_NUMBERS;
    static final List<Field> MACHINE_TEXTS;
    static final List<Field> OFFER_NUMBERS;
    /** A per-offer column no field shows: the on-demand GPU price, from which dph_base is picked per query. */
    static final int ON_DEMAND_BASE;

    static final int OFFER_NUMBER_COLUMNS;

    private static final Map<String, Column> BY_FIELD = new HashMap<>();

    static {
        List<Field> machineNumbers = new ArrayList<>();
        List<Field> machineTexts = new ArrayList<>();
        List<Field> offerNumbers = new ArrayList<>();
        for (Field f : OfferFields.all()) {
            if (!f.filterable() || f.sameAs() != null) continue;
            Column c = switch (f.varies()) {
                case NEVER -> new Column(f.name(), f.kind(), Where.CONSTANT, -1, constant(f));
                case PER_MACHINE ->
                    f.kind() == Kind.STRING
                            ? new Column(f.name(), f.kind(), Where.MACHINE_TEXT, add(machineTexts, f), null)
                            : new Column(f.name(), f.kind(), Where.MACHINE_NUMBER, add(machineNumbers, f), null);
                case PER_OFFER -> {
                    if (f.kind() == Kind.STRING)
                        throw new IllegalStateException("per-offer text field " + f.name() + " has no column kind");
                    yield new Column(f.name(), f.kind(), Where.OFFER_NUMBER, add(offerNumbers, f), null);
                }
                case PER_QUERY -> {
                    if (!QueryColumns.computes(f.name())) {
                        throw new IllegalStateException(
                                "search field " + f.name() + " varies per query but QueryColumns does not compute it");
                    }
                    yield new Column(f.name(), f.kind(), Where.QUERY, -1, null);
                }
            };
            BY_FIELD.put(f.name(), c);
        }
        for (Field f : OfferFields.all()) {
            if (f.filterable() && f.sameAs() != null) BY_FIELD.put(f.name(), BY_FIELD.get(f.sameAs()));
        }
        MACHINE_NUMBERS = List.copyOf(machineNumbers);
        MACHINE_TEXTS = List.copyOf(machineTexts);
        OFFER_NUMBERS = List.copyOf(offerNumbers);
        ON_DEMAND_BASE = OFFER_NUMBERS.size();
        OFFER_NUMBER_COLUMNS = OFFER_NUMBERS.size() + 1;
    }

    private ColumnLayout() {}

    /** The column of a filterable field (a field that repeats another shares its column). */
    static Column column(String field) {
        Column c = BY_FIELD.get(field);
        if (c == null) throw new IllegalArgumentException("no search column for field " + field);
        return c;
    }

    static int machineNumber(String field) {
        return slot(field, Where.MACHINE_NUMBER);
    }

    static int offerNumber(String field) {
        return slot(field, Where.OFFER_NUMBER);
    }

    private static int slot(String field, Where where) {
        Column c = column(field);
        if (c.where() != where)
            throw new IllegalStateException(field + " is stored as " + c.where() + ", not " + where);
        return c.slot();
    }

    private static int add(List<Field> list, Field f) {
        list.add(f);
        return list.size() - 1;
    }

    private static Object constant(Field f) {
        Object v = f.valueOf(null, null);
        return f.kind() == Kind.STRING ? SearchText.normalize((String) v) : MachineRow.number(v);
    }
}
