package io.gpumarket.store;

import io.gpumarket.core.instance.LogTicket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Log requests and the text their agents upload, found by their random token. */
public interface InstanceLogRepo {
    LogTicket create(String token, long instanceId, int tail, String filter, Instant now);

    /** An execute request: the agent runs {@code command} in the instance; its result is served until {@code expiresAt}. */
    LogTicket createCommand(String token, long instanceId, List<String> command, Instant now, Instant expiresAt);

    Optional<LogTicket> find(String token);

    /** Requests of the machine's live instances not uploaded yet and made after {@code since}, oldest first. */
    List<LogTicket> pendingOnMachine(long machineId, Instant since);

    /** Stores the text once; false when the token is unknown or its text was uploaded already. */
    boolean upload(String token, String text, Instant now);

    /** The uploaded text; empty before the upload (or for an unknown token). */
    Optional<String> content(String token);

    /** The uploaded text while it has not expired at {@code now}; empty otherwise. */
    Optional<String> content(String token, Instant now);
}
