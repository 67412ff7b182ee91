package io.gpumarket.core.copy;

import io.gpumarket.core.error.DomainException;

/**
 * One end of a copy as vastai names it ({@code vastai/utils.py}'s {@code parse_vast_url}, sent as {@code src_id} /
 * {@code dst_id}): {@code null} or {@code "local"} is the caller's own machine, a number, digits or {@code "C.ID"}
 * an instance, {@code "V.ID"} a volume, anything else a cloud connection ({@code "s3.101"}, {@code "drive"}).
 */
public sealed interface CopyLocation {
    /** The caller's machine: rsync runs there, the server only says where to. */
    record Local() implements CopyLocation {}

    /** An instance, by id. */
    record OfInstance(long id) implements CopyLocation {}

    /** A volume ({@code V.ID}); copies to and from volumes are not served yet. */
    record OfVolume(long id) implements CopyLocation {}

    /** A cloud connection ({@code s3.101}): cloud copy goes through {@code /commands/rclone/}. */
    record Cloud(String name) implements CopyLocation {}

    /**
     * @param field the body field it came from, named in refusals
     * @param value what JSON gave: null, a number or a string
     */
    static CopyLocation of(String field, Object value) {
        if (value == null) return new Local();
        String text;
        if (value instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() <= 0 || n.doubleValue() >= 9.2e18) {
                throw refused(field, value);
            }
            return new OfInstance(n.longValue());
        } else if (value instanceof String s) {
            text = s.strip();
        } else {
            throw refused(field, value);
        }
        if (text.isEmpty() || text.equals("local")) return new Local();
        if (text.matches("(C\\.)?\\d{1,18}")) {
            long id = Long.parseLong(text.startsWith("C.") ? text.substring(2) : text);
            if (id > 0) return new OfInstance(id);
        }
        if (text.matches("V\\.\\d{1,18}")) return new OfVolume(Long.parseLong(text.substring(2)));
        if (text.matches("[A-Za-z][A-Za-z0-9_-]{0,31}(\\.\\d{1,18})?")) return new Cloud(text);
        throw refused(field, value);
    }

    private static DomainException refused(String field, Object value) {
        return new DomainException.BadRequest(
                "invalid_args",
                "'" + field + "' must be an instance id (42 or C.42), \"local\", a volume (V.7) or a cloud connection"
                        + " (s3.101), got " + value);
    }
}
