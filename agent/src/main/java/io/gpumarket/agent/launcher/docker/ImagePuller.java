package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets an instance's image onto the engine before its container is created: nothing when the engine has it, else a
 * pull ({@code POST /images/create}) with the instance's {@code image_login} as {@code X-Registry-Auth} when that
 * login is for the image's registry ({@link RegistryLogin}), its progress summarised into {@code status_msg} at
 * most once a second ({@link PullProgress}). A pull that fails is the renter's request failing (a wrong name, a
 * private image without a login), so it is a {@link LaunchException#ofRequest}.
 */
final class ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineClient engine;

    ImagePuller(EngineClient engine) {
        this.engine = engine;
    }

    /** Makes sure the engine has {@code spec}'s image, pulling it when not. */
    void ensure(InstanceSpec spec, Consumer<String> progress) throws IOException, LaunchException {
        if (engine.get("/images/" + spec.image() + "/json").ok()) return;
        pull(spec, progress);
    }

    /**
     * Pulls {@code spec}'s image even when the engine has it (a recycle asks for the registry's current image). When
     * the registry cannot be reached but the engine has a copy, the copy is used and the progress line says so: the
     * renter asked for a new container, which a registry outage should not refuse.
     */
    void refresh(InstanceSpec spec, Consumer<String> progress) throws IOException, LaunchException {
        if (!engine.get("/images/" + spec.image() + "/json").ok()) {
            pull(spec, progress);
            return;
        }
        try {
            pull(spec, progress);
        } catch (LaunchException e) {
            LOG.warn("instance {}: {}; recreating it from the copy on this host", spec.id(), e.getMessage());
            progress.accept(e.getMessage() + "; using the copy on this host");
        }
    }

    private void pull(InstanceSpec spec, Consumer<String> progress) throws IOException, LaunchException {
        String image = spec.image();
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            Optional<RegistryLogin> login = RegistryLogin.parse(spec.imageLogin());
            if (login.isPresent() && login.get().appliesTo(image))
                headers.put("X-Registry-Auth", login.get().header(image));
            else if (login.isPresent())
                LOG.info(
                        "instance {}: image_login is for {}, not for {}'s registry; pulling without it",
                        spec.id(),
                        login.get().server(),
                        image);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(e.getMessage(), e);
        }
        String[] ref = splitReference(image);
        PullProgress pull = new PullProgress(image);
        progress.accept(pull.summary());
        try (EngineClient.Connection c = engine.open(
                "POST",
                "/images/create?fromImage=" + EngineClient.q(ref[0]) + "&tag=" + EngineClient.q(ref[1]),
                null,
                headers)) {
            if (c.status() / 100 != 2) {
                String msg = new EngineClient.Response(c.status(), c.body().readAllBytes()).message();
                throw LaunchException.ofRequest("image '" + image + "' could not be pulled: " + msg);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(c.body(), StandardCharsets.UTF_8));
            long lastReport = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (pull.accept(event) && System.nanoTime() - lastReport > 1_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(pull.summary());
                }
            }
        }
        if (pull.error() != null)
            throw LaunchException.ofRequest("image '" + image + "' could not be pulled: " + pull.error());
        if (!engine.get("/images/" + image + "/json").ok())
            throw LaunchException.ofRequest(
                    "image '" + image + "' could not be pulled (the engine has no such image after the pull)");
    }

    /** "repo/name:tag" → [repo/name, tag]; "name@sha256:…" keeps the digest; no tag means latest. */
    static String[] splitReference(String image) {
        int at = image.indexOf('@');
        if (at >= 0) return new String[] {image.substring(0, at), image.substring(at + 1)};
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash) return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        return new String[] {image, "latest"};
    }
}
