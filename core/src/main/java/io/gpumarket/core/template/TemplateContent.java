package io.gpumarket.core.template;

import io.gpumarket.core.instance.Env;
import io.gpumarket.core.instance.RentRequest;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.search.OfferQueryParser;
import io.gpumarket.core.search.QueryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a template says (docs/vast-compatibility.md §g.1), checked: every field a client may set, in wire names. {@code env} is the
 * Docker-flag string templates store ({@code "-e TZ=UTC -p 8080:8080"}), checked by parsing it as an instance
 * would; {@code extra_filters} must be a valid offer query; {@code runtype} is checked as a create body's is.
 *
 * <p>Defaults where the body is silent: {@code tag} "latest", {@code recommended_disk_space} 8 GB,
 * {@code readme_visible} true, {@code private} true (a template is published only when asked: nothing is made
 * public by leaving a field out), {@code runtype} "ssh" when {@code use_ssh} is set, else Vast's "args".
 */
public record TemplateContent(Map<String, Object> fields) {
    public static final int MAX_NAME = 255;
    public static final int MAX_TEXT = 4096;
    public static final int MAX_README = 65_536;
    /** The settable fields, in the order the hash and the views use. */
    public static final List<String> FIELDS = List.of(
            "name",
            "image",
            "tag",
            "desc",
            "readme",
            "readme_visible",
            "env",
            "onstart",
            "runtype",
            "args_str",
            "ssh_direct",
            "use_ssh",
            "jup_direct",
            "use_jupyter_lab",
            "jupyter_dir",
            "docker_login_repo",
            "docker_login_user",
            "docker_login_pass",
            "href",
            "repo",
            "extra_filters",
            "recommended_disk_space",
            "private",
            "volume_info");

    public TemplateContent {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A new template from a create body; unknown keys are ignored, as everywhere in the API. */
    public static TemplateContent of(Map<String, ?> body) {
        Map<String, Object> f = new LinkedHashMap<>();
        String name = Fields.string(body, "name", null, MAX_NAME);
        if (name == null || name.isBlank()) throw Fields.bad("Template name is required");
        String image = Fields.string(body, "image", null, RentRequest.MAX_IMAGE);
        if (image == null || image.isBlank()) throw Fields.bad("Template image is required, e.g. \"vastai/pytorch\"");
        if (image.strip().chars().anyMatch(Character::isWhitespace))
            throw Fields.bad("'image' must not contain blanks: '" + image + "'");
        f.put("name", name.strip());
        f.put("image", image.strip());
        f.put("tag", Fields.string(body, "tag", "latest", 128).strip());
        f.put("desc", Fields.string(body, "desc", null, MAX_TEXT));
        f.put("readme", Fields.string(body, "readme", null, MAX_README));
        f.put("readme_visible", Fields.bool(body, "readme_visible", true));
        String env = Fields.string(body, "env", "", Env.MAX_TOTAL);
        Env.parse(env);
        f.put("env", env);
        String onstart = Fields.string(body, "onstart", null, RentRequest.MAX_SCRIPT);
        String argsStr = Fields.string(body, "args_str", null, RentRequest.MAX_SCRIPT);
        if ((onstart == null ? 0 : onstart.length()) + (argsStr == null ? 0 : argsStr.length())
                > RentRequest.MAX_SCRIPT) {
            throw Fields.bad("onstart and args_str are longer than " + RentRequest.MAX_SCRIPT + " characters together");
        }
        f.put("onstart", onstart);
        boolean useSsh = Fields.bool(body, "use_ssh", false);
        String runtype = Fields.string(body, "runtype", null, 128);
        if (runtype == null || runtype.isBlank()) runtype = useSsh ? "ssh" : "args";
        Runtype.parse(runtype, argsStr != null && !argsStr.isBlank());
        f.put("runtype", runtype.strip());
        f.put("args_str", argsStr);
        f.put("ssh_direct", Fields.bool(body, "ssh_direct", false));
        f.put("use_ssh", useSsh);
        f.put("jup_direct", Fields.bool(body, "jup_direct", false));
        f.put("use_jupyter_lab", Fields.bool(body, "use_jupyter_lab", false));
        for (String s :
                List.of("jupyter_dir", "docker_login_repo", "docker_login_user", "docker_login_pass", "href", "repo")) {
            f.put(s, Fields.string(body, s, null, 1024));
        }
        Map<String, Object> filters = Fields.object(body, "extra_filters", Map.of());
        try {
            OfferQueryParser.parse(filters);
        } catch (QueryException e) {
            throw Fields.bad("extra_filters: " + e.getMessage());
        }
        f.put("extra_filters", filters);
        double disk = Fields.number(body, "recommended_disk_space", RentRequest.DEFAULT_DISK_GB);
        if (!(disk >= RentRequest.MIN_DISK_GB) || disk > 1_000_000) {
            throw Fields.bad("'recommended_disk_space' must be from " + (int) RentRequest.MIN_DISK_GB
                    + " to 1000000 GB, got " + disk);
        }
        f.put("recommended_disk_space", disk);
        f.put("private", Fields.bool(body, "private", true));
        f.put("volume_info", Fields.object(body, "volume_info", null));
        return new TemplateContent(f);
    }

    /**
     * This template edited: every field the body gives (not null) replaces the current one, the rest stay. The
     * vastai CLI sends every field, null where the user gave none, so null means "unchanged", not "clear".
     */
    public TemplateContent edit(Map<String, ?> changes) {
        Map<String, Object> merged = new LinkedHashMap<>(fields);
        for (String k : FIELDS) {
            if (changes.get(k) != null) merged.put(k, changes.get(k));
        }
        return of(merged);
    }

    /**
     * The template's {@code hash_id}: derived from its creator and every field, so an edit that changes anything
     * changes it, and the same creator sending the same template twice gets the one already made.
     */
    public String hashId(long creatorId) {
        StringBuilder canonical = new StringBuilder().append(creatorId);
        for (String k : FIELDS) canonical.append('\n').append(k).append('=').append(canonical(fields.get(k)));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public String name() {
        return (String) fields.get("name");
    }

    public boolean isPrivate() {
        return (Boolean) fields.get("private");
    }

    public String env() {
        return (String) fields.get("env");
    }

    public String onstart() {
        return (String) fields.get("onstart");
    }

    public String runtype() {
        return (String) fields.get("runtype");
    }

    public String argsStr() {
        return (String) fields.get("args_str");
    }

    public double recommendedDiskSpace() {
        return ((Number) fields.get("recommended_disk_space")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> extraFilters() {
        return (Map<String, Object>) fields.get("extra_filters");
    }

    /**
     * The image an instance runs: {@code image} with {@code tag} appended, unless the image names a tag or digest
     * itself ({@code pytorch/pytorch:2.4.0}, {@code repo@sha256:…}).
     */
    public String imageRef() {
        String image = (String) fields.get("image");
        String tag = (String) fields.get("tag");
        String last = image.substring(image.lastIndexOf('/') + 1);
        if (tag == null || tag.isBlank() || last.contains(":") || image.contains("@")) return image;
        return image + ":" + tag;
    }

    /** Type-tagged and key-sorted, so equal content gives equal text whatever order the client sent. */
    private static String canonical(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> {
                Map<String, Object> sorted = new TreeMap<>();
                m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
                StringBuilder b = new StringBuilder("{");
                sorted.forEach((k, x) ->
                        b.append(quote(k)).append(':').append(canonical(x)).append(','));
                yield b.append('}').toString();
            }
            case List<?> l -> {
                StringBuilder b = new StringBuilder("[");
                l.forEach(x -> b.append(canonical(x)).append(','));
                yield b.append(']').toString();
            }
            case String s -> quote(s);
            case Number n ->
                "n"
                        + new java.math.BigDecimal(n.toString())
                                .stripTrailingZeros()
                                .toPlainString();
            default -> "v" + v;
        };
    }

    private static String quote(String s) {
        return s.length() + ":" + s;
    }
}
