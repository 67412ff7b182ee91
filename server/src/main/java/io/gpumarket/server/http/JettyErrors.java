package io.gpumarket.server.http;

import io.gpumarket.api.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches Javalin (a URI over the limit: 414; headers over the
 * limit: 431; a path with {@code %00}, a bad percent-encoding or an ambiguous segment, a bad Host header, a
 * request line that does not parse: 400), in the Vast error shape with the API's exact {@code Content-Type}
 * instead of Jetty's HTML page. Clients parse every answer as JSON; an HTML body would be their crash, not ours.
 * Every method gets the body (Jetty's default sends one for GET and POST only).
 */
public final class JettyErrors extends ErrorHandler {
    private static final HttpField CONTENT_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);

    public JettyErrors() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        response.getHeaders().put(CONTENT_TYPE);
        if (code >= 500) {
            // a 5xx quotes a request id as the API's own do (RequestIds); Jetty answered before Javalin gave one
            String id = RequestIds.fresh();
            response.getHeaders().put(RequestIds.HEADER, id);
            var quoted = ErrorMapper.body(code(code), text(code, message) + " (request id " + id + ")");
            quoted.put("request_id", id);
            response.write(true, ByteBuffer.wrap(Wire.mapper().writeValueAsBytes(quoted)), callback);
            return;
        }
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /** The body of an answer Jetty's parser gives before there is a request at all (a request line it cannot read). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int code, String message) {
        try {
            return Wire.mapper().writeValueAsBytes(ErrorMapper.body(code(code), text(code, message)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Vast-style error code for a status Jetty chose. */
    static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "server_error" : "invalid_request";
        };
    }

    private static String text(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        if (message == null || message.isBlank() || message.equals(reason)) {
            return switch (status) {
                case 414 -> "URI too long: the path and query string together must stay under the server's limit";
                case 431 -> "Request headers too large";
                case 400 ->
                    "Bad Request: the request line, a header or the path cannot be read "
                            + "(an encoded NUL or slash, a bad %-encoding, an ambiguous segment)";
                default -> reason;
            };
        }
        return reason + ": " + message;
    }
}
