package io.gpumarket.testkit;

import io.gpumarket.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every {@link Store} backend must have, run against each of them (SQLite, PostgreSQL) by a
 * subclass that says how to make a fresh store. The tests live in the {@code *Contract} interfaces, one per
 * repository plus transactions and races; each test gets a new, empty store and a {@link FakeClock}.
 */
public abstract class StoreContract
        implements UserRepoContract,
                ApiKeyRepoContract,
                MachineRepoContract,
                OfferRepoContract,
                LedgerRepoContract,
                TransactionContract,
                RaceContract,
                InstanceRepoContract,
                SshKeyRepoContract,
                InstanceLogRepoContract,
                TemplateRepoContract,
                InstanceSshKeyContract,
                BillingRepoContract,
                BidRepoContract,
                HostOpsRepoContract {

    private Store store;
    private FakeClock clock;

    /** A new store on an empty database, migrated; the contract closes it after the test. */
    protected abstract Store newStore();

    @BeforeEach
    final void openStore() {
        clock = new FakeClock();
        store = newStore();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) store.close();
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public FakeClock clock() {
        return clock;
    }
}
