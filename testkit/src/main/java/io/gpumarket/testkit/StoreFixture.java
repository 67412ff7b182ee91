package io.gpumarket.testkit;

import io.gpumarket.core.account.User;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Instant;
import java.util.UUID;

/** What every part of the store contract works with: the store under test, its clock, and a few builders. */
public interface StoreFixture {
    /** A fresh, empty store for the current test. */
    Store store();

    FakeClock clock();

    default Repos repos() {
        return store().repos();
    }

    default Instant now() {
        return clock().instant();
    }

    /** An account named {@code name} with email {@code name@example.com}. */
    default User user(String name) {
        return repos().users().create(name + "@example.com", name, false, now());
    }

    /** A registered (unverified, unlisted) machine of {@code host} with {@code gpus} GPUs and a random token. */
    default Machine machine(User host, int gpus) {
        return repos().machines()
                .register(host.id(), MachineSamples.spec(gpus), "token-" + UUID.randomUUID(), 0.99, now());
    }
}
