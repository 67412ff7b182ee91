package io.gpumarket.core.error;

/**
 * What a rule or service refuses, with the Vast error code clients see ({@code invalid_args}, {@code no_such_ask},
 * {@code auth_error} …) and a message that says what to change. One mapper in the server turns the subtype into
 * the HTTP status; nothing else in the code base picks statuses.
 */
public abstract sealed class DomainException extends RuntimeException
        permits DomainException.BadRequest,
                DomainException.Unauthorized,
                DomainException.Forbidden,
                DomainException.NotFound,
                DomainException.Conflict,
                DomainException.Gone {
    private final String code;

    private DomainException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** 400: the request itself is wrong. */
    public static final class BadRequest extends DomainException {
        public BadRequest(String code, String message) {
            super(code, message);
        }
    }

    /** 401: no usable credentials. */
    public static final class Unauthorized extends DomainException {
        public Unauthorized(String code, String message) {
            super(code, message);
        }
    }

    /** 403: authenticated, but not allowed. */
    public static final class Forbidden extends DomainException {
        public Forbidden(String code, String message) {
            super(code, message);
        }
    }

    /** 404: no such thing, or not the caller's (the two answers must not differ). */
    public static final class NotFound extends DomainException {
        public NotFound(String code, String message) {
            super(code, message);
        }
    }

    /** 409: the thing exists already. */
    public static final class Conflict extends DomainException {
        public Conflict(String code, String message) {
            super(code, message);
        }
    }

    /** 410: it existed, and is gone (a rented offer). */
    public static final class Gone extends DomainException {
        public Gone(String code, String message) {
            super(code, message);
        }
    }
}
