-- Notifications (issue 17; docs/webhooks.md). One table is both the outbox and the account's event stream: an event is
-- inserted in the SAME transaction as the state change it reports (a rent, a status report, a notice …), so a crash
-- loses none, and GET /api/v0/events/?after=N reads it back by id. Ids commit in id order on both databases (SQLite:
-- one writer; PostgreSQL: event writers take a transaction-level advisory lock before the insert), so a reader that
-- has seen id N never later finds a new event below N.
CREATE TABLE events (
    id          ${id_pk},
    user_id     BIGINT NOT NULL,
    type        TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    message     TEXT   NOT NULL,
    instance_id BIGINT,
    machine_id  BIGINT,
    data        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX events_by_user ON events (user_id, id);
CREATE INDEX events_by_machine ON events (machine_id, type, id);

-- Per-user notification preferences: one row per (type, channel) the user set; a type without a row has its
-- default (core/…/notify/NotificationType.java).
CREATE TABLE notification_prefs (
    user_id    BIGINT  NOT NULL,
    event_type TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    enabled    BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, event_type, channel)
);

-- A webhook. The signing secret is sealed (AES-GCM, key derived from the server secret) because the server must sign
-- with it; it is shown only when made. After a rotation the previous secret also signs until previous_until.
CREATE TABLE webhooks (
    id              ${id_pk},
    user_id         BIGINT NOT NULL,
    name            TEXT,
    url             TEXT   NOT NULL,
    secret          TEXT   NOT NULL,
    previous_secret TEXT,
    previous_until  BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE INDEX webhooks_by_user ON webhooks (user_id, id);

CREATE TABLE webhook_event_types (
    webhook_id BIGINT NOT NULL,
    event_type TEXT   NOT NULL,
    PRIMARY KEY (webhook_id, event_type)
);

CREATE INDEX webhook_event_types_by_type ON webhook_event_types (event_type, webhook_id);

-- One row per (webhook, event): made with the event (the fan-out happens in the event's own transaction), then
-- the delivery loop's state and the webhook's delivery log at once. status: pending, delivered, failed (gave up
-- after the retry window). A pending row is never deleted, so a kill -9 mid-delivery only means it is sent again.
CREATE TABLE webhook_deliveries (
    id              ${id_pk},
    webhook_id      BIGINT  NOT NULL,
    event_id        BIGINT  NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    last_attempt_at BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    delivered_at    BIGINT,
    UNIQUE (webhook_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- The market's history, kept compactly (GET /api/v0/metrics/gpu/history/): one row per snapshot, GPU model,
-- verification, hosting type and GPU-count bucket, with its GPU counts and its prices as a distribution
-- ("price:gpus,price:gpus", micro-dollars per GPU-hour; a market has few distinct prices), so any combination of
-- filters gives exact percentiles. Rows older than the retention are pruned by the snapshot loop.
CREATE TABLE market_snapshots (
    taken_at         BIGINT  NOT NULL,
    gpu_name         TEXT    NOT NULL,
    verified         BOOLEAN NOT NULL,
    datacenter       BOOLEAN NOT NULL,
    gpus_per_machine INTEGER NOT NULL,
    rented           INTEGER NOT NULL,
    available        INTEGER NOT NULL,
    rented_prices    TEXT    NOT NULL,
    avail_prices     TEXT    NOT NULL
);

CREATE INDEX market_snapshots_by_time ON market_snapshots (taken_at, gpu_name);
