package io.gpumarket.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Accounts' TOTP authenticators (two-factor sign-in), one per account: pending while enrolling, confirmed once a code
 * from the app matched. The secret is stored sealed; this repository never sees it in the clear.
 */
public interface TfaRepo {
    /** One account's authenticator. */
    record TotpMethod(
            long id,
            long userId,
            String label,
            String sealed,
            Instant createdAt,
            Instant confirmedAt,
            Instant lastUsedAt,
            Long lastStep,
            int failCount) {
        public boolean confirmed() {
            return confirmedAt != null;
        }
    }

    /** The account's authenticator, pending or confirmed; empty when it has none. */
    Optional<TotpMethod> find(long userId);

    /**
     * Starts enrolling: replaces a pending authenticator with this one; refused (empty) when the account already has a
     * confirmed one (it must be removed first, with a code).
     */
    Optional<TotpMethod> startEnrolling(long userId, String label, String sealed, Instant now);

    /**
     * Records a code accepted at {@code step} (and, when enrolling, confirms the authenticator): only when no code of
     * this step or a later one was accepted before, so two requests racing with one code cannot both pass.
     */
    boolean accept(long id, long step, Instant now);

    /** Counts a wrong code; returns the new count. */
    int failed(long id);

    /** Removes the account's authenticator; false when it had none. */
    boolean delete(long userId);
}
