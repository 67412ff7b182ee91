package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.Api;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every page of a billing list ({@code /charges/}, {@code /api/v1/invoices/}), following {@code next_token}. */
final class BillingPages {
    private BillingPages() {}

    static List<JsonNode> all(Api api, String path, Map<String, Object> params) {
        Map<String, Object> query = new LinkedHashMap<>(params);
        List<JsonNode> results = new ArrayList<>();
        while (true) {
            JsonNode page = api.get(path, query);
            if (page.has("success") && !page.path("success").asBoolean(true)) {
                throw new IllegalArgumentException(
                        page.path("error").asText(page.path("msg").asText(page.toString())));
            }
            page.path("results").forEach(results::add);
            JsonNode next = page.get("next_token");
            if (next == null || next.isNull() || next.asText().isEmpty()) return results;
            query.put("after_token", next.asText());
        }
    }

    static double total(List<JsonNode> rows) {
        double sum = 0;
        for (JsonNode r : rows) sum += r.path("amount").asDouble(0);
        return sum;
    }
}
