package io.gpumarket.store;

import io.gpumarket.core.account.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Accounts. Emails are unique ignoring case; usernames are unique as written (several may be null). */
public interface UserRepo {
    /**
     * A new account without an SSH key.
     *
     * @throws DuplicateException when the email (case-insensitive) or username is taken; the message says which
     */
    User create(String email, String username, boolean admin, Instant now);

    /** The account with this id. */
    Optional<User> find(long id);

    /** The account with this email, compared ignoring (ASCII) case. */
    Optional<User> findByEmail(String email);

    /** Every account, in id order. */
    List<User> all();

    /** How many accounts exist. */
    long count();

    /** Sets (or, null, clears) the account's SSH public key. False when there is no such user. */
    boolean setSshKey(long id, String sshKey);

    /** The account's settings of PUT /users/ (other than email, username and ssh_key); empty when none were set. */
    Map<String, Object> settings(long id);

    /**
     * Replaces the account's email, username, SSH key and settings together. False when there is no such user.
     *
     * @throws DuplicateException when the email (case-insensitive) or username is another account's
     */
    boolean update(long id, String email, String username, String sshKey, Map<String, Object> settings);

    /** Makes the account a subaccount of {@code parentId}. */
    void setParent(long id, long parentId);

    /** The account's parent; empty for an account that is no subaccount. */
    Optional<Long> parentOf(long id);

    /** The subaccounts of {@code parentId}, in id order. */
    List<User> children(long parentId);

    /** Frees an account's username (a destroyed team's name). */
    void clearUsername(long id);
}
