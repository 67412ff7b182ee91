package io.gpumarket.cli.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the server URL and the API key come from, first found wins: the option, the environment variable
 * ({@code GPUMARKET_URL}, {@code GPUMARKET_API_KEY}), the config file ({@code url}, {@code api_key} under
 * {@link CliEnv#configDir()}), then the default URL {@code http://127.0.0.1:8080} (no key). vastai's
 * {@code VAST_*} variables are deliberately not read: a Vast key must never be sent to another server.
 *
 * @param keySource where the key came from, named for error hints ("$GPUMARKET_API_KEY", a file path, "--api-key")
 */
public record ClientConfig(String url, String apiKey, String keySource) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final String URL_FILE = "url";
    static final String KEY_FILE = "api_key";

    public static ClientConfig resolve(ClientOptions options, CliEnv env) {
        String url = options.url;
        if (url == null) url = env.var("GPUMARKET_URL");
        if (url == null) url = read(env.configDir().resolve(URL_FILE));
        if (url == null) url = DEFAULT_URL;
        if (url.endsWith("/")) url = url.substring(0, url.length() - 1);

        String key = options.apiKey;
        String source = "--api-key";
        if (key == null) {
            key = env.var("GPUMARKET_API_KEY");
            source = "$GPUMARKET_API_KEY";
        }
        if (key == null) {
            Path file = env.configDir().resolve(KEY_FILE);
            key = read(file);
            source = file.toString();
        }
        return new ClientConfig(url, key, key == null ? null : source);
    }

    /** Saves the key for later calls, readable by its owner only (0600, in a 0700 directory). */
    public static Path saveKey(CliEnv env, String key) {
        return save(env.configDir().resolve(KEY_FILE), key);
    }

    public static Path saveUrl(CliEnv env, String url) {
        return save(env.configDir().resolve(URL_FILE), url);
    }

    private static Path save(Path file, String value) {
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            // Written to a private temp file first, so the secret is never readable by others, not even briefly.
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(
                        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                throw new IOException("another gpumarket is writing " + tmp, raced);
            }
            Files.writeString(tmp, value.strip() + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            if (!Files.isRegularFile(file)) return null;
            String v = Files.readString(file).strip();
            return v.isEmpty() ? null : v;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
