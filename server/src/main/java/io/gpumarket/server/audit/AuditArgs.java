package io.gpumarket.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an audit entry says a call was about: the path's parameters (the instance, key or machine id), as a small
 * JSON object. Bodies are never recorded: they may carry secrets (an env var's value, a password, a registry login).
 */
public final class AuditArgs {
    private AuditArgs() {}

    public static String of(Map<String, String> pathParams) {
        try {
            return Wire.mapper().writeValueAsString(new TreeMap<>(pathParams));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always writes", e);
        }
    }
}
