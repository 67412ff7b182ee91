-- Instance-to-instance copies (PUT /api/v0/commands/copy_direct/, docs/copy.md): the destination's agent pulls from
-- the source instance's SSH door with a one-time ticket. Only the ticket's SHA-256 is kept for the source's check;
-- the ticket itself is kept sealed (server/…/auth/SecretBox, the operator's key) for the destination's agent, which
-- may need it again after a restart, and is cleared when the copy ends.
CREATE TABLE copy_transfers (
    id            ${id_pk},
    owner_id      BIGINT NOT NULL,
    src_instance  BIGINT NOT NULL,
    dst_instance  BIGINT NOT NULL,
    src_path      TEXT   NOT NULL,
    dst_path      TEXT   NOT NULL,
    ticket_hash   TEXT   NOT NULL,
    ticket_sealed TEXT,
    state         TEXT   NOT NULL,
    message       TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE INDEX copy_transfers_by_src ON copy_transfers (src_instance, state);
CREATE INDEX copy_transfers_by_dst ON copy_transfers (dst_instance, state);
