package io.gpumarket.server.http;

import io.gpumarket.core.account.User;
import io.gpumarket.core.money.Money;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user object of docs/vast-compatibility.md §g.4. Money fields are JSON numbers in dollars ({@code credit} is formatted by the
 * vastai CLI with {@code {:0.2f}}). Credit is prepaid, so {@code credit} and {@code balance} both carry the
 * ledger balance. {@code api_key} is the key the caller presented (Vast's object carries the account's key and
 * legacy {@code vast.py show user} reads it; we keep only hashes, so the caller's own is the one we can show).
 */
final class UserViews {
    private UserViews() {}

    /** @param settings the fields the user set with PUT /users/; each shown under its own name, over the defaults */
    static Map<String, Object> current(
            User user, long keyId, String presentedKey, long balanceMicros, Map<String, Object> settings) {
        double credit = Money.toDollars(balanceMicros);
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", user.id());
        u.put("key_id", keyId);
        u.put("username", user.username());
        u.put("user", user.username());
        u.put("email", user.email());
        u.put("fullname", null);
        u.put("ssh_key", user.sshKey() == null ? "" : user.sshKey());
        u.put("credit", credit);
        u.put("balance", credit);
        u.put("balance_threshold", 0.0);
        u.put("balance_threshold_enabled", false);
        u.put("billing_creditonly", true);
        u.put("can_pay", true);
        u.put("has_billing", false);
        u.put("has_payout", false);
        u.put("email_verified", true);
        u.put("got_signup_credit", false);
        u.put("is_admin", user.admin());
        u.put("created_at", user.createdAt().getEpochSecond() + user.createdAt().getNano() / 1e9);
        u.putAll(settings);
        u.put("api_key", presentedKey);
        return u;
    }

    /** What the admin API shows of an account. */
    static Map<String, Object> admin(User user, long balanceMicros) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", user.id());
        u.put("email", user.email());
        u.put("username", user.username());
        u.put("admin", user.admin());
        u.put("credit", Money.toDollars(balanceMicros));
        return u;
    }
}
