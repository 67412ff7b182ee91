package io.gpumarket.core.account;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.EnvPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An account's environment variables ({@code /api/v0/secrets/}, vastai's {@code env-var} verbs), the rules Vast's
 * document gives them: names upper-cased and shaped like a shell variable ({@code ^[A-Za-z_]\w*$}), values of
 * letters, digits, {@code _ - .} only, a limit on how many an account holds, values never shown back (masked as
 * Vast's server masks them), and their place in a new instance's environment: before the request's own {@code env},
 * which wins on a clash.
 */
public final class AccountEnvVars {
    /** Vast's document names a limit without its value; this one is ours. */
    public static final int MAX_PER_ACCOUNT = 100;

    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_VALUE_LENGTH = 4096;

    /** What every value is shown as (Vast's answer to {@code GET /secrets/}). */
    public static final String MASK = "*****";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_\\-.]+");

    private AccountEnvVars() {}

    /** The stored form of a name a request gave: required, upper-cased, shell-variable shaped. */
    public static String name(String raw) {
        if (raw == null) throw new DomainException.BadRequest("missing_input", "Both 'key' and 'value' are required.");
        String name = raw.strip();
        if (name.isEmpty()) throw new DomainException.BadRequest("empty_input", "'key' must not be empty.");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new DomainException.BadRequest(
                    "input_too_long", "'key' is " + name.length() + " characters long, at most " + MAX_NAME_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw new DomainException.BadRequest(
                    "invalid_characters",
                    "'key' must start with a letter or '_' followed by letters, digits or '_', got '" + name + "'");
        }
        return name.toUpperCase(Locale.ROOT);
    }

    /** A value a request gave: required, of letters, digits, '_', '-' and '.' only (Vast's pattern). */
    public static String value(String raw) {
        if (raw == null) throw new DomainException.BadRequest("missing_input", "Both 'key' and 'value' are required.");
        if (raw.isEmpty()) throw new DomainException.BadRequest("empty_input", "'value' must not be empty.");
        if (raw.length() > MAX_VALUE_LENGTH) {
            throw new DomainException.BadRequest(
                    "input_too_long", "'value' is " + raw.length() + " characters long, at most " + MAX_VALUE_LENGTH);
        }
        if (!VALUE.matcher(raw).matches()) {
            throw new DomainException.BadRequest(
                    "invalid_characters", "'value' may hold letters, digits, '_', '-' and '.' only");
        }
        return raw;
    }

    /** Refuses one more variable for an account that holds {@code held} already. */
    public static void checkRoom(int held) {
        if (held >= MAX_PER_ACCOUNT) {
            throw new DomainException.BadRequest(
                    "max_secrets",
                    "An account holds at most " + MAX_PER_ACCOUNT + " environment variables; delete one first.");
        }
    }

    /**
     * A new instance's environment: the account's variables first (in name order), then the request's own pairs;
     * an account variable the request names itself is left out, so the request's value is the one the instance gets.
     */
    public static List<EnvPair> merged(Map<String, String> account, List<EnvPair> request) {
        if (account.isEmpty()) return request;
        Set<String> own = new HashSet<>();
        for (EnvPair p : request) own.add(p.key());
        List<EnvPair> out = new ArrayList<>(account.size() + request.size());
        account.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .filter(e -> !own.contains(e.getKey()))
                .forEach(e -> out.add(new EnvPair(e.getKey(), e.getValue())));
        out.addAll(request);
        return out;
    }
}
