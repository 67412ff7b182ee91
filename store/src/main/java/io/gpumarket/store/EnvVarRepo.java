package io.gpumarket.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Accounts' environment variables, as their sealed (encrypted) values: the store never sees a clear value.
 */
public interface EnvVarRepo {
    /** One variable of an account, its value sealed. */
    record Sealed(long userId, String name, String sealed) {}

    /** The account's variables in name order. */
    List<Sealed> of(long userId);

    /** The variables of every account named, by account (accounts without any are absent). */
    Map<Long, List<Sealed>> ofUsers(Collection<Long> userIds);

    int count(long userId);

    /** Adds a variable; false when the account has one of that name already. */
    boolean add(long userId, String name, String sealed, Instant now);

    /** Replaces a variable's value; false when the account has none of that name. */
    boolean replace(long userId, String name, String sealed, Instant now);

    /** Removes a variable; false when the account has none of that name. */
    boolean remove(long userId, String name);
}
