package io.gpumarket.store;

import java.time.Instant;
import java.util.List;

/** The accounts' audit log: appended in batches, read newest first. */
public interface AuditRepo {
    /**
     * One recorded call.
     *
     * @param id       0 before it is stored
     * @param apiKeyId the key's id; null for a call made otherwise (a console session signed in with a password)
     * @param args     the path's parameters as a JSON object ({@code {"id": "42"}})
     */
    record Entry(
            long id,
            long userId,
            Long apiKeyId,
            String method,
            String route,
            String routeName,
            String args,
            int status,
            String ipAddress,
            Instant createdAt) {}

    /** An address the account's calls came from: when first and last, and how many calls. */
    record Address(String ip, Instant firstSeen, Instant lastSeen, long calls) {}

    /** The addresses of the account's recorded calls, first seen first. */
    List<Address> addresses(long userId);

    /** Stores the entries in as few statements as the database takes (one per few hundred). */
    void append(List<Entry> entries);

    /** The account's latest entries, newest first, at most {@code limit}, with ids below {@code beforeId} if given. */
    List<Entry> of(long userId, Long beforeId, int limit);
}
