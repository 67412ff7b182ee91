package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.api.Wire;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferJson;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.PriceType;
import io.gpumarket.core.search.SearchResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A search answer as JSON bytes. Each offer's JSON is encoded once per change of what it shows and kept: the fields
 * that depend only on the machine, the bundle, the GPU model and the query's price type and storage are kept as
 * bytes, with holes where the per-request fields go ({@link OfferFields#perRequest}: the time, the caller's
 * {@code rented}, the row number). A page is the kept bytes with those few values written into the holes.
 *
 * <p>When a kept encoding is stale: an entry is used only for the very machine, bundle and model objects it was
 * encoded from. The offer index replaces a machine's object whenever anything about it changes (a listing, a price,
 * a rental, its reliability: {@code MarketIndex} splices in a new row), and a rental replaces the offers' ids, so a
 * changed offer finds its entry stale and is encoded again: there is nothing to invalidate by hand, and nothing
 * stale can be served. The cache is bounded ({@value #KEPT_OFFERS} offers); an evicted offer is encoded again.
 *
 * <p>The bytes are exactly what {@code Wire.mapper().writeValueAsBytes} makes of the same maps (SearchPageHttpTest).
 * The generic path (a map serializer looking up a serializer for every value) was half of a quickstart search's CPU,
 * and writing every field through the generator on every search most of what was left.
 */
final class SearchPage {
    /**
     * Offers whose encodings are kept: an offer's JSON is ~2.4 KB, so ~10 MB of heap at most (the server's heap is
     * capped at 256 MB); the offers that pages show again and again are far fewer.
     */
    static final int KEPT_OFFERS = 4_096;

    private static final SerializedString SUCCESS = new SerializedString("success");
    private static final SerializedString OFFERS = new SerializedString("offers");
    private static final SerializedString EXPLAIN = new SerializedString("explain");
    private static final Map<String, SerializableString> NAMES = new ConcurrentHashMap<>();
    private static final byte[] OPEN = "{\"offers\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OPEN_SUCCESS = "{\"success\":true,\"offers\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    /**
     * One offer's JSON object without its per-request values: {@code holes[k]} is where the k-th per-request field's
     * value goes in {@code bytes}. Valid only for the objects and the prices it was encoded from.
     */
    private record Encoded(
            OfferSlot slot,
            Machine machine,
            GpuModel model,
            PriceType type,
            double storageGb,
            byte[] bytes,
            int[] holes) {
        boolean encodes(OfferJson row) {
            return row.view().slot() == slot
                    && row.view().machine() == machine
                    && row.view().model() == model
                    && row.context().type() == type
                    && Double.compare(row.context().allocatedStorageGb(), storageGb) == 0;
        }
    }

    private final Cache<Long, Encoded> kept =
            Caffeine.newBuilder().maximumSize(KEPT_OFFERS).build();

    byte[] bytes(SearchResult result, boolean withSuccess) {
        if (result.explain() != null) return generated(result, withSuccess);
        Page out = new Page(1024 + 2600 * result.offers().size());
        out.write(withSuccess ? OPEN_SUCCESS : OPEN);
        boolean first = true;
        for (Map<String, Object> offer : result.offers()) {
            if (!first) out.write(',');
            first = false;
            if (offer instanceof OfferJson row) writeKept(out, row);
            else out.write(json(offer));
        }
        out.write(CLOSE);
        return out.toByteArray();
    }

    /** The offer from its kept encoding (encoded now if it has none, or a stale one), per-request values filled in. */
    private void writeKept(Page out, OfferJson row) {
        long id = row.view().slot().id();
        Encoded e = kept.getIfPresent(id);
        if (e == null || !e.encodes(row)) {
            e = encode(row);
            kept.put(id, e);
        }
        int from = 0;
        int k = 0;
        for (int i = 0, n = row.size(); i < n; i++) {
            if (!OfferFields.perRequest(i)) continue;
            int hole = e.holes[k++];
            out.write(e.bytes, from, hole - from);
            writeValue(out, row.valueAlone(i));
            from = hole;
        }
        out.write(e.bytes, from, e.bytes.length - from);
    }

    /**
     * The offer's object through the generator, with a placeholder {@code 0} for each per-request value, then the
     * placeholders taken out and their places kept.
     */
    private static Encoded encode(OfferJson row) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(4096);
        int holeCount = 0;
        for (int i = 0; i < row.size(); i++) if (OfferFields.perRequest(i)) holeCount++;
        int[] at = new int[holeCount];
        try (JsonGenerator g = Wire.mapper().createGenerator(raw)) {
            g.writeStartObject();
            int k = 0;
            for (int i = 0, n = row.size(); i < n; i++) {
                g.writeFieldName(NAMES.computeIfAbsent(row.key(i), SerializedString::new));
                if (OfferFields.perRequest(i)) {
                    // the generator writes the name's ':' with the value: the placeholder is the last byte after it
                    g.writeNumber(0);
                    g.flush();
                    at[k++] = raw.size() - 1;
                } else {
                    writeValue(g, row.valueAlone(i));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("an offer could not be encoded", e);
        }
        byte[] withPlaceholders = raw.toByteArray();
        byte[] bytes = new byte[withPlaceholders.length - holeCount];
        int[] holes = new int[holeCount];
        int from = 0;
        int to = 0;
        for (int k = 0; k < holeCount; k++) {
            if (withPlaceholders[at[k]] != '0') throw new IllegalStateException("placeholder not where expected");
            int len = at[k] - from;
            System.arraycopy(withPlaceholders, from, bytes, to, len);
            to += len;
            holes[k] = to;
            from = at[k] + 1;
        }
        System.arraycopy(withPlaceholders, from, bytes, to, withPlaceholders.length - from);
        return new Encoded(
                row.view().slot(),
                row.view().machine(),
                row.view().model(),
                row.context().type(),
                row.context().allocatedStorageGb(),
                bytes,
                holes);
    }

    /**
     * A per-request value as the generator writes it: booleans, null, integers, finite doubles ({@code
     * Double.toString}, as Jackson does without its fast writer) and plain ASCII text directly; anything else through
     * the mapper.
     */
    private static void writeValue(Page out, Object v) {
        if (v == null) out.write(NULL);
        else if (v instanceof Boolean b) out.write(b ? TRUE : FALSE);
        else if (v instanceof Integer || v instanceof Long) out.writeAscii(v.toString());
        else if (v instanceof Double d && Double.isFinite(d)) out.writeAscii(Double.toString(d));
        else if (v instanceof String s && plain(s)) {
            out.write('"');
            out.writeAscii(s);
            out.write('"');
        } else out.write(json(v));
    }

    /** Printable ASCII with nothing JSON escapes. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        }
        return true;
    }

    private static byte[] json(Object v) {
        try {
            return Wire.mapper().writeValueAsBytes(v);
        } catch (IOException e) {
            throw new UncheckedIOException("a search value could not be written", e);
        }
    }

    /** The page through the generator, field by field (pages with an {@code explain}, which are rare). */
    private static byte[] generated(SearchResult result, boolean withSuccess) {
        ByteArrayBuilder out = new ByteArrayBuilder(Wire.mapper().getFactory()._getBufferRecycler(), 4096);
        try (JsonGenerator g = Wire.mapper().createGenerator(out)) {
            g.writeStartObject();
            if (withSuccess) {
                g.writeFieldName(SUCCESS);
                g.writeBoolean(true);
            }
            g.writeFieldName(OFFERS);
            g.writeStartArray();
            for (Map<String, Object> offer : result.offers()) writeOffer(g, offer);
            g.writeEndArray();
            g.writeFieldName(EXPLAIN);
            g.writeObject(ExplainView.of(result.explain()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a search page could not be written", e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    private static void writeOffer(JsonGenerator g, Map<String, Object> offer) throws IOException {
        if (!(offer instanceof OfferJson row)) {
            g.writeObject(offer);
            return;
        }
        g.writeStartObject();
        for (int i = 0, n = row.size(); i < n; i++) {
            g.writeFieldName(NAMES.computeIfAbsent(row.key(i), SerializedString::new));
            writeValue(g, row.value(i));
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof String s) g.writeString(s);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof Integer k) g.writeNumber(k);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else g.writeObject(v);
    }

    /** A growing byte array without ByteArrayOutputStream's locking. */
    private static final class Page {
        private byte[] buf;
        private int len;

        Page(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }

        void write(int b) {
            room(1);
            buf[len++] = (byte) b;
        }

        void write(byte[] b) {
            write(b, 0, b.length);
        }

        void write(byte[] b, int off, int n) {
            room(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        /** Text known to be ASCII, a byte a char. */
        void writeAscii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) buf[len + i] = (byte) s.charAt(i);
            len += n;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }
}
