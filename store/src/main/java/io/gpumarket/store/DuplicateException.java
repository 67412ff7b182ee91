package io.gpumarket.store;

/** A unique constraint refused the write (an email, a username, a key hash already taken). */
public class DuplicateException extends RuntimeException {
    public DuplicateException(String message, Throwable cause) {
        super(message, cause);
    }
}
