-- The append-only credit ledger: a balance is SUM(amount). Money is BIGINT micro-dollars.
CREATE TABLE ledger (
    id              ${id_pk},
    user_id         BIGINT NOT NULL REFERENCES users (id),
    kind            TEXT   NOT NULL,
    amount          BIGINT NOT NULL,
    memo            TEXT,
    idempotency_key TEXT,
    created_at      BIGINT NOT NULL
);

CREATE INDEX ledger_by_user ON ledger (user_id, id);

-- Decides concurrent appends under one key: the second insert conflicts here and stores nothing.
CREATE UNIQUE INDEX ledger_idempotency_key ON ledger (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
