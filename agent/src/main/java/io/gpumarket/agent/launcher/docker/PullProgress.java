package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the Engine API's pull stream (one JSON object per event: {@code {"status":"Downloading","id":"…",
 * "progressDetail":{"current":…,"total":…}}}, or {@code {"error":"…"}}) into the one line a renter sees as
 * {@code status_msg} while the instance is {@code loading}: layers done of layers seen, and bytes.
 */
public final class PullProgress {
    private record Layer(long current, long total, boolean done) {}

    private final String image;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private String error;
    private String lastStatus = "";

    public PullProgress(String image) {
        this.image = image;
    }

    /** Takes one event; true when the summary changed enough to be worth reporting. */
    public boolean accept(JsonNode event) {
        String before = summary();
        if (event.hasNonNull("error")) {
            error = event.get("error").asText();
        } else {
            String status = event.path("status").asText("");
            String id = event.path("id").asText("");
            JsonNode detail = event.path("progressDetail");
            if (!id.isEmpty()
                    && !status.startsWith("Pulling from")
                    && !status.startsWith("Digest")
                    && !status.startsWith("Status")) {
                Layer was = layers.getOrDefault(id, new Layer(0, 0, false));
                boolean done = was.done()
                        || status.equals("Download complete")
                        || status.equals("Pull complete")
                        || status.equals("Already exists");
                long current = detail.path("current").asLong(was.current());
                long total = detail.path("total").asLong(was.total());
                if (status.equals("Extracting")) current = total = was.total(); // extraction counts its own bytes
                layers.put(id, new Layer(current, total, done));
            } else if (!status.isEmpty()) {
                lastStatus = status;
            }
        }
        return !summary().equals(before);
    }

    /** The engine reported a failure in the stream (HTTP 200 and still failed: that is how pulls fail). */
    public String error() {
        return error;
    }

    /** "pulling image X: 2 of 5 layers, 120.3 of 300.0 MB". */
    public String summary() {
        if (layers.isEmpty()) return "pulling image " + image + (lastStatus.isEmpty() ? "" : ": " + lastStatus);
        long done = layers.values().stream().filter(Layer::done).count();
        long current = 0;
        long total = 0;
        for (Layer l : layers.values()) {
            total += l.total();
            current += l.done() ? l.total() : l.current();
        }
        String bytes = total > 0 ? String.format(", %.1f of %.1f MB", current / 1e6, total / 1e6) : "";
        return "pulling image " + image + ": " + done + " of " + layers.size() + " layers" + bytes;
    }
}
