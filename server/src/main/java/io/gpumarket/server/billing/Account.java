package io.gpumarket.server.billing;

/**
 * What one user is charged (as a renter) and earns (as a host) in the tick being planned: summed in place as
 * contracts are priced, so pricing 100,000 contracts does no map lookups.
 */
final class Account {
    final long userId;
    long charged;
    int instances;
    long earned;
    long fees;
    int contracts;

    Account(long userId) {
        this.userId = userId;
    }

    void reset() {
        charged = 0;
        instances = 0;
        earned = 0;
        fees = 0;
        contracts = 0;
    }
}
