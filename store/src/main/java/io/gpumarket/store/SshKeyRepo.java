package io.gpumarket.store;

import io.gpumarket.core.sshkey.SshKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Account SSH keys. Every call is scoped to the owner: naming another user's key id changes and finds nothing. */
public interface SshKeyRepo {
    SshKey create(long userId, String publicKey, Instant now);

    /** The user's live key with this id. */
    Optional<SshKey> find(long userId, long id);

    /** The user's live keys, oldest first. */
    List<SshKey> live(long userId);

    /** Replaces the text of the user's live key. False when the user has no live key with this id. */
    boolean update(long userId, long id, String publicKey, Instant now);

    /** Soft-deletes the user's live key. False when the user has no live key with this id. */
    boolean delete(long userId, long id, Instant now);
}
