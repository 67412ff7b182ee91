package io.gpumarket.api;

/** A non-2xx answer from a gpumarket (or Vast) server, with the fields of its error body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;

    public ApiException(int status, String error, String msg) {
        super("HTTP " + status + (error == null ? "" : " " + error) + ": " + msg);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
