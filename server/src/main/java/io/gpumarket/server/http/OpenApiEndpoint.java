package io.gpumarket.server.http;

import java.util.Map;

/**
 * {@code GET /api/openapi.json}: the API document ({@link OpenApiDocument}), public as Vast's own is. Registered
 * after every other route; written once, at the first request, from the finished route table.
 */
public final class OpenApiEndpoint {
    private volatile Map<String, Object> document;

    public void register(Router r) {
        r.get("/api/openapi.json", Access.PUBLIC, (ctx, caller) -> {
            Map<String, Object> doc = document;
            if (doc == null) document = doc = OpenApiDocument.of(r.table());
            Json.ok(ctx, doc);
        });
    }
}
