-- One set of migrations serves SQLite and PostgreSQL. ${id_pk} is the dialect's never-reused auto-increment
-- key (SQLite AUTOINCREMENT, PostgreSQL identity). Times are BIGINT epoch milliseconds.

CREATE TABLE users (
    id         ${id_pk},
    email      TEXT    NOT NULL,
    username   TEXT,
    admin      BOOLEAN NOT NULL DEFAULT FALSE,
    ssh_key    TEXT,
    created_at BIGINT  NOT NULL
);

-- Emails are unique ignoring case; lookups use the same lower(email) expression so they hit this index.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_username_key ON users (username);

CREATE TABLE api_keys (
    id          ${id_pk},
    user_id     BIGINT NOT NULL REFERENCES users (id),
    name        TEXT   NOT NULL,
    secret_hash TEXT   NOT NULL,
    -- JSON permission document of a scoped key; NULL for full access
    permissions TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    -- soft delete: a deleted key is kept (audit) but never authenticates
    deleted_at  BIGINT
);

CREATE UNIQUE INDEX api_keys_secret_hash_key ON api_keys (secret_hash);
CREATE INDEX api_keys_by_user ON api_keys (user_id, id);
