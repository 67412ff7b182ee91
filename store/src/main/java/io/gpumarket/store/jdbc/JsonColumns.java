package io.gpumarket.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.core.instance.EnvPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-text columns: of instances, env as {@code [[key, value], …]} (the shape instances show as
 * {@code extra_env}), args as a string array, ports as {@code {"8080/tcp": 40001}}; templates' content and users'
 * settings as objects. Text, not a JSON type, so one schema serves SQLite and PostgreSQL; nothing queries inside
 * them.
 */
final class JsonColumns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<List<String>>> PAIRS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Integer>> PORTS = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    private JsonColumns() {}

    static String env(List<EnvPair> env) {
        List<List<String>> pairs = new ArrayList<>(env.size());
        for (EnvPair p : env) pairs.add(List.of(p.key(), p.value()));
        return write(pairs);
    }

    static List<EnvPair> env(String json) {
        List<EnvPair> env = new ArrayList<>();
        for (List<String> pair : read(json, PAIRS)) env.add(new EnvPair(pair.get(0), pair.get(1)));
        return env;
    }

    static String strings(List<String> values) {
        return write(values);
    }

    static List<String> strings(String json) {
        return read(json, STRINGS);
    }

    static String ports(Map<String, Integer> ports) {
        return write(ports);
    }

    static Map<String, Integer> ports(String json) {
        return read(json, PORTS);
    }

    /** A JSON object column (template content, user settings); null stays null. */
    static String object(Map<String, ?> value) {
        return value == null ? null : write(value);
    }

    static Map<String, Object> object(String json) {
        return json == null ? null : read(json, OBJECT);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON column", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON column holds malformed JSON: " + json, e);
        }
    }
}
