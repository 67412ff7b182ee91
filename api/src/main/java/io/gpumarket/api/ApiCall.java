package io.gpumarket.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One request to a gpumarket server, as {@link HttpTransport} sends it. Each client states what it sends rather
 * than the transport guessing: the CLI's calls ask for JSON ({@code Accept}) and label a body only when there is
 * one; the agent labels every call, its plain-text log uploads and octet speed tests included.
 *
 * @param method      the HTTP method
 * @param target      the path and query under the server's URL, as written
 * @param body        the bytes to send; null sends no body at all (an empty array sends an empty one)
 * @param contentType the {@code Content-Type} header, or null for none
 * @param timeout     how long the whole exchange may take
 * @param acceptJson  whether to send {@code Accept: application/json}
 * @param headers     further headers, as name, value, name, value …
 */
public record ApiCall(
        String method,
        String target,
        byte[] body,
        String contentType,
        Duration timeout,
        boolean acceptJson,
        List<String> headers) {
    public ApiCall {
        if (headers.size() % 2 != 0) throw new IllegalArgumentException("headers come in name/value pairs: " + headers);
        headers = List.copyOf(headers);
    }

    /** A call without a body or extra headers. */
    public static ApiCall of(String method, String target, Duration timeout) {
        return new ApiCall(method, target, null, null, timeout, false, List.of());
    }

    /** The same call carrying {@code body} labelled {@code contentType}. */
    public ApiCall withBody(byte[] bytes, String type) {
        return new ApiCall(method, target, bytes, type, timeout, acceptJson, headers);
    }

    /** The same call asking for a JSON answer. */
    public ApiCall acceptingJson() {
        return new ApiCall(method, target, body, contentType, timeout, true, headers);
    }

    /** The same call with one more header. */
    public ApiCall withHeader(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new ApiCall(method, target, body, contentType, timeout, acceptJson, more);
    }
}
