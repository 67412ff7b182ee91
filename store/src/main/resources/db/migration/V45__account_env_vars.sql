-- An account's environment variables (/api/v0/secrets/), put into its instances' environment when they start.
-- The value is sealed (AES-GCM) with a key derived from the server secret outside the database
-- (server/…/auth/SecretBox.java; docs/security.md "Secrets at rest"): the table alone reveals no value.
CREATE TABLE account_env_vars (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    name       TEXT   NOT NULL,
    sealed     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, name)
);
