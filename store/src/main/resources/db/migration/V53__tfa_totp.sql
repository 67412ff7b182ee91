-- Two-factor sign-in (TOTP, RFC 6238), optional per account: one authenticator per account. A row is written when
-- the user starts enrolling (confirmed_at NULL) and confirmed by a code from the app; only a confirmed row makes the
-- account ask for a code. The secret is sealed (AES-GCM) under a key derived from the server secret outside the
-- database (server/…/auth/SecretBox.java), as env vars are: the table alone cannot mint codes.
CREATE TABLE tfa_totp (
    id           ${id_pk},
    user_id      BIGINT NOT NULL REFERENCES users (id),
    label        TEXT   NOT NULL,
    sealed       TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_used_at BIGINT,
    -- the 30-second step of the last code accepted: that code, and older ones, are never accepted again
    last_step    BIGINT,
    fail_count   INTEGER NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX tfa_totp_one_per_user ON tfa_totp (user_id);
