package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.text.StorableText;
import io.javalin.http.Context;
import io.javalin.http.servlet.MaxRequestSize;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading request bodies and writing answers. Every answer is {@code Content-Type: application/json} exactly:
 * the vastai CLI compares that header with string equality, so a charset suffix breaks it.
 *
 * <p>Every JSON a request carries (its body, and JSON in query parameters) is screened before any field is read:
 * a number that is not finite as a double ({@code 1e999}, a 400-digit integer) and text no store can keep
 * ({@link StorableText}: NUL, unpaired surrogates), in a value or a key, are refused with a 400 naming where.
 * No field takes either, and refusing them here, once, keeps every field of every route from meeting them.
 */
public final class Json {
    public static final String CONTENT_TYPE = "application/json";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** The request attribute that holds a body read by {@link #bodyBytes}. */
    private static final String BODY = "gpumarket.body";
    /**
     * Top-level fields whose NUL characters the service strips instead, as Vast documents for SSH keys
     * ({@code create_ssh_key.yaml}, x-input-validation; {@code SshPublicKey}); unpaired surrogates are still refused.
     */
    private static final java.util.Set<String> NUL_STRIPPED = java.util.Set.of("ssh_key");

    private Json() {}

    public static void send(Context ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Wire.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer is not serialisable", e);
        }
        write(ctx, status, bytes);
    }

    /**
     * A JSON answer already encoded, written to the response's output at once. Not through {@code ctx.result}: Javalin
     * copies a result to the output through a fresh buffer of Jetty's output-buffer size (32 KB) per response, which
     * was a third of everything the server allocated under 10,000 long-polling agents (docs/benchmarks.md). Jetty
     * holds what is written here until the response completes (up to that 32 KB), so an error answered after it
     * replaces it ({@code resetBuffer}) as a later result did.
     */
    public static void write(Context ctx, int status, byte[] bytes) {
        var res = ctx.res();
        if (!res.isCommitted()) res.resetBuffer();
        ctx.status(status);
        ctx.header("Content-Type", CONTENT_TYPE);
        // no Content-Length of our own: Javalin gzips a large answer for a client that accepts it (python requests
        // does), and Jetty counts what is finally written when the response completes
        try {
            ctx.outputStream().write(bytes);
        } catch (IOException e) {
            // only past Jetty's buffer, when the client has gone away: nobody is left to answer, and it is not the
            // server's failure (Javalin's own copy of a result ended the same way)
        }
    }

    public static void ok(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    /** {"success": true, …pairs} */
    public static Map<String, Object> success(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        for (int i = 0; i < pairs.length; i += 2) body.put((String) pairs[i], pairs[i + 1]);
        return body;
    }

    /** The body as a JSON object; an empty body is an empty object (clients send bodies on GET/DELETE, or none). */
    public static Map<String, Object> bodyMap(Context ctx) {
        byte[] bytes = bodyBytes(ctx);
        if (isBlank(bytes)) return new LinkedHashMap<>();
        return parse(bytes, MAP, "body");
    }

    /** The body bound to a wire record; type errors name the field. */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = bodyBytes(ctx);
        if (isBlank(bytes)) bytes = "{}".getBytes();
        return parse(bytes, Wire.mapper().getTypeFactory().constructType(type), "body");
    }

    /**
     * The request's body, read once. A body that declares its length (within the server's limit) is read into an array
     * of exactly that size: Javalin's own read allocates an 8 KB buffer and a growing copy per request, the largest
     * allocation per agent sync once answers stopped going through {@code ctx.result}. Others (chunked, or over the
     * limit: refused there) take Javalin's read, which enforces the limit.
     */
    public static byte[] bodyBytes(Context ctx) {
        if (ctx.attribute(BODY) instanceof byte[] read) return read;
        long declared = ctx.req().getContentLengthLong();
        if (declared < 0 || declared > ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey())) {
            return ctx.bodyAsBytes();
        }
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes((int) declared);
        } catch (IOException e) {
            throw new DomainException.BadRequest(
                    "invalid_request", "The request body could not be read: " + e.getMessage());
        }
        ctx.attribute(BODY, bytes);
        return bytes;
    }

    /**
     * Reads and drops a declared body (within the server's limit) that nobody read. A request refused before its body
     * was read (no key, no right, a bad path) is otherwise answered while the client is still sending: Jetty then cuts
     * the connection, and the client sees a reset instead of the refusal. Never throws.
     */
    static void drainUnread(Context ctx) {
        try {
            if (ctx.attribute(BODY) != null) return;
            long declared = ctx.req().getContentLengthLong();
            if (declared <= 0 || declared > ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey())) return;
            ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // the client went away, or the body was taken another way: nothing left to keep the connection for
        }
    }

    public static Map<String, Object> parseObject(String text, String what) {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), MAP, what);
    }

    /**
     * JSON text from elsewhere in a request (a query parameter, a page token), screened as bodies are. Malformed
     * JSON is thrown as Jackson's exception for the caller to word; a refused value is a 400 naming {@code what}.
     */
    public static <T> T read(String text, TypeReference<T> type, String what) throws IOException {
        return read(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), type, what);
    }

    public static <T> T read(byte[] bytes, TypeReference<T> type, String what) throws IOException {
        screen(bytes, what);
        return Wire.mapper().readValue(bytes, type);
    }

    private static <T> T parse(byte[] bytes, Object type, String what) {
        try {
            screen(bytes, what);
            if (type instanceof TypeReference<?> ref) {
                @SuppressWarnings("unchecked")
                T value = (T) Wire.mapper().readValue(bytes, ref);
                if (value == null)
                    throw new DomainException.BadRequest(
                            "invalid_request", "Invalid json " + what + ": expected an object, got null");
                return value;
            }
            T value = Wire.mapper().readValue(bytes, (com.fasterxml.jackson.databind.JavaType) type);
            if (value == null)
                throw new DomainException.BadRequest(
                        "invalid_request", "Invalid json " + what + ": expected an object, got null");
            return value;
        } catch (InvalidFormatException e) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "Invalid value " + quote(e.getValue()) + " for '" + path(e) + "': expected "
                            + simpleName(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new DomainException.BadRequest(
                    field.isEmpty() ? "invalid_request" : "invalid_args",
                    field.isEmpty()
                            ? "Invalid json " + what + ": expected a JSON object"
                            : "Invalid value for '" + field + "': expected " + simpleName(e.getTargetType()));
        } catch (IOException e) {
            throw new DomainException.BadRequest(
                    "invalid_request", "Invalid json " + what + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * One pass over the tokens refusing non-finite numbers and unstorable text; the real parse follows. Malformed
     * JSON is thrown as Jackson's exception, as the real parse would.
     */
    private static void screen(byte[] bytes, String what) throws IOException {
        try (JsonParser p = Wire.mapper().createParser(bytes)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        String parent = path(p.getParsingContext().getParent());
                        StorableText.require(
                                p.currentName(),
                                "A key " + (parent.isEmpty() ? "" : "in '" + parent + "' ") + "of the " + what);
                    }
                    case VALUE_STRING -> {
                        JsonStreamContext c = p.getParsingContext();
                        boolean stripped =
                                c.inObject() && c.getParent().inRoot() && NUL_STRIPPED.contains(c.getCurrentName());
                        StorableText.require(stripped ? p.getText().replace("\0", "") : p.getText(), where(p, what));
                    }
                    case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> {
                        boolean finite = t == JsonToken.VALUE_NUMBER_FLOAT
                                ? Double.isFinite(p.getDoubleValue())
                                : p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                        || Double.isFinite(
                                                p.getBigIntegerValue().doubleValue());
                        if (!finite) {
                            String text = p.getText();
                            throw new DomainException.BadRequest(
                                    "invalid_args",
                                    where(p, what) + " must be a finite number, got "
                                            + (text.length() > 40
                                                    ? text.substring(0, 40) + "… (" + text.length() + " characters)"
                                                    : text));
                        }
                    }
                    default -> {}
                }
            }
        }
    }

    /** "'gpu_name.eq' in the body", or "the body" for a bare value. */
    private static String where(JsonParser p, String what) {
        String field = path(p.getParsingContext());
        return field.isEmpty() ? "The " + what : "'" + field + "' in the " + what;
    }

    /** The dotted path of a parsing context, as {@link #path(MismatchedInputException)} writes it. */
    private static String path(JsonStreamContext c) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext x = c; x != null && !x.inRoot(); x = x.getParent()) {
            if (x.inArray()) parts.addFirst("[" + Math.max(x.getCurrentIndex(), 0) + "]");
            else if (x.getCurrentName() != null) parts.addFirst(x.getCurrentName());
        }
        return String.join(".", parts);
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String simpleName(Class<?> type) {
        if (type == null) return "another type";
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        // an agent's report of a status this server does not know (a newer or broken agent): refused, naming the
        // choices
        if (type == ActualStatus.class) {
            return "one of "
                    + ActualStatus.REPORTABLE.stream()
                            .map(ActualStatus::wire)
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        return "a " + type.getSimpleName();
    }

    private static String quote(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private static String firstLine(String s) {
        if (s == null) return "malformed";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) return false;
        }
        return true;
    }
}
