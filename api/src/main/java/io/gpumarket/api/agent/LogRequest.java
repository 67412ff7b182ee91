package io.gpumarket.api.agent;

import java.util.List;

/**
 * A renter's request for an instance's logs: the last {@code tail} lines (0 = all) that contain {@code filter}
 * (null = every line), uploaded by the agent under {@code token}. With a {@code command} (execute: {@code ls},
 * {@code rm} or {@code du} and their words, already judged by the server) the agent runs it inside the instance
 * instead and uploads its output, bounded in size and time.
 */
public record LogRequest(String token, int tail, String filter, List<String> command) {
    public LogRequest(String token, int tail, String filter) {
        this(token, tail, filter, null);
    }
}
