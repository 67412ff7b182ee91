package io.gpumarket.core.offer;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One offer of a search page as its JSON object ({@link OfferFields#renderRow}): the fields in registry order,
 * as an immutable map whose keys every offer shares and whose values sit in one array. It reads, compares and
 * serializes like the {@code LinkedHashMap} {@link OfferFields#render} makes, but costs an array instead of an
 * entry per field: a page of 100 offers would otherwise allocate 9,000 map entries, which took about 40 % of
 * a search that finds its page quickly. The search route writes it field by field ({@link #key}, {@link #value})
 * with keys encoded once, instead of through a generic map serializer.
 */
public final class OfferJson extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Map<String, Integer> positions;
    private final OfferView view;
    private final PriceContext context;
    private final int rn;
    /** Rendered when first read: a search route that has the offer's static fields encoded already needs only a few. */
    private volatile Object[] values;

    OfferJson(String[] keys, Map<String, Integer> positions, OfferView view, PriceContext context, int rn) {
        this.keys = keys;
        this.positions = positions;
        this.view = view;
        this.context = context;
        this.rn = rn;
    }

    /** The offer this row shows. */
    public OfferView view() {
        return view;
    }

    /** What the row's prices, time and {@code rented} were rendered for. */
    public PriceContext context() {
        return context;
    }

    /** The i-th field's value without rendering the rest (when they were not rendered already). */
    public Object valueAlone(int i) {
        Object[] v = values;
        return v != null ? v[i] : OfferFields.valueAt(i, view, context, rn);
    }

    private Object[] rendered() {
        Object[] v = values;
        if (v == null) values = v = OfferFields.values(view, context, rn);
        return v;
    }

    /** The i-th field's name (registry order; every offer of a page has the same keys in the same order). */
    public String key(int i) {
        return keys[i];
    }

    /** The i-th field's value: null, a String, Boolean, Integer, Long, Double, or (rarely) another JSON value. */
    public Object value(int i) {
        return rendered()[i];
    }

    /** Each key's position in keys, for {@link #get}. */
    static Map<String, Integer> positions(String[] keys) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < keys.length; i++) positions.put(keys[i], i);
        return positions;
    }

    @Override
    public Object get(Object key) {
        Integer i = positions.get(key);
        return i == null ? null : rendered()[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return positions.containsKey(key);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next == keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], rendered()[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
