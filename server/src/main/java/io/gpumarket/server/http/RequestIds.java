package io.gpumarket.server.http;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every request's id: the caller's own {@code X-Request-Id} when it is a sane token (a proxy in front, or a client
 * tracing its calls), else a new random one. It goes back in the response's {@code X-Request-Id}, into every log line
 * the request causes (the MDC key {@link #MDC_KEY}, which the JSON log writes as a field) and into every 5xx body, so
 * an operator can go from a user's error message to the log lines of that request.
 *
 * <p>Requests run on virtual threads of their own, so what is put in the MDC here leaves with the thread; it is
 * cleared at the start anyway in case a pool ever hands a thread over.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    /** Where the id is kept on the request for the error mapper. */
    static final String ATTRIBUTE = "gpumarket.request-id";

    /** An incoming id we repeat: short, and nothing a log reader or a header could be confused by. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private RequestIds() {}

    /** The before-handler of every request. */
    public static void assign(Context ctx) {
        MDC.clear();
        String incoming = ctx.header(HEADER);
        String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : fresh();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** The request's id (a new one for a request that never went through {@link #assign}). */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            id = fresh();
            ctx.attribute(ATTRIBUTE, id);
            ctx.header(HEADER, id);
        }
        return id;
    }

    /** 128 random bits in hex: unique enough across replicas without coordination. */
    static String fresh() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
