package io.gpumarket.cli.query;

/** A query string the grammar refuses; the message is the one vastai prints after {@code Error: }. */
public final class QueryException extends RuntimeException {
    public QueryException(String message) {
        super(message);
    }
}
