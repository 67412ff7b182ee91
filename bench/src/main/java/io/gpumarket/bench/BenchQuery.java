package io.gpumarket.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One benchmark query in its two forms: the search DSL as a client sends it (JSON, the body of
 * {@code POST /bundles/}), and the SQL a competent engineer would write for the same question against the
 * denormalised offer table of {@link PostgresBaseline}, with its parameters for a given "now".
 *
 * @param name    short name used in reports and as the JMH parameter
 * @param summary what the query asks, in words
 * @param json    the DSL body
 * @param sql     the equivalent SQL: same rows, same order (ties broken by offer id, as the index does)
 * @param params  the SQL's parameters in order for a given epoch-second "now" (String[] binds a text[])
 */
public record BenchQuery(String name, String summary, String json, String sql, LongFunction<List<Object>> params) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The DSL as the tree Jackson makes of the body, keys in the order written (what the server parses). */
    public Map<String, Object> dsl() {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (Exception e) {
            throw new IllegalStateException("benchmark query " + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
