package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.core.sshkey.SshPublicKey;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * SSH keys (docs/vast-compatibility.md §g.2). An account key is let into every instance of its owner, so adding, changing or deleting
 * one changes the desired state of every machine where the owner has instances: their revisions are bumped and
 * the agents apply the new key set within a sync. A key attached to an instance is let into that instance only.
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
                .map(SshKey::publicKey)
                .toList());
        store.repos()
                .users()
                .find(ownerId)
                .map(u -> u.sshKey())
                .filter(k -> k != null && !k.isBlank())
                .filter(k -> !keys.contains(k))
                .ifPresent(keys::add);
        return keys;
    }

    /**
     * Attaches a key to one of the caller's instances. Attaching a key that is attached already answers the
     * existing attachment.
     */
    public SshKey attach(Principal caller, long instanceId, String publicKey) {
        String key = SshPublicKey.validate(publicKey);
        Instance i = owned(caller, instanceId);
        for (SshKey k : store.repos().sshKeys().attached(i.id())) {
            if (k.publicKey().equals(key)) return k;
        }
        SshKey attached = store.repos().sshKeys().attach(caller.userId(), i.id(), key, clock.instant());
        instanceKeysChanged(i);
        return attached;
    }

    /** The keys attached to the caller's instance (account keys are listed by {@link #list}). */
    public List<SshKey> attached(Principal caller, long instanceId) {
        return store.repos().sshKeys().attached(owned(caller, instanceId).id());
    }

    public void detach(Principal caller, long instanceId, long keyId) {
        Instance i = owned(caller, instanceId);
        if (!store.repos().sshKeys().detach(i.id(), keyId, clock.instant())) {
            boolean accountKey =
                    store.repos().sshKeys().find(caller.userId(), keyId).isPresent();
            throw new DomainException.NotFound(
                    "no_such_ssh_key",
                    "SSH key " + keyId + " is not attached to instance "
                            + instanceId + "."
                            + (accountKey
                                    ? " It is an account key, let into every instance; DELETE " + "/api/v0/ssh/" + keyId
                                            + "/ revokes it."
                                    : ""));
        }
        instanceKeysChanged(i);
    }

    /** The keys attached to each live instance on the machine, for its desired state. */
    public Map<Long, List<String>> attachedOnMachine(long machineId) {
        return store.repos().sshKeys().attachedOnMachine(machineId);
    }

    /** The owner's account keys (or legacy user key) changed: every machine with their instances must hear of it. */
    public void keysChanged(long ownerId) {
        Instant now = clock.instant();
        store.repos().instances().bumpRevisionsOfOwner(ownerId, now);
        store.repos().instances().machinesOfOwner(ownerId).forEach(revisions::bump);
    }

    private void instanceKeysChanged(Instance i) {
        if (store.repos().instances().bumpRevision(i.id(), clock.instant())) revisions.bump(i.machineId());
    }

    /** The caller's live instance; someone else's answers exactly as a missing one. */
    private Instance owned(Principal caller, long instanceId) {
        return store.repos()
                .instances()
                .find(instanceId)
                .filter(i -> !i.destroyed() && i.ownerId() == caller.userId())
                .orElseThrow(() -> InstanceService.notFound(instanceId));
    }

    private static DomainException notFound(long id) {
        return new DomainException.NotFound("no_such_ssh_key", "SSH key " + id + " not found.");
    }
}
