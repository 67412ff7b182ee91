package io.gpumarket.core.copy;

import io.gpumarket.core.error.DomainException;

/**
 * vastai's copy body ({@code vastai/api/storage.py} {@code copy}: {@code src_id}, {@code dst_id}, {@code
 * src_path}, {@code dst_path}), checked: paths as {@code parse_vast_url} accepts them (a Unix path, no NUL), at
 * most 4,096 bytes, and ends that make sense for the route asked.
 */
public record CopyRequest(CopyLocation src, String srcPath, CopyLocation dst, String dstPath) {
    static final int MAX_PATH = 4096;

    public static CopyRequest of(Object srcId, String srcPath, Object dstId, String dstPath) {
        return new CopyRequest(
                CopyLocation.of("src_id", srcId),
                path("src_path", srcPath),
                CopyLocation.of("dst_id", dstId),
                path("dst_path", dstPath));
    }

    /**
     * The rsync route's request (local ↔ instance): exactly one end local, the other an instance.
     *
     * @return the instance's end
     */
    public CopyLocation.OfInstance remoteForRsync() {
        boolean srcLocal = src instanceof CopyLocation.Local;
        boolean dstLocal = dst instanceof CopyLocation.Local;
        if (srcLocal == dstLocal) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    srcLocal
                            ? "one end of a copy must be an instance"
                            : "neither end is local: instance to instance copies go through /commands/copy_direct/");
        }
        CopyLocation remote = srcLocal ? dst : src;
        if (remote instanceof CopyLocation.OfInstance i) return i;
        throw unsupported(remote);
    }

    /** Whether the caller's machine is the destination (then the answer names {@code src_addr}/{@code src_port}). */
    public boolean toLocal() {
        return dst instanceof CopyLocation.Local;
    }

    /** copy_direct's request: both ends instances; the pair. */
    public CopyLocation.OfInstance[] instances() {
        if (src instanceof CopyLocation.OfInstance s && dst instanceof CopyLocation.OfInstance d) {
            if (s.id() == d.id()) {
                throw new DomainException.BadRequest(
                        "invalid_args", "source and destination are the same instance; copy inside it with cp");
            }
            return new CopyLocation.OfInstance[] {s, d};
        }
        if (src instanceof CopyLocation.Local || dst instanceof CopyLocation.Local) {
            throw new DomainException.BadRequest(
                    "invalid_args", "one end is local: local copies go through /commands/rsync/");
        }
        throw unsupported(src instanceof CopyLocation.OfInstance ? dst : src);
    }

    static DomainException unsupported(CopyLocation where) {
        return switch (where) {
            case CopyLocation.OfVolume v ->
                new DomainException.BadRequest(
                        "unsupported", "copies to and from volumes (V." + v.id() + ") are not supported yet");
            case CopyLocation.Cloud c ->
                new DomainException.BadRequest(
                        "unsupported",
                        "'" + c.name() + "' is a cloud connection: cloud copies go through /commands/rclone/"
                                + " (vastai cloud copy)");
            default -> new DomainException.BadRequest("invalid_args", "unsupported copy end " + where);
        };
    }

    private static String path(String field, String path) {
        if (path == null || path.isEmpty()) return "/";
        // parse_vast_url's regex ^(/)?([^/\0]+(/)?)+$ says: no NUL and no empty segment; checked without it, since
        // that regex backtracks exponentially on a long name that fails at its end
        if (path.length() > MAX_PATH || path.indexOf('\0') >= 0 || (!path.equals("/") && path.contains("//"))) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'" + field + "' is not a valid Unix style path (at most " + MAX_PATH + " bytes)");
        }
        return path;
    }
}
