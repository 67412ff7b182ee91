package io.gpumarket.core.cloud;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.text.StorableText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code POST /api/v0/commands/rclone/} body judged: which way ({@code transfer}: "Instance To Cloud" or "Cloud To
 * Instance", any case, as vastai's {@code cloud copy} sends it), the instance path and the cloud path (bucket and
 * prefix), and the rclone flags, which must come from vastai's own list: the agent passes nothing else to rclone, so
 * a renter cannot add {@code --config}, {@code --s3-endpoint} or a flag that runs a program.
 *
 * @param toCloud      true for "Instance To Cloud"
 * @param instancePath absolute, without {@code ..}
 * @param cloudPath    {@code bucket[/prefix]}, without a leading slash
 */
public record CloudCopyRequest(boolean toCloud, String instancePath, String cloudPath, List<String> flags) {
    /** vastai's {@code cloud copy} options, as it turns them into flags. */
    public static final Set<String> FLAGS =
            Set.of("--dry-run", "--size-only", "--ignore-existing", "--update", "--delete-excluded");

    static final int MAX_PATH = 1024;

    public CloudCopyRequest {
        flags = List.copyOf(flags);
    }

    public static CloudCopyRequest of(String src, String dst, String transfer, List<String> flags) {
        if (transfer == null) throw bad("'transfer' is required: \"Instance To Cloud\" or \"Cloud To Instance\"");
        String t = transfer.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        boolean toCloud;
        if (t.equals("instance to cloud")) toCloud = true;
        else if (t.equals("cloud to instance")) toCloud = false;
        else throw bad("'transfer' must be \"Instance To Cloud\" or \"Cloud To Instance\", got \"" + transfer + "\"");
        if (src == null || src.isBlank()) throw bad("'src' is required");
        if (dst == null || dst.isBlank()) throw bad("'dst' is required");
        String instancePath = instancePath(toCloud ? "src" : "dst", toCloud ? src : dst);
        String cloudPath = cloudPath(toCloud ? "dst" : "src", toCloud ? dst : src);
        List<String> kept = new ArrayList<>();
        for (String f : flags == null ? List.<String>of() : flags) {
            if (f == null || !FLAGS.contains(f.strip()))
                throw bad("flag " + f + " is not allowed; allowed: "
                        + String.join(", ", FLAGS.stream().sorted().toList()));
            if (!kept.contains(f.strip())) kept.add(f.strip());
        }
        return new CloudCopyRequest(toCloud, instancePath, cloudPath, kept);
    }

    /** "Instance To Cloud" / "Cloud To Instance", as Vast writes it. */
    public String transfer() {
        return toCloud ? "Instance To Cloud" : "Cloud To Instance";
    }

    /** An absolute path inside the instance (a relative one is under /workspace, vastai's default dst). */
    static String instancePath(String field, String path) {
        String p = checked(field, path.strip());
        if (!p.startsWith("/")) p = "/workspace/" + p;
        for (String part : p.split("/")) {
            if (part.equals("..")) throw bad("'" + field + "' must not contain '..', got " + path);
        }
        return p;
    }

    /** {@code bucket[/prefix]}: the first part names a bucket as S3 spells them. */
    static String cloudPath(String field, String path) {
        String p = checked(field, path.strip());
        while (p.startsWith("/")) p = p.substring(1);
        String bucket = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw bad("'" + field + "' must start with a bucket name (3 to 63 lowercase letters, digits, '.' and '-'),"
                    + " got " + path);
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) throw bad("'" + field + "' must not contain '..', got " + path);
        }
        return p;
    }

    private static String checked(String field, String p) {
        if (p.isEmpty()) throw bad("'" + field + "' is required");
        if (p.length() > MAX_PATH) throw bad("'" + field + "' is longer than " + MAX_PATH + " characters");
        if (StorableText.firstUnstorable(p) >= 0 || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f))
            throw bad("'" + field + "' must be printable text");
        return p;
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
