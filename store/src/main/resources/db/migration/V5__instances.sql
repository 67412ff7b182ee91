-- Instances (contracts), their actual-status history, account SSH keys, log requests, and the machine heartbeat.

-- When a machine's agent last synced; NULL until it ever has. Instances on a silent machine show unknown, then
-- offline (computed at read time, never stored).
ALTER TABLE machines ADD COLUMN last_seen_at BIGINT;

-- One row per contract, never deleted and never reusing an id (destroyed rows keep destroyed_at). Columns are
-- written by two parties (design §1): the server owns intended_status, label, revision, reboot_count, cur_state
-- and destroyed_at; the machine's agent owns actual_status, status_msg, disk_usage_gb, cpu_util, started_at.
CREATE TABLE instances (
    id                      ${id_pk},
    owner_id                BIGINT           NOT NULL REFERENCES users (id),
    machine_id              BIGINT           NOT NULL REFERENCES machines (id),
    offer_id                BIGINT           NOT NULL REFERENCES offers (id),
    num_gpus                INTEGER          NOT NULL CHECK (num_gpus > 0),
    image                   TEXT             NOT NULL,
    -- JSON array of [key, value] pairs, in the order the request gave them (Docker options such as "-p 8080:8080" included)
    env                     TEXT             NOT NULL,
    onstart                 TEXT,
    -- JSON array of strings
    args                    TEXT             NOT NULL,
    args_str                TEXT,
    -- ssh | jupyter | args; image_runtype keeps the client's tokens ("ssh_direc ssh_proxy")
    runtype                 TEXT             NOT NULL,
    image_runtype           TEXT             NOT NULL,
    label                   TEXT,
    disk_gb                 DOUBLE PRECISION NOT NULL,
    intended_status         TEXT             NOT NULL CHECK (intended_status IN ('running', 'stopped')),
    actual_status           TEXT,
    status_msg              TEXT,
    cur_state               TEXT             NOT NULL CHECK (cur_state IN ('running', 'stopped', 'unloaded')),
    -- host port of the SSH front door (0: the machine forwards no ports); ports: JSON {"8080/tcp": host port}
    ssh_port                INTEGER          NOT NULL,
    ports                   TEXT             NOT NULL,
    -- Plain text on purpose: the agent injects it as CONTAINER_API_KEY at every (re)start for the instance's whole
    -- life. Only its hash (api_keys.secret_hash) authenticates, and that key is revoked on destroy.
    container_api_key       TEXT             NOT NULL,
    api_key_id              BIGINT           REFERENCES api_keys (id),
    -- the listing's prices when rented, frozen (micro-dollars): GPU per GPU-hour, disk per GB-month, traffic per GB
    gpu_price_per_hour      BIGINT           NOT NULL,
    disk_price_per_gb_month BIGINT           NOT NULL,
    inet_up_price_per_gb    BIGINT           NOT NULL,
    inet_down_price_per_gb  BIGINT           NOT NULL,
    -- epoch seconds: the listing's end date when rented
    end_date                BIGINT           NOT NULL,
    revision                BIGINT           NOT NULL DEFAULT 1,
    reboot_count            BIGINT           NOT NULL DEFAULT 0,
    disk_usage_gb           DOUBLE PRECISION,
    cpu_util                DOUBLE PRECISION,
    created_at              BIGINT           NOT NULL,
    started_at              BIGINT,
    destroyed_at            BIGINT,
    updated_at              BIGINT           NOT NULL
);

-- The agent's desired state and port allocation read a machine's live instances; "WHERE destroyed_at IS NULL"
-- literally in those queries so both planners use this partial index.
CREATE INDEX instances_live_by_machine ON instances (machine_id, id) WHERE destroyed_at IS NULL;
CREATE INDEX instances_by_owner ON instances (owner_id, id);

-- Every change of actual_status with its time (billing meters GPU time from these intervals). The server adds
-- one row with actual_status 'destroyed' when a contract ends, so the last interval is closed.
CREATE TABLE instance_events (
    id            ${id_pk},
    instance_id   BIGINT NOT NULL REFERENCES instances (id),
    at            BIGINT NOT NULL,
    actual_status TEXT
);

CREATE INDEX instance_events_by_instance ON instance_events (instance_id, id);

-- Account SSH public keys, allowed into every instance of the owner. Soft delete, as Vast shows deleted_at.
CREATE TABLE ssh_keys (
    id         ${id_pk},
    user_id    BIGINT NOT NULL REFERENCES users (id),
    public_key TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);

CREATE INDEX ssh_keys_live_by_user ON ssh_keys (user_id, id) WHERE deleted_at IS NULL;

-- Renters' log requests: the random token is the secret part of the result URL; the agent uploads the text once.
CREATE TABLE instance_logs (
    token        TEXT    NOT NULL PRIMARY KEY,
    instance_id  BIGINT  NOT NULL REFERENCES instances (id),
    tail         INTEGER NOT NULL,
    filter       TEXT,
    requested_at BIGINT  NOT NULL,
    uploaded_at  BIGINT,
    content      TEXT
);

CREATE INDEX instance_logs_pending ON instance_logs (instance_id) WHERE uploaded_at IS NULL;
