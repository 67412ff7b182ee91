package io.gpumarket.store;

import io.gpumarket.core.instance.LogTicket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Log requests and the text their agents upload, found by their random token. */
public interface InstanceLogRepo {
    LogTicket create(String token, long instanceId, int tail, String filter, Instant now);

    Optional<LogTicket> find(String token);

    /** Requests of the machine's live instances not uploaded yet and made after {@code since}, oldest first. */
    List<LogTicket> pendingOnMachine(long machineId, Instant since);

    /** Stores the text once; false when the token is unknown or its text was uploaded already. */
    boolean upload(String token, String text, Instant now);

    /** The uploaded text; empty before the upload (or for an unknown token). */
    Optional<String> content(String token);
}
