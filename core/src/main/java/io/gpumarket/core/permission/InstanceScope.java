package io.gpumarket.core.permission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permission document of an instance's own API key ({@code instance_api_key}, injected into the container as
 * {@code CONTAINER_API_KEY}): it may show, start, stop, label, request the logs of and destroy that one
 * instance, and nothing else: not other instances of the same owner, not the account. Vast documents the key as
 * able to "only start, stop, or destroy that specific instance"; showing it and reading its logs are what a
 * process inside needs to see its own state.
 */
public final class InstanceScope {
    public static final String SHOW = "api.instance.show";
    /** start, stop and label: all {@code PUT /instances/{id}/} */
    public static final String MANAGE = "api.instance.manage";

    public static final String DESTROY = "api.instance.destroy";
    public static final String REQUEST_LOGS = "api.instance.request_logs";

    private InstanceScope() {}

    public static Map<String, Object> document(long instanceId) {
        Map<String, Object> read = new LinkedHashMap<>();
        Map<String, Object> write = new LinkedHashMap<>();
        for (String route : List.of(SHOW, REQUEST_LOGS)) read.put(route, onlyThis(instanceId));
        for (String route : List.of(MANAGE, DESTROY)) write.put(route, onlyThis(instanceId));
        Map<String, Object> categories = new LinkedHashMap<>();
        categories.put("instance_read", read);
        categories.put("instance_write", write);
        return Map.of("api", categories);
    }

    private static Map<String, Object> onlyThis(long id) {
        return Map.of("constraints", Map.of("id", Map.of("eq", id)));
    }
}
