package io.gpumarket.cli.client;

/** A verb that cannot do what was asked: its message goes to stderr as is, and the CLI exits with {@code code}. */
public final class Failure extends RuntimeException {
    private final int code;

    public Failure(String message) {
        this(message, 1);
    }

    public Failure(String message, int code) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
