package io.gpumarket.api;

/** A non-2xx answer from a gpumarket (or Vast) server, with the fields of its error body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String msg;
    private final boolean json;
    private final java.time.Duration retryAfter;

    public ApiException(int status, String error, String msg) {
        this(status, error, msg, true);
    }

    /** @param json whether the body was JSON; when not, {@code msg} is the body's text */
    public ApiException(int status, String error, String msg, boolean json) {
        this(status, error, msg, json, null);
    }

    /** @param retryAfter the answer's {@code Retry-After} (null when it had none): see {@link RetryAfter} */
    public ApiException(int status, String error, String msg, boolean json, java.time.Duration retryAfter) {
        super("HTTP " + status + (error == null ? "" : " " + error) + ": " + (msg == null ? "(no msg)" : msg));
        this.status = status;
        this.error = error;
        this.msg = msg;
        this.json = json;
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait before trying again (429, 503), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The body's {@code msg} (null when it has none), or the body's text when it was not JSON. */
    public String msg() {
        return msg;
    }

    public boolean json() {
        return json;
    }
}
