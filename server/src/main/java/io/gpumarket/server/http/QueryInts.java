package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.javalin.http.Context;

/** Whole-number query parameters, refused with a 400 naming the parameter when they are not. */
final class QueryInts {
    private QueryInts() {}

    static int of(Context ctx, String name, int fallback, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 1 && v <= max) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "'" + name + "' must be a whole number from 1 to " + max + ", got '" + raw + "'");
    }

    /** A non-negative long, or {@code fallback} when absent. */
    static long longOf(Context ctx, String name, long fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "'" + name + "' must be a whole number >= 0, got '" + raw + "'");
    }
}
