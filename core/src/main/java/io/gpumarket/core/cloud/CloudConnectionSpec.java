package io.gpumarket.core.cloud;

import io.gpumarket.core.error.DomainException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A cloud connection as a renter adds it ({@code POST /api/v0/users/cloud_integrations/}; Vast adds them in its web
 * console, vast-cli only lists them): a name, a {@code cloud_type} (only {@code s3}, which covers every S3-compatible
 * store: AWS, Backblaze B2's S3 API, Cloudflare R2, MinIO, Ceph …) and the options rclone's s3 backend needs.
 * {@link #rcloneOptions()} is exactly what the agent gets, under rclone's own option names.
 *
 * <p>No value may hold a control character: the agent passes the options to rclone as {@code NAME=value} lines on its
 * standard input (never on a command line), and a newline would start another option.
 */
public record CloudConnectionSpec(
        String name,
        String cloudType,
        String provider,
        String endpoint,
        String region,
        String accessKeyId,
        String secretAccessKey) {
    public static final Set<String> TYPES = Set.of("s3");
    /** rclone's s3 providers a renter may name (rclone adjusts its requests to each); "Other" for any other. */
    public static final Set<String> PROVIDERS = Set.of(
            "AWS",
            "Alibaba",
            "Ceph",
            "Cloudflare",
            "DigitalOcean",
            "Dreamhost",
            "IBMCOS",
            "Minio",
            "Other",
            "Scaleway",
            "Wasabi");

    static final int MAX_VALUE = 512;

    public static CloudConnectionSpec of(
            String name,
            String cloudType,
            String provider,
            String endpoint,
            String region,
            String accessKeyId,
            String secretAccessKey) {
        String n = required("name", name);
        if (n.length() > 100) throw bad("'name' is longer than 100 characters");
        String type = cloudType == null ? "s3" : cloudType.strip().toLowerCase(java.util.Locale.ROOT);
        if (!TYPES.contains(type)) throw bad("'cloud_type' must be s3 (any S3-compatible storage), got " + cloudType);
        String p = provider == null || provider.isBlank() ? "Other" : provider.strip();
        if (!PROVIDERS.contains(p))
            throw bad("'provider' must be one of "
                    + String.join(", ", PROVIDERS.stream().sorted().toList()) + ", got " + provider);
        String e = endpoint == null || endpoint.isBlank() ? null : endpoint(endpoint.strip());
        if (e == null && !p.equals("AWS"))
            throw bad(
                    "'endpoint' is required unless 'provider' is AWS (the storage's URL, e.g. https://s3.example.com)");
        String r = region == null || region.isBlank() ? null : value("region", region.strip());
        return new CloudConnectionSpec(
                n,
                type,
                p,
                e,
                r,
                required("access_key_id", accessKeyId),
                required("secret_access_key", secretAccessKey));
    }

    /** rclone's s3 options, by rclone's names: what the agent turns into {@code RCLONE_CONFIG_<REMOTE>_<NAME>}. */
    public Map<String, String> rcloneOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("type", cloudType);
        o.put("provider", provider);
        o.put("access_key_id", accessKeyId);
        o.put("secret_access_key", secretAccessKey);
        if (endpoint != null) o.put("endpoint", endpoint);
        if (region != null) o.put("region", region);
        return o;
    }

    /** The options back from what {@link #rcloneOptions()} gave (after unsealing). */
    public static CloudConnectionSpec fromOptions(String name, Map<String, String> o) {
        return new CloudConnectionSpec(
                name,
                o.get("type"),
                o.get("provider"),
                o.get("endpoint"),
                o.get("region"),
                o.get("access_key_id"),
                o.get("secret_access_key"));
    }

    /** The access key with all but its last four characters masked, for showing back. */
    public String maskedKeyId() {
        String k = accessKeyId;
        return k.length() <= 4 ? "****" : "*".repeat(Math.min(12, k.length() - 4)) + k.substring(k.length() - 4);
    }

    private static String endpoint(String url) {
        value("endpoint", url);
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null)
                throw bad("'endpoint' must be an http:// or https:// URL with a host, got " + url);
            if (u.getUserInfo() != null) throw bad("'endpoint' must not carry a user name or password");
        } catch (URISyntaxException ex) {
            throw bad("'endpoint' is not a URL: " + ex.getMessage());
        }
        return url;
    }

    private static String required(String field, String v) {
        if (v == null || v.isBlank()) throw bad("'" + field + "' is required");
        return value(field, v.strip());
    }

    private static String value(String field, String v) {
        if (v.length() > MAX_VALUE) throw bad("'" + field + "' is longer than " + MAX_VALUE + " characters");
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f))
            throw bad("'" + field + "' must not hold control characters");
        return v;
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }

    /** Never the keys: a spec may end up in a log line or an exception. */
    @Override
    public String toString() {
        return "CloudConnectionSpec[" + name + ", " + cloudType + ", " + provider + ", " + endpoint + "]";
    }
}
