package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.gpumarket.api.Wire;
import io.gpumarket.core.offer.OfferJson;
import io.gpumarket.core.search.SearchResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A search answer as JSON bytes, written straight to Jackson's generator: each offer's fields in order, names
 * encoded once for the process, values written by their type. The generic path (a map serializer looking up a
 * serializer for every value) was half of a quickstart search's CPU. The bytes are exactly what
 * {@code Wire.mapper().writeValueAsBytes} makes of the same maps (SearchPageTest).
 */
final class SearchPage {
    private static final SerializedString SUCCESS = new SerializedString("success");
    private static final SerializedString OFFERS = new SerializedString("offers");
    private static final SerializedString EXPLAIN = new SerializedString("explain");
    private static final Map<String, SerializableString> NAMES = new ConcurrentHashMap<>();

    private SearchPage() {}

    static byte[] bytes(SearchResult result, boolean withSuccess) {
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
            if (result.explain() != null) {
                g.writeFieldName(EXPLAIN);
                g.writeObject(ExplainView.of(result.explain()));
            }
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
            Object v = row.value(i);
            if (v == null) g.writeNull();
            else if (v instanceof String s) g.writeString(s);
            else if (v instanceof Double d) g.writeNumber(d);
            else if (v instanceof Long l) g.writeNumber(l);
            else if (v instanceof Integer k) g.writeNumber(k);
            else if (v instanceof Boolean b) g.writeBoolean(b);
            else g.writeObject(v);
        }
        g.writeEndObject();
    }
}
