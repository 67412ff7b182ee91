package io.gpumarket.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading instances: one by id, or every page of the v1 list (docs/vast-compatibility.md §b.2), and how to reach one over SSH. */
public final class Instances {
    /** The v1 list's largest page. */
    public static final int PAGE = 25;

    private Instances() {}

    /** The instance, or empty when the server answers {@code {"instances": null}} (unknown or destroyed). */
    public static Optional<JsonNode> show(Api api, long id) {
        JsonNode answer = api.get("/instances/" + id + "/", Map.of("owner", "me"));
        JsonNode instance = answer.get("instances");
        return instance == null || instance.isNull() || !instance.isObject() ? Optional.empty() : Optional.of(instance);
    }

    /** Every instance matching the filters, following {@code next_token} to the last page. */
    public static List<JsonNode> all(Api api, Map<String, Object> selectFilters, List<Map<String, String>> orderBy) {
        List<JsonNode> rows = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("select_filters", selectFilters == null ? Map.of() : selectFilters);
        params.put("order_by", orderBy == null || orderBy.isEmpty() ? List.of(order("id", "asc")) : orderBy);
        params.put("limit", PAGE);
        while (true) {
            JsonNode page = api.get("/api/v1/instances/", params);
            page.path("instances").forEach(rows::add);
            JsonNode next = page.get("next_token");
            if (next == null || next.isNull() || next.asText().isEmpty()) return rows;
            params.put("after_token", next.asText());
        }
    }

    public static Map<String, String> order(String col, String dir) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("col", col);
        o.put("dir", dir);
        return o;
    }

    /**
     * Where the instance's SSH door is (docs/vast-compatibility.md §f.5): the direct mapping of {@code 22/tcp} on {@code public_ipaddr}
     * when the instance publishes one, else {@code ssh_host}:{@code ssh_port} (+1 for jupyter runtypes, as vastai
     * computes it). Empty when no port is known.
     */
    public static Optional<SshTarget> sshTarget(JsonNode instance) {
        JsonNode direct = instance.path("ports").path("22/tcp");
        String host;
        int port;
        if (direct.isArray() && !direct.isEmpty()) {
            host = instance.path("public_ipaddr").asText(null);
            port = direct.get(0).path("HostPort").asInt(-1);
        } else {
            host = instance.path("ssh_host").asText(null);
            port = instance.path("ssh_port").asInt(-1);
            if (port > 0 && instance.path("image_runtype").asText("").contains("jupyter")) port += 1;
        }
        if (host == null || host.isBlank() || port <= 0) return Optional.empty();
        return Optional.of(new SshTarget(host, port));
    }

    public record SshTarget(String host, int port) {
        public String url(String scheme) {
            return scheme + "://root@" + host + ":" + port;
        }
    }
}
