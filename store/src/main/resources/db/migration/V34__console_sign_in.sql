-- The web console's sign-in: an optional password per account (an Argon2id hash in PHC form; NULL = none set, so
-- the account signs in with an API key only) and the console's sessions, kept server side.
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE console_sessions (
    id          ${id_pk},
    -- SHA-256 of the cookie's secret: a leaked table opens no session
    secret_hash TEXT   NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    -- the API key signed in with (its scope applies to the whole session); NULL when signed in with a password
    api_key_id  BIGINT REFERENCES api_keys (id),
    -- the synchronizer token every state-changing console request must carry
    csrf_token  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE UNIQUE INDEX console_sessions_secret_hash_key ON console_sessions (secret_hash);
CREATE INDEX console_sessions_by_user ON console_sessions (user_id);
