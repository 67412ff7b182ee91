package io.gpumarket.core.account;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.sshkey.SshPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code PUT /users/} body (docs/vast-compatibility.md §b.5, §g.4) checked: only the settable user fields, each of its type, with
 * Vast's error codes: {@code missing_input} (nothing to set), {@code nonexistent_key} (a key that is not a
 * setting, such as {@code credit}), {@code empty_input} (a blank email or username), {@code input_too_long},
 * {@code invalid_characters} (control characters, a malformed email or username). {@code ssh_key} must be a
 * public key ("" clears it).
 *
 * @param values the settings to change, by wire name, with typed values: strings (null clears), booleans,
 *               numbers (dollars, as {@code double})
 */
public record UserSettings(Map<String, Object> values) {
    public static final List<String> STRINGS = List.of(
            "ssh_key",
            "paypal_email",
            "wise_email",
            "email",
            "normalized_email",
            "username",
            "fullname",
            "billaddress_line1",
            "billaddress_line2",
            "billaddress_city",
            "billaddress_zip",
            "billaddress_country",
            "billaddress_taxinfo",
            "phone_number");
    public static final List<String> NUMBERS = List.of("balance_threshold", "autobill_threshold");
    public static final List<String> BOOLEANS = List.of("balance_threshold_enabled");
    public static final int MAX_TEXT = 255;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    public UserSettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static UserSettings parse(Map<String, ?> body) {
        if (body == null || body.isEmpty()) {
            throw bad("missing_input", "give at least one setting: " + String.join(", ", settable()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : body.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (STRINGS.contains(key)) out.put(key, text(key, v));
            else if (NUMBERS.contains(key)) out.put(key, amount(key, v));
            else if (BOOLEANS.contains(key)) out.put(key, flag(key, v));
            else
                throw bad(
                        "nonexistent_key",
                        "'" + key + "' is not a user setting; the settable ones are " + String.join(", ", settable()));
        }
        return new UserSettings(out);
    }

    /** Whether the body sets this field. */
    public boolean sets(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return (String) values.get(key);
    }

    private static String text(String key, Object v) {
        if (v == null) {
            if (key.equals("email") || key.equals("username"))
                throw bad("empty_input", "'" + key + "' cannot be empty");
            return null;
        }
        if (!(v instanceof String s)) throw bad("invalid_args", "'" + key + "' must be a string, got " + v);
        if (key.equals("ssh_key")) return s.isBlank() ? null : SshPublicKey.validate(s);
        String t = s.strip();
        if (t.isEmpty() && (key.equals("email") || key.equals("username")))
            throw bad("empty_input", "'" + key + "' cannot be empty");
        if (t.length() > MAX_TEXT)
            throw bad("input_too_long", "'" + key + "' is longer than " + MAX_TEXT + " characters");
        if (t.chars().anyMatch(Character::isISOControl))
            throw bad("invalid_characters", "'" + key + "' contains control characters");
        if (key.endsWith("email") && !t.isEmpty() && !EMAIL.matcher(t).matches()) {
            throw bad("invalid_characters", "'" + key + "' must look like name@host, got '" + t + "'");
        }
        if (key.equals("username") && !USERNAME.matcher(t).matches()) {
            throw bad(
                    "invalid_characters", "'username' must be 1-64 letters, digits, '_', '.' or '-', got '" + t + "'");
        }
        return t.isEmpty() ? null : t;
    }

    private static Double amount(String key, Object v) {
        if (v == null) return null;
        double d;
        if (v instanceof Number n) d = n.doubleValue();
        else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw bad("invalid_args", "'" + key + "' must be a number of dollars, got '" + s + "'");
            }
        } else throw bad("invalid_args", "'" + key + "' must be a number of dollars, got " + v);
        if (!Double.isFinite(d) || d < 0 || d > 1_000_000_000) {
            throw bad("invalid_args", "'" + key + "' must be from 0 to 1000000000 dollars, got " + v);
        }
        return d;
    }

    private static Boolean flag(String key, Object v) {
        if (v instanceof Boolean b) return b;
        if ("true".equals(v) || "false".equals(v)) return Boolean.parseBoolean((String) v);
        throw bad("invalid_args", "'" + key + "' must be true or false, got " + v);
    }

    private static List<String> settable() {
        List<String> all = new java.util.ArrayList<>(STRINGS);
        all.addAll(NUMBERS);
        all.addAll(BOOLEANS);
        return all;
    }

    private static DomainException bad(String code, String msg) {
        return new DomainException.BadRequest(code, msg);
    }
}
