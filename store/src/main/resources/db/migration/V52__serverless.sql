-- Serverless (docs/serverless.md): endpoints and their worker groups (/api/v0/endptjobs/, /api/v0/workergroups/),
-- the instances the autoscaler rented as their workers, each endpoint's log of decisions, and deployments.
-- A worker's load and readiness are reported every second by its worker library: they live in the server's
-- memory (server/…/serverless/WorkerReports.java), never here.
CREATE TABLE endpoints (
    id                 ${id_pk},
    user_id            BIGINT NOT NULL REFERENCES users (id),
    name               TEXT   NOT NULL,
    min_load           DOUBLE PRECISION NOT NULL,
    min_cold_load      DOUBLE PRECISION NOT NULL,
    target_util        DOUBLE PRECISION NOT NULL,
    cold_mult          DOUBLE PRECISION NOT NULL,
    cold_workers       INTEGER NOT NULL,
    max_workers        INTEGER NOT NULL,
    max_queue_time     DOUBLE PRECISION,
    target_queue_time  DOUBLE PRECISION,
    inactivity_timeout DOUBLE PRECISION,
    state              TEXT   NOT NULL,
    -- the address the endpoint's workers report to (REPORT_ADDR): the server's address as its owner reached it
    report_addr        TEXT   NOT NULL,
    created_at         BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE workergroups (
    id            ${id_pk},
    user_id       BIGINT NOT NULL REFERENCES users (id),
    endpoint_id   BIGINT NOT NULL REFERENCES endpoints (id),
    template_hash TEXT,
    image         TEXT,
    env           TEXT,
    search_params TEXT   NOT NULL,
    launch_args   TEXT,
    gpu_ram       DOUBLE PRECISION,
    test_workers  INTEGER NOT NULL,
    -- the group's own scaling fields as sent (JSON), shown back; the endpoint's settings drive the autoscaler
    settings      TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX workergroups_by_endpoint ON workergroups (endpoint_id);

CREATE TABLE serverless_workers (
    instance_id    BIGINT PRIMARY KEY,
    endpoint_id    BIGINT NOT NULL,
    workergroup_id BIGINT NOT NULL,
    user_id        BIGINT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX serverless_workers_by_endpoint ON serverless_workers (endpoint_id);

CREATE TABLE endpoint_logs (
    id             ${id_pk},
    endpoint_id    BIGINT NOT NULL,
    workergroup_id BIGINT,
    at             BIGINT NOT NULL,
    line           TEXT   NOT NULL
);
CREATE INDEX endpoint_logs_by_endpoint ON endpoint_logs (endpoint_id, id);

CREATE TABLE deployments (
    id            ${id_pk},
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT   NOT NULL,
    tag           TEXT   NOT NULL,
    image         TEXT   NOT NULL,
    file_hash     TEXT   NOT NULL,
    file_size     BIGINT NOT NULL,
    env           TEXT,
    search_params TEXT,
    storage       DOUBLE PRECISION NOT NULL,
    ttl           DOUBLE PRECISION,
    endpoint_id   BIGINT,
    workergroup_id BIGINT,
    version       INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (user_id, name, tag)
);

-- The route signing key (RSA; the worker library verifies routes with its public half, GET /pubkey/), sealed with a
-- key derived from the server secret like account env vars: one row, shared by every replica.
CREATE TABLE serverless_keys (
    id     INTEGER PRIMARY KEY,
    sealed TEXT NOT NULL
);
