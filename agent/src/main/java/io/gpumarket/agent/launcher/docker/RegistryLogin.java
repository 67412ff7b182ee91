package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.ShellWords;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A renter's {@code image_login} — Docker login flags as Vast takes them, {@code "-u bob -p secret
 * registry.example.org"} — as the Engine API's {@code X-Registry-Auth} header for the pull: base64url of
 * {@code {"username","password","serveraddress"}}. The credential goes only to the registry the image is pulled
 * from: a login naming another registry is not sent.
 *
 * @param server the registry it is for; null when the flags name none (then: the image's registry)
 */
public record RegistryLogin(String username, String password, String server) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the flags ({@code -u}/{@code --username}, {@code -p}/{@code --password}, {@code --flag=value} too, and
     * the registry as the one bare word).
     *
     * @throws IllegalArgumentException naming what is missing (never echoing the password)
     */
    public static Optional<RegistryLogin> parse(String flags) {
        if (flags == null || flags.isBlank()) return Optional.empty();
        List<String> words = ShellWords.split(flags);
        String user = null;
        String password = null;
        String server = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String value = null;
            String flag = w;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 0) {
                flag = w.substring(0, eq);
                value = w.substring(eq + 1);
            }
            switch (flag) {
                case "-u", "--username" -> user = value != null ? value : i + 1 < words.size() ? words.get(++i) : null;
                case "-p", "--password" ->
                    password = value != null ? value : i + 1 < words.size() ? words.get(++i) : null;
                default -> {
                    if (w.startsWith("-"))
                        throw new IllegalArgumentException(
                                "image_login: unknown flag '" + w + "' (expected -u USER -p PASSWORD [REGISTRY])");
                    server = w;
                }
            }
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException(
                    "image_login needs both -u USER and -p PASSWORD (\"-u bob -p secret registry.example.org\")");
        }
        return Optional.of(new RegistryLogin(user, password, server));
    }

    /** The registry an image is pulled from: its first path part when that names a host, else Docker Hub. */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) return first;
        }
        return "docker.io";
    }

    /** Whether this login is for the registry {@code image} comes from. */
    public boolean appliesTo(String image) {
        if (server == null) return true;
        return normal(server).equals(normal(registryOf(image)));
    }

    /** The {@code X-Registry-Auth} value for pulling {@code image}. */
    public String header(String image) {
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("username", username);
        auth.put("password", password);
        auth.put("serveraddress", server != null ? server : registryOf(image));
        try {
            return Base64.getUrlEncoder().encodeToString(JSON.writeValueAsBytes(auth));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Docker Hub goes by several names. */
    private static String normal(String registry) {
        String r = registry.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        return switch (r) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> r;
        };
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "RegistryLogin[" + username + " @ " + (server == null ? "the image's registry" : server) + "]";
    }

    static String decode(String header) {
        return new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
    }
}
