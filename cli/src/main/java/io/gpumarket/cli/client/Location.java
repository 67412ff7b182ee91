package io.gpumarket.cli.client;

/**
 * One side of {@code copy} in vastai's syntax ({@code parse_vast_url}, docs/vast-compatibility.md §b.3): {@code ID:path} or
 * {@code C.ID:path} is a path in instance ID, {@code local:path} or a bare path is local, a bare number is the
 * instance's {@code /}. Instance paths are taken from the instance's {@code /} as vastai takes them.
 *
 * @param instance the instance id, or null for a local path
 */
public record Location(Long instance, String path) {
    private static final String VALID_PATH = "^(/)?([^/\\x00]+(/)?)+$";

    public static Location parse(String spec) {
        String id = null;
        String path = spec;
        if (spec.contains(":")) {
            String[] parts = spec.split(":", 3);
            if (parts.length != 2) throw new IllegalArgumentException("Invalid VRL (Vast resource locator): " + spec);
            id = parts[0];
            path = parts[1];
        } else if (spec.matches("\\d+")) {
            id = spec;
            path = "/";
        }
        if (!path.equals("/") && !path.matches(VALID_PATH)) {
            throw new IllegalArgumentException("Path component: " + path + " of VRL is not a valid Unix style path.");
        }
        if (id == null || id.equals("local")) return new Location(null, path);
        String number = id.startsWith("C.") ? id.substring(2) : id;
        if (!number.matches("\\d{1,18}")) {
            throw new IllegalArgumentException(
                    "'" + id + "': gpumarket copies between instances (ID: or C.ID:) and local paths;"
                            + " volumes (V.) and cloud connections are not supported");
        }
        return new Location(Long.parseLong(number), path.startsWith("/") ? path : "/" + path);
    }

    public boolean local() {
        return instance == null;
    }

    @Override
    public String toString() {
        return local() ? path : instance + ":" + path;
    }
}
