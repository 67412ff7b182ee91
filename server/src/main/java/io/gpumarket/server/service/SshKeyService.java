package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.core.sshkey.SshPublicKey;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Account SSH keys (spec §g.2). Each live key is let into every instance of its owner, so adding, changing or
 * deleting one changes the desired state of every machine where the owner has instances: their revisions are
 * bumped and the agents apply the new key set within a sync.
 */
public final class SshKeyService {
    private final Store store;
    private final MachineRevisions revisions;
    private final Clock clock;

    public SshKeyService(Store store, MachineRevisions revisions, Clock clock) {
        this.store = store;
        this.revisions = revisions;
        this.clock = clock;
    }

    public SshKey add(Principal caller, String publicKey) {
        String key = SshPublicKey.validate(publicKey);
        SshKey created = store.repos().sshKeys().create(caller.userId(), key, clock.instant());
        keysChanged(caller.userId());
        return created;
    }

    public List<SshKey> list(Principal caller) {
        return store.repos().sshKeys().live(caller.userId());
    }

    public SshKey replace(Principal caller, long id, String publicKey) {
        String key = SshPublicKey.validate(publicKey);
        if (!store.repos().sshKeys().update(caller.userId(), id, key, clock.instant())) throw notFound(id);
        keysChanged(caller.userId());
        return store.repos().sshKeys().find(caller.userId(), id).orElseThrow(() -> notFound(id));
    }

    public void delete(Principal caller, long id) {
        if (!store.repos().sshKeys().delete(caller.userId(), id, clock.instant())) throw notFound(id);
        keysChanged(caller.userId());
    }

    /** The public keys allowed into the owner's instances: live account keys, then the legacy user ssh_key. */
    public List<String> allowedKeys(long ownerId) {
        List<String> keys = new java.util.ArrayList<>(store.repos().sshKeys().live(ownerId).stream()
                .map(SshKey::publicKey).toList());
        store.repos().users().find(ownerId).map(u -> u.sshKey()).filter(k -> k != null && !k.isBlank())
                .filter(k -> !keys.contains(k)).ifPresent(keys::add);
        return keys;
    }

    private void keysChanged(long ownerId) {
        Instant now = clock.instant();
        store.repos().instances().bumpRevisionsOfOwner(ownerId, now);
        store.repos().instances().machinesOfOwner(ownerId).forEach(revisions::bump);
    }

    private static DomainException notFound(long id) {
        return new DomainException.NotFound("no_such_ssh_key", "SSH key " + id + " not found.");
    }
}
