package io.gpumarket.core.instance;

import java.time.Instant;
import java.util.List;

/**
 * A renter's request for an instance's logs ({@code PUT /instances/request_logs/{id}/}). The token is the secret
 * part of the result URL: the agent uploads the text under it and anyone holding the URL may read it (Vast's
 * clients fetch it without a key), so it is random and never derived from the instance.
 *
 * @param tail       the last lines wanted, 0 for all
 * @param filter     only lines containing this text; null for every line
 * @param uploadedAt null until the agent has uploaded the text
 * @param command    for execute: the argv the agent runs inside the instance ({@link ExecuteCommand}); null for logs
 */
public record LogTicket(
        String token,
        long instanceId,
        int tail,
        String filter,
        Instant requestedAt,
        Instant uploadedAt,
        List<String> command) {
    public LogTicket(String token, long instanceId, int tail, String filter, Instant requestedAt, Instant uploadedAt) {
        this(token, instanceId, tail, filter, requestedAt, uploadedAt, null);
    }
}
