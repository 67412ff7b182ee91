package io.gpumarket.testkit.http;

import io.gpumarket.core.account.Totp;
import io.gpumarket.testkit.Http;

/**
 * Alice's authenticator for the access matrix's two-factor routes, put in the state each route's owner call needs:
 * none (to set one up), pending (to confirm it with a code) or confirmed (to remove it with a code). Whether it is
 * on is asked of the server each time (only the owner's calls change it). The matrix's clock stands still, so codes
 * are told apart by step: a code is accepted one step either side of now and only once, so each secret's codes are
 * handed out in step order, the steps before now first.
 */
final class TfaFixture {
    private final MatrixMarket m;
    private String secret;
    private long lastStep;

    TfaFixture(MatrixMarket m) {
        this.m = m;
    }

    /** A {@code totp-setup} body, with alice's confirmed authenticator (if any) removed first. */
    String none() {
        // the owner's last call may have used the next code: try the steps after it until one is taken
        for (int tries = 0; tries < 3 && enabled() && secret != null && !secret.isEmpty(); tries++) {
            Http.delete(m.server.api() + "/tfa/", m.alice.key(), "{\"code\": \"" + next() + "\"}");
        }
        return "{}";
    }

    /** A {@code confirm-new} body for a new pending authenticator of alice. */
    String pending() {
        none();
        start();
        if (secret.isEmpty()) return "{}";
        return "{\"tfa_method\": \"totp\", \"secret\": \"" + secret + "\", \"code\": \""
                + Totp.code(secret, lastStep + 1) + "\"}";
    }

    /** A {@code DELETE /tfa/} body for alice's confirmed authenticator (set up and confirmed if it has none). */
    String confirmedCode() {
        if (!enabled()) {
            start();
            if (secret.isEmpty()) return "{}";
            Http.post(
                    m.server.api() + "/tfa/confirm-new/",
                    m.alice.key(),
                    "{\"secret\": \"" + secret + "\", \"code\": \"" + next() + "\"}");
        }
        if (secret == null || secret.isEmpty()) return "{}";
        return "{\"code\": \"" + Totp.code(secret, lastStep + 1) + "\"}";
    }

    private boolean enabled() {
        return Http.get(m.server.api() + "/tfa/status/", m.alice.key())
                .json()
                .path("tfa_enabled")
                .asBoolean(false);
    }

    private void start() {
        var setup = Http.post(m.server.api() + "/tfa/totp-setup/", m.alice.key(), "{}");
        secret = setup.json().path("secret").asText("");
        lastStep = Totp.step(m.clock.instant()) - 2;
    }

    /** The next unused step's code, counted as used (for calls that succeed now). */
    private String next() {
        lastStep++;
        return Totp.code(secret, lastStep);
    }
}
