package io.gpumarket.server.service;

import io.gpumarket.core.account.User;
import io.gpumarket.core.account.UserSettings;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The caller's own account settings ({@code PUT /users/}, docs/vast-compatibility.md §g.4). Email, username and the legacy single
 * {@code ssh_key} are columns of the account; the other settable fields are kept as given and shown by
 * {@code users/current}. A changed {@code ssh_key} is let into the owner's instances like an account key.
 */
public final class UserService {
    private final Store store;
    private final SshKeyService sshKeys;
    private final ApiKeyCache keys;

    /** @param keys the authenticator's keys, which carry the account: forgotten when it changes */
    public UserService(Store store, SshKeyService sshKeys, ApiKeyCache keys) {
        this.store = store;
        this.sshKeys = sshKeys;
        this.keys = keys;
    }

    public Map<String, Object> settings(long userId) {
        return store.repos().users().settings(userId);
    }

    public void update(Principal caller, UserSettings change) {
        User u = store.repos().users().find(caller.userId()).orElseThrow();
        String email = change.sets("email") ? change.string("email") : u.email();
        String username = change.sets("username") ? change.string("username") : u.username();
        String sshKey = change.sets("ssh_key") ? change.string("ssh_key") : u.sshKey();
        Map<String, Object> settings = new LinkedHashMap<>(settings(u.id()));
        change.values().forEach((k, v) -> {
            if (k.equals("email") || k.equals("username") || k.equals("ssh_key")) return;
            if (v == null) settings.remove(k);
            else settings.put(k, v);
        });
        try {
            store.repos().users().update(u.id(), email, username, sshKey, settings);
        } catch (DuplicateException e) {
            throw new DomainException.Conflict("user_exists", e.getMessage());
        }
        keys.forgetUser(u.id());
        if (!Objects.equals(sshKey, u.sshKey())) sshKeys.keysChanged(u.id());
    }
}
