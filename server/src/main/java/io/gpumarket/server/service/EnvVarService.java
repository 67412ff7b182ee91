package io.gpumarket.server.service;

import io.gpumarket.core.account.AccountEnvVars;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.store.EnvVarRepo;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts' environment variables ({@code /api/v0/secrets/}; rules in {@link AccountEnvVars}). Values are sealed
 * before they reach the store and opened only to hand them to the agent of a machine where the account's instance
 * starts ({@link AgentService}): an instance starts with the account's variables as they are then, so a change
 * reaches running instances at their next start or reboot, never by restarting them.
 */
public final class EnvVarService {
    private static final Logger LOG = LoggerFactory.getLogger(EnvVarService.class);

    private final Store store;
    private final SecretBox box;
    private final Clock clock;

    public EnvVarService(Store store, SecretBox box, Clock clock) {
        this.store = store;
        this.box = box;
        this.clock = clock;
    }

    /** The caller's variable names with masked values, in name order. */
    public Map<String, String> masked(Principal caller) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVarRepo.Sealed s : store.repos().envVars().of(caller.userId())) out.put(s.name(), AccountEnvVars.MASK);
        return out;
    }

    /** @return the stored (upper-cased) name */
    public String add(Principal caller, String rawName, String rawValue) {
        String name = AccountEnvVars.name(rawName);
        String value = AccountEnvVars.value(rawValue);
        long user = caller.userId();
        AccountEnvVars.checkRoom(store.repos().envVars().count(user));
        if (!store.repos().envVars().add(user, name, box.seal(place(user, name), value), clock.instant())) {
            throw new DomainException.BadRequest(
                    "existing_key", "Environment variable " + name + " exists already; update it instead.");
        }
        return name;
    }

    public String update(Principal caller, String rawName, String rawValue) {
        String name = AccountEnvVars.name(rawName);
        String value = AccountEnvVars.value(rawValue);
        long user = caller.userId();
        if (!store.repos().envVars().replace(user, name, box.seal(place(user, name), value), clock.instant())) {
            throw nonexistent(name);
        }
        return name;
    }

    public String delete(Principal caller, String rawName) {
        if (rawName == null) throw new DomainException.BadRequest("missing_input", "'key' is required.");
        String name = AccountEnvVars.name(rawName);
        if (!store.repos().envVars().remove(caller.userId(), name)) throw nonexistent(name);
        return name;
    }

    /**
     * The clear variables of each of these accounts, for their instances' starts. A value that does not open (the
     * server secret file was replaced) is left out and logged, never a failed sync.
     */
    public Map<Long, Map<String, String>> forStarts(Collection<Long> ownerIds) {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<Long, List<EnvVarRepo.Sealed>> e :
                store.repos().envVars().ofUsers(ownerIds).entrySet()) {
            Map<String, String> vars = new LinkedHashMap<>();
            for (EnvVarRepo.Sealed s : e.getValue()) {
                try {
                    vars.put(s.name(), box.open(place(s.userId(), s.name()), s.sealed()));
                } catch (IllegalArgumentException bad) {
                    LOG.warn("account {}: env var {} left out: {}", s.userId(), s.name(), bad.getMessage());
                }
            }
            out.put(e.getKey(), vars);
        }
        return out;
    }

    private static String place(long userId, String name) {
        return "account " + userId + " env var " + name;
    }

    private static DomainException nonexistent(String name) {
        return new DomainException.BadRequest(
                "nonexistent_key", "There is no environment variable " + name + " on this account.");
    }
}
