-- Issue 15's remaining renter routes (docs/vast-compatibility.md, docs/billing.md).

-- recycle (PUT /instances/recycle/{id}/): like reboot_count, a count the agent compares; when it grows the agent
-- destroys the container and creates it again from a freshly pulled image. The contract, its GPUs and ports stay.
ALTER TABLE instances ADD COLUMN recycle_count BIGINT NOT NULL DEFAULT 0;

-- A host raising a listed machine's price creates one row per running on-demand contract of it; the contract keeps
-- its frozen prices until its owner accepts (status accepted: the new GPU price applies from decided_at through a
-- price event, as a changed bid does) or rejects (status rejected). A newer raise replaces a pending row
-- (status superseded). Money in micro-dollars; the platform fee is the contract's own, unchanged.
CREATE TABLE pending_price_increases (
    id                 ${id_pk},
    instance_id        BIGINT NOT NULL,
    owner_id           BIGINT NOT NULL,
    host_id            BIGINT NOT NULL,
    old_gpu_price      BIGINT NOT NULL,
    new_gpu_price      BIGINT NOT NULL,
    old_disk_price     BIGINT NOT NULL,
    new_disk_price     BIGINT NOT NULL,
    old_inet_up_price  BIGINT NOT NULL,
    new_inet_up_price  BIGINT NOT NULL,
    old_inet_down_price BIGINT NOT NULL,
    new_inet_down_price BIGINT NOT NULL,
    platform_fee_ppm   INTEGER NOT NULL,
    contract_end_date  BIGINT NOT NULL,
    ask_end_date       BIGINT NOT NULL,
    status             TEXT   NOT NULL,
    created_at         BIGINT NOT NULL,
    decided_at         BIGINT
);
CREATE INDEX pending_price_increases_by_owner ON pending_price_increases (owner_id, status);
CREATE INDEX pending_price_increases_by_instance ON pending_price_increases (instance_id, status);

-- Scheduled jobs (/commands/schedule_job/): an API call of the account's (start, stop, destroy, reboot an instance)
-- replayed by the server's loop at next_run_at, then at the next time its frequency names, until end_time. Stored,
-- so a restarted server carries on where it was; times in epoch ms.
CREATE TABLE scheduled_jobs (
    id              ${id_pk},
    user_id         BIGINT NOT NULL,
    instance_id     BIGINT,
    api_endpoint    TEXT   NOT NULL,
    request_method  TEXT   NOT NULL,
    request_body    TEXT   NOT NULL,
    frequency       TEXT   NOT NULL,
    day_of_the_week INTEGER,
    hour_of_the_day INTEGER,
    min_of_the_hour INTEGER NOT NULL,
    start_time      BIGINT NOT NULL,
    end_time        BIGINT NOT NULL,
    next_run_at     BIGINT,
    last_run_at     BIGINT,
    last_result     TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX scheduled_jobs_by_user ON scheduled_jobs (user_id, id);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (next_run_at);
