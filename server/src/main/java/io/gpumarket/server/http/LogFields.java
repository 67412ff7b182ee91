package io.gpumarket.server.http;

import java.util.Map;
import org.slf4j.MDC;

/**
 * What a request's log lines say about it besides its id ({@link RequestIds}): the route template, the caller's
 * user id (never its key), and the instance or machine the path names. They are MDC keys, so the JSON log
 * ({@code --log-format json}) writes them as fields of every line, which an operator filters on.
 */
final class LogFields {
    static final String ROUTE = "route";
    static final String CALLER = "user_id";
    static final String INSTANCE = "instance_id";
    static final String MACHINE = "machine_id";

    private LogFields() {}

    /** The matched route and the ids its path carries ({@code /instances/{id}/…}, {@code /machines/{id}/…}). */
    static void route(String route, String path, Map<String, String> pathParams) {
        MDC.put(ROUTE, route);
        String id = pathParams.get("id");
        if (id == null) return;
        if (path.contains("/instances/")) { // /instances/{id}/…, /instances/reboot/{id} …
            MDC.put(INSTANCE, id);
        } else if (path.contains("/machines/")) {
            MDC.put(MACHINE, id);
        }
    }
}
