package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading request bodies and writing answers. Every answer is {@code Content-Type: application/json} exactly:
 * the vastai CLI compares that header with string equality, so a charset suffix breaks it.
 */
public final class Json {
    public static final String CONTENT_TYPE = "application/json";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    public static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status);
            ctx.header("Content-Type", CONTENT_TYPE);
            ctx.result(Wire.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer is not serialisable", e);
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
        byte[] bytes = ctx.bodyAsBytes();
        if (isBlank(bytes)) return new LinkedHashMap<>();
        return parse(bytes, MAP, "body");
    }

    /** The body bound to a wire record; type errors name the field. */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (isBlank(bytes)) bytes = "{}".getBytes();
        return parse(bytes, Wire.mapper().getTypeFactory().constructType(type), "body");
    }

    public static Map<String, Object> parseObject(String text, String what) {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), MAP, what);
    }

    private static <T> T parse(byte[] bytes, Object type, String what) {
        try {
            if (type instanceof TypeReference<?> ref) {
                @SuppressWarnings("unchecked")
                T value = (T) Wire.mapper().readValue(bytes, ref);
                if (value == null) throw new DomainException.BadRequest("invalid_request", "Invalid json " + what + ": expected an object, got null");
                return value;
            }
            T value = Wire.mapper().readValue(bytes, (com.fasterxml.jackson.databind.JavaType) type);
            if (value == null) throw new DomainException.BadRequest("invalid_request", "Invalid json " + what + ": expected an object, got null");
            return value;
        } catch (InvalidFormatException e) {
            throw new DomainException.BadRequest("invalid_args",
                    "Invalid value " + quote(e.getValue()) + " for '" + path(e) + "': expected " + simpleName(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new DomainException.BadRequest(field.isEmpty() ? "invalid_request" : "invalid_args",
                    field.isEmpty() ? "Invalid json " + what + ": expected a JSON object"
                            : "Invalid value for '" + field + "': expected " + simpleName(e.getTargetType()));
        } catch (IOException e) {
            throw new DomainException.BadRequest("invalid_request", "Invalid json " + what + ": " + firstLine(e.getMessage()));
        }
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String simpleName(Class<?> type) {
        if (type == null) return "another type";
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
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
