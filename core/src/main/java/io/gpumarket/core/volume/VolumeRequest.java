package io.gpumarket.core.volume;

import io.gpumarket.core.error.DomainException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A create-instance body's {@code volume_info} (vastai {@code --create-volume ASK | --link-volume ID --mount-path P}):
 * either a new volume rented from the volume offer {@code volumeId} with {@code sizeGb}, or the renter's existing
 * volume {@code volumeId}; mounted at {@code mountPath} inside the instance.
 */
public record VolumeRequest(boolean createNew, long volumeId, long sizeGb, String mountPath, String name) {
    /** vastai's own check of the mount path (an absolute Linux path), kept here so every client is held to it. */
    private static final Pattern PATH = Pattern.compile("^(/[A-Za-z0-9._-]+)+/?$");
    /** The default size vastai sends when creating without {@code --volume-size}. */
    public static final long DEFAULT_SIZE_GB = 15;

    /** Parses the body's object; null when the body has none. */
    public static VolumeRequest parse(Object raw) {
        if (raw == null) return null;
        if (!(raw instanceof Map<?, ?> m)) throw invalid("'volume_info' must be an object");
        boolean createNew = m.get("create_new") instanceof Boolean b && b;
        long id = whole(m.get("volume_id"), "volume_info.volume_id");
        if (id <= 0) throw invalid("volume_info.volume_id must be a volume (or, with create_new, a volume offer) id");
        Object size = m.get("size");
        long sizeGb = size == null ? DEFAULT_SIZE_GB : whole(size, "volume_info.size");
        if (createNew && (sizeGb < 1 || sizeGb > 1_000_000))
            throw invalid("volume_info.size must be 1 to 1000000 GB, got " + sizeGb);
        if (!(m.get("mount_path") instanceof String path) || !PATH.matcher(path).matches())
            throw invalid(
                    "volume_info.mount_path must be an absolute path such as /root/volume, got " + m.get("mount_path"));
        String normal = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String part : normal.substring(1).split("/")) {
            if (part.equals(".") || part.equals(".."))
                throw invalid("volume_info.mount_path must not contain . or .., got " + path);
        }
        if (normal.equals("/") || RESERVED.containsKey(normal.split("/")[1]) && normal.split("/").length == 2)
            throw invalid("volume_info.mount_path cannot be " + normal + "; mount the volume below it, e.g. " + normal
                    + "/volume");
        Object name = m.get("name");
        if (name != null && !(name instanceof String)) throw invalid("volume_info.name must be text");
        if (name != null && ((String) name).length() > 64) throw invalid("volume_info.name is longer than 64");
        return new VolumeRequest(createNew, id, createNew ? sizeGb : 0, normal, (String) name);
    }

    /** Top-level directories a volume may not replace (it may be mounted below them). */
    private static final Map<String, Boolean> RESERVED = Map.ofEntries(
            Map.entry("root", true),
            Map.entry("workspace", true),
            Map.entry("tmp", true),
            Map.entry("proc", true),
            Map.entry("dev", true),
            Map.entry("sys", true),
            Map.entry("run", true),
            Map.entry("usr", true),
            Map.entry("bin", true),
            Map.entry("sbin", true),
            Map.entry("lib", true),
            Map.entry("lib64", true),
            Map.entry("etc", true),
            Map.entry("opt", true),
            Map.entry("var", true),
            Map.entry("home", true),
            Map.entry("boot", true));

    private static long whole(Object v, String field) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return (long) d;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException ignored) {
                // refused below
            }
        }
        throw invalid(field + " must be a whole number, got " + v);
    }

    private static DomainException invalid(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
