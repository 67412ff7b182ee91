-- Cloud copy (vastai's `cloud copy`, `show connections`; docs/copy.md "Cloud copy"). A connection is a renter's
-- S3-compatible storage: its name and type are shown, its options (endpoint, keys) are kept only sealed
-- (server/…/auth/SecretBox under a key derived from the operator's instance-key.secret, bound to the row's owner
-- and id), so the database alone reveals no credentials. A copy is one rclone run on an instance's machine.
CREATE TABLE cloud_connections (
    id            ${id_pk},
    owner_id      BIGINT NOT NULL,
    name          TEXT   NOT NULL,
    cloud_type    TEXT   NOT NULL,
    config_sealed TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE INDEX cloud_connections_by_owner ON cloud_connections (owner_id);

CREATE TABLE cloud_copies (
    id            ${id_pk},
    owner_id      BIGINT NOT NULL,
    instance_id   BIGINT NOT NULL,
    connection_id BIGINT NOT NULL,
    to_cloud      BOOLEAN NOT NULL,
    instance_path TEXT   NOT NULL,
    cloud_path    TEXT   NOT NULL,
    flags         TEXT   NOT NULL,
    state         TEXT   NOT NULL,
    message       TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE INDEX cloud_copies_by_instance ON cloud_copies (instance_id, state);
