package io.gpumarket.core.search;

/**
 * A search body the market cannot run: an unknown field or operator, a value of the wrong type, a malformed
 * control key. The server answers it with HTTP 400 and Vast's {@code invalid_args} error, the message as
 * {@code msg}; the message names the field and the value so the client can fix the query.
 */
public final class QueryException extends RuntimeException {
    public static final String ERROR_CODE = "invalid_args";

    private final String field;

    public QueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The key of the query the problem is in (a column, or a control key such as {@code order}). */
    public String field() {
        return field;
    }

    /** Vast's error code for the response body's {@code error}. */
    public String error() {
        return ERROR_CODE;
    }
}
