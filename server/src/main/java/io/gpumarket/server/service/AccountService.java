package io.gpumarket.server.service;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Accounts, their API keys and their credit. */
public final class AccountService {
    /** An account with the key that was made for it; the key is shown once and never stored. */
    public record NewAccount(User user, ApiKey key, String secret) {}

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    private final Store store;
    private final Clock clock;

    public AccountService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * On first start with an empty database: an admin account, whose key the caller prints once.
     * Empty when there are accounts already.
     */
    public Optional<NewAccount> bootstrapAdmin() {
        return store.inTransaction(repos -> {
            if (repos.users().count() > 0) return Optional.<NewAccount>empty();
            User admin = repos.users().create("admin@localhost", "admin", true, clock.instant());
            String secret = Secrets.newSecret();
            ApiKey key =
                    repos.apiKeys().create(admin.id(), "bootstrap", Secrets.hash(secret), null, null, clock.instant());
            return Optional.of(new NewAccount(admin, key, secret));
        });
    }

    public NewAccount createUser(String email, String username, boolean admin) {
        return createUser(email, username, admin, null, null);
    }

    /**
     * An account and its first key, in one transaction with its parent (a subaccount, docs/teams.md) and its console
     * password's hash when given.
     */
    public NewAccount createUser(String email, String username, boolean admin, Long parentId, String passwordHash) {
        if (email == null || !EMAIL.matcher(email).matches() || email.length() > 254) {
            throw new DomainException.BadRequest(
                    "invalid_email", "email must look like name@host, got " + quote(email));
        }
        String name = username == null || username.isBlank() ? email.substring(0, email.indexOf('@')) : username;
        if (!USERNAME.matcher(name).matches()) {
            throw new DomainException.BadRequest(
                    "invalid_args", "username must be 1-64 letters, digits, '_', '.' or '-', got " + quote(name));
        }
        try {
            return store.inTransaction(repos -> {
                User user = repos.users().create(email, name, admin, clock.instant());
                String secret = Secrets.newSecret();
                ApiKey key =
                        repos.apiKeys().create(user.id(), "default", Secrets.hash(secret), null, null, clock.instant());
                if (parentId != null) repos.users().setParent(user.id(), parentId);
                if (passwordHash != null) repos.consoleSessions().setPasswordHash(user.id(), passwordHash);
                return new NewAccount(user, key, secret);
            });
        } catch (DuplicateException e) {
            throw new DomainException.Conflict("user_exists", "user already exists: " + e.getMessage());
        }
    }

    /** A further full-access key for an existing account. */
    public NewAccount newKey(long userId, String name) {
        User user = user(userId);
        String secret = Secrets.newSecret();
        ApiKey key = store.repos()
                .apiKeys()
                .create(userId, name == null ? "key" : name, Secrets.hash(secret), null, null, clock.instant());
        return new NewAccount(user, key, secret);
    }

    public User user(long userId) {
        return store.repos()
                .users()
                .find(userId)
                .orElseThrow(() -> new DomainException.NotFound("no_such_user", "No such user: " + userId));
    }

    public List<User> users() {
        return store.repos().users().all();
    }

    public long balance(long userId) {
        return store.repos().ledger().balance(userId);
    }

    /**
     * Adds (or, negative, removes) credit by an operator. With an idempotency key, repeating the call adds
     * nothing more and answers with the first entry.
     */
    public LedgerEntry deposit(long userId, double dollars, String memo, String idempotencyKey) {
        user(userId);
        if (!Double.isFinite(dollars) || dollars == 0 || Math.abs(dollars) > 1_000_000_000) {
            throw new DomainException.BadRequest(
                    "invalid_args", "amount must be a non-zero number of dollars, got " + dollars);
        }
        checkIdempotencyKey(idempotencyKey);
        return store.repos()
                .ledger()
                .append(
                        userId,
                        "deposit",
                        Money.fromDollars(dollars),
                        memo == null ? "deposit by operator" : memo,
                        idempotencyKey,
                        clock.instant());
    }

    /**
     * Gives credit back by an operator (a {@code refund} entry, listed among the user's invoices): a positive amount
     * with the reason the renter will read, optionally for one of their instances. Refunds are the platform's: the
     * host's earnings stay as the contract paid them. Idempotent under a key, like deposits.
     */
    public LedgerEntry refund(long userId, double dollars, String reason, Long instanceId, String idempotencyKey) {
        user(userId);
        if (!Double.isFinite(dollars) || dollars <= 0 || dollars > 1_000_000_000) {
            throw new DomainException.BadRequest(
                    "invalid_args", "a refund must be a positive number of dollars, got " + dollars);
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'reason' (1-500 characters) is required: the renter reads it");
        }
        checkIdempotencyKey(idempotencyKey);
        String memo = reason.strip();
        if (instanceId != null) {
            Instance instance = store.repos()
                    .instances()
                    .find(instanceId)
                    .filter(i -> i.ownerId() == userId)
                    .orElseThrow(() -> new DomainException.BadRequest(
                            "invalid_args", "instance " + instanceId + " is not an instance of user " + userId));
            memo = "instance " + instance.id() + ": " + memo;
        }
        return store.repos()
                .ledger()
                .append(userId, "refund", Money.fromDollars(dollars), memo, idempotencyKey, clock.instant());
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new DomainException.BadRequest("invalid_args", "Idempotency-Key must be 1-200 characters");
        }
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
