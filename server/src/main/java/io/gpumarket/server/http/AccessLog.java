package io.gpumarket.server.http;

import io.javalin.http.Context;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per request that changed something or failed (logger {@code io.gpumarket.access}): method, path,
 * status and time, with the request's id and the MDC fields of {@link LogFields}. Reads that succeed, and agents'
 * routine syncs, are logged at DEBUG only: at a market's size they are thousands a second and tell nothing an
 * operator searches for ({@code /metrics} counts them).
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.gpumarket.access");

    private AccessLog() {}

    public static void record(Context ctx, Float ms) {
        int status = ctx.status().getCode();
        boolean routine =
                status < 400 && (ctx.method().name().equals("GET") || ctx.path().startsWith("/api/v0/agent/"));
        if (routine ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) return;
        // the request logger may run after the handler's thread let go of the MDC: the id comes from the request
        String id = ctx.attribute(RequestIds.ATTRIBUTE);
        if (id != null) MDC.put(RequestIds.MDC_KEY, id);
        String took = tenths(ms);
        if (routine) LOG.debug("{} {} {} {} ms", ctx.method(), ctx.path(), status, took);
        else LOG.info("{} {} {} {} ms", ctx.method(), ctx.path(), status, took);
    }

    /**
     * Milliseconds with one decimal, as {@code String.format("%.1f")} writes them for the log (rounded half up);
     * {@code String.format} was a third of this line's cost, and the line is written for every rent.
     */
    static String tenths(Float ms) {
        if (ms == null || !Float.isFinite(ms) || ms < 0) return String.format(Locale.ROOT, "%.1f", ms);
        long t = Math.round(ms * 10.0);
        return (t / 10) + "." + (t % 10);
    }
}
