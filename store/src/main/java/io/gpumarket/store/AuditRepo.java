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
     * @param memberId for a call with a team key, the member who made it (read from the key; null otherwise)
     * @param memberEmail that member's email, as read with the entry
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
            Instant createdAt,
            Long memberId,
            String memberEmail) {
        /** An entry as recorded (who the key's member is is read back with it). */
        public Entry(
                long id,
                long userId,
                Long apiKeyId,
                String method,
                String route,
                String routeName,
                String args,
                int status,
                String ipAddress,
                Instant createdAt) {
            this(id, userId, apiKeyId, method, route, routeName, args, status, ipAddress, createdAt, null, null);
        }
    }

    /** An address the account's calls came from: when first and last, and how many calls. */
    record Address(String ip, Instant firstSeen, Instant lastSeen, long calls) {}

    /** The addresses of the account's recorded calls, first seen first. */
    List<Address> addresses(long userId);

    /** Stores the entries in as few statements as the database takes (one per few hundred). */
    void append(List<Entry> entries);

    /** The account's latest entries, newest first, at most {@code limit}, with ids below {@code beforeId} if given. */
    List<Entry> of(long userId, Long beforeId, int limit);
}
