package io.gpumarket.store;

import io.gpumarket.core.sshkey.SshKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SSH keys: account keys (let into every instance of their owner) and keys attached to one instance, in one id
 * space. Every account-key call is scoped to the owner and sees account keys only: naming another user's key id,
 * or an attached key's, changes and finds nothing.
 */
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

    /** Attaches a key to one instance of the user. */
    SshKey attach(long userId, long instanceId, String publicKey, Instant now);

    /** The keys attached to the instance and not detached, oldest first. */
    List<SshKey> attached(long instanceId);

    /** Detaches a key from the instance. False when no such key is attached to it. */
    boolean detach(long instanceId, long keyId, Instant now);

    /** The attached keys of every live instance on the machine: instance id → public keys, oldest first. */
    Map<Long, List<String>> attachedOnMachine(long machineId);
}
