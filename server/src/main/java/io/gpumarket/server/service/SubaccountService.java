package io.gpumarket.server.service;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.console.Passwords;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Subaccounts (docs/teams.md): accounts a parent creates ({@code POST /users/} with {@code parent_id: "me"}), funds
 * with ordinary credit transfers, and whose usage it sees ({@code GET /subaccounts}). A subaccount is an account like
 * any other: it reaches nothing of its parent's, and the parent reaches its things only through the list.
 */
public final class SubaccountService {
    /** A subaccount with its credit and what it has been charged. */
    public record Usage(User user, long parentId, long balance, long charged, int liveInstances) {}

    private final Store store;
    private final AccountService accounts;
    private final Clock clock;

    public SubaccountService(Store store, AccountService accounts, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * @param parentId "me" or the caller's own id: a caller can only make subaccounts of its own account
     * @param password optional; the console's sign-in password
     */
    public AccountService.NewAccount create(
            Principal caller, String email, String username, String password, String parentId) {
        if (parentId == null || parentId.isBlank()) {
            throw new DomainException.BadRequest(
                    "invalid_request",
                    "Only subaccounts are created here (parent_id: \"me\"); an operator creates other accounts"
                            + " with the admin API");
        }
        String parent = parentId.strip();
        if (!parent.equals("me") && !parent.equals(Long.toString(caller.userId()))) {
            throw new DomainException.BadRequest(
                    "invalid_request", "parent_id must be \"me\" (your own account), got '" + parentId + "'");
        }
        if (store.repos().users().parentOf(caller.userId()).isPresent()) {
            throw new DomainException.BadRequest("invalid_request", "A subaccount cannot have subaccounts of its own");
        }
        String hash = password == null || password.isEmpty() ? null : Passwords.hash(password);
        return accounts.createUser(email, username, false, caller.userId(), hash);
    }

    /** The caller's subaccounts with their credit, what they were charged, and how many instances they run. */
    public List<Usage> list(Principal caller) {
        Instant now = clock.instant();
        return store.repos().users().children(caller.userId()).stream()
                .map(u -> new Usage(
                        u,
                        caller.userId(),
                        store.repos().ledger().balance(u.id()),
                        -store.repos().ledger().byUser(u.id(), List.of("charge"), Instant.EPOCH, now).stream()
                                .mapToLong(LedgerEntry::amount)
                                .sum(),
                        store.repos().instances().liveByOwner(u.id()).size()))
                .toList();
    }
}
