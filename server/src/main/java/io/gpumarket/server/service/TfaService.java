package io.gpumarket.server.service;

import io.gpumarket.core.account.Totp;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.store.Store;
import io.gpumarket.store.TfaRepo.TotpMethod;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Two-factor sign-in with an authenticator app (TOTP), optional per account. Enrolling shows a new secret once (as
 * text and as an {@code otpauth://} URI for a QR code); a code from the app confirms it; from then on the console's
 * password sign-in asks for a code, and removing the authenticator needs one too. Only the account itself with full
 * access (a password session or a full-access key) may enrol or remove: a scoped key must not add a factor that
 * locks its owner out, nor remove one. The secret is sealed in the database with a key outside it.
 */
public final class TfaService {
    /** What a new enrolment shows, once. */
    public record Enrolment(String secret, String uri) {}

    private final Store store;
    private final SecretBox box;
    private final String issuer;
    private final Clock clock;

    /** @param issuer the name authenticator apps list the account under ("gpumarket example.org") */
    public TfaService(Store store, SecretBox box, String issuer, Clock clock) {
        this.store = store;
        this.box = box;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The account's authenticator, pending or confirmed. */
    public Optional<TotpMethod> method(long userId) {
        return store.repos().tfa().find(userId);
    }

    /** Whether signing in to this account asks for a code. */
    public boolean enabled(long userId) {
        return method(userId).map(TotpMethod::confirmed).orElse(false);
    }

    /** Starts enrolling (again): a new secret replaces a pending one; refused while one is confirmed. */
    public Enrolment enrol(Principal caller, String label) {
        requireFullAccess(caller);
        String secret = Totp.newSecret();
        String account = caller.user().email();
        String name = label == null || label.isBlank() ? "authenticator app" : label.strip();
        if (name.length() > 100)
            throw new DomainException.BadRequest("invalid_args", "the label is over 100 characters");
        Optional<TotpMethod> started = store.repos()
                .tfa()
                .startEnrolling(caller.userId(), name, box.seal(place(caller.userId()), secret), clock.instant());
        if (started.isEmpty()) {
            throw new DomainException.Conflict(
                    "tfa_already_enabled",
                    "This account already has an authenticator; remove it (with a code from it) before adding another.");
        }
        return new Enrolment(secret, Totp.uri(issuer, account, secret));
    }

    /**
     * Confirms a pending authenticator with a code from the app; {@code secret}, when given (vast-cli sends the one
     * {@code totp-setup} answered), must be the pending one.
     */
    public void confirm(Principal caller, String secret, String code) {
        requireFullAccess(caller);
        TotpMethod m = method(caller.userId())
                .filter(x -> !x.confirmed())
                .orElseThrow(() -> new DomainException.NotFound(
                        "tfa_not_pending", "There is no authenticator being added; start with totp-setup."));
        String opened = open(m);
        if (secret != null && !secret.isBlank() && !secret.strip().equals(opened)) {
            throw new DomainException.BadRequest(
                    "2fa_verification_failed", "That secret is not the one of the authenticator being added.");
        }
        accept(m, opened, code);
    }

    /** Removes the account's authenticator; needs a current code from it. */
    public void remove(Principal caller, String code) {
        requireFullAccess(caller);
        TotpMethod m = method(caller.userId())
                .filter(TotpMethod::confirmed)
                .orElseThrow(() -> new DomainException.NotFound(
                        "tfa_not_enabled", "This account has no two-factor authenticator."));
        accept(m, open(m), code);
        store.repos().tfa().delete(caller.userId());
    }

    /**
     * Checks a sign-in code of an account with an authenticator; false when wrong or used before (each code is good
     * once). An account without a confirmed authenticator has nothing to check: true.
     */
    public boolean check(long userId, String code) {
        Optional<TotpMethod> m = method(userId).filter(TotpMethod::confirmed);
        if (m.isEmpty()) return true;
        try {
            accept(m.get(), open(m.get()), code);
            return true;
        } catch (DomainException.BadRequest e) {
            return false;
        }
    }

    /** Verifies a code for this authenticator and records it used, so it cannot be replayed. */
    private void accept(TotpMethod m, String secret, String code) {
        OptionalLong step = Totp.verify(secret, code, clock.instant(), m.lastStep());
        if (step.isEmpty() || !store.repos().tfa().accept(m.id(), step.getAsLong(), clock.instant())) {
            int fails = store.repos().tfa().failed(m.id());
            throw new DomainException.BadRequest(
                    "2fa_verification_failed",
                    "The code is wrong, expired or already used (" + fails + " failed attempt" + (fails == 1 ? "" : "s")
                            + " since the last good code).");
        }
    }

    private String open(TotpMethod m) {
        return box.open(place(m.userId()), m.sealed());
    }

    /** The sealed secret is bound to its account: a row copied to another account does not open. */
    private static String place(long userId) {
        return "totp of user " + userId;
    }

    private static void requireFullAccess(Principal caller) {
        if (caller.scoped()) {
            throw new DomainException.Forbidden(
                    "not_authorized", "Two-factor settings need the account's full access (a password or full key).");
        }
    }
}
