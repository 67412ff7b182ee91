-- Single-use offer ids: renting retires one, and a machine's remaining capacity is offered again under fresh
-- ids. Retired rows stay, so an id is never handed out twice (and old ids still resolve for error messages).
CREATE TABLE offers (
    id         ${id_pk},
    machine_id BIGINT  NOT NULL REFERENCES machines (id),
    num_gpus   INTEGER NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT  NOT NULL,
    retired_at BIGINT
);

-- Queries on active offers say "WHERE active" literally so both planners can use this partial index.
CREATE INDEX offers_active_by_machine ON offers (machine_id, id) WHERE active;
