-- Host operations: what reliability is computed from, rolling listings, maintenance windows and renters' reports.

-- The first sync of the machine's agent: where its heartbeat history begins (the silences are the gaps in it, in
-- machine_silences; together they are the whole history, one row per outage rather than one per heartbeat).
ALTER TABLE machines ADD COLUMN first_seen_at BIGINT;

-- A listing made with a rolling duration (create_asks "duration"): its end_date is moved to now + this many seconds
-- as time passes, so the offers never run out. NULL for a fixed end_date (and while unlisted).
ALTER TABLE machines ADD COLUMN rolling_duration_s BIGINT;

-- The agent's word on an exit at start: TRUE when the host could not start the instance (its launcher failed), FALSE
-- when the instance's own process exited, NULL otherwise (and from agents that do not say). Failed starts that are
-- not the instance's own fault count against the machine's reliability.
ALTER TABLE instance_events ADD COLUMN host_fault BOOLEAN;

-- A maintenance window a host announced (PUT /machines/{id}/dnotify/); cancelling deletes it. Epoch ms.
CREATE TABLE machine_maintenances (
    id         ${id_pk},
    machine_id BIGINT NOT NULL REFERENCES machines (id),
    start_at   BIGINT NOT NULL,
    end_at     BIGINT NOT NULL CHECK (end_at > start_at),
    category   TEXT   NOT NULL,
    reason     TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX machine_maintenances_by_machine ON machine_maintenances (machine_id, end_at);

-- A renter's report about a machine, filed on an instance they rent or rented there. Epoch ms.
CREATE TABLE machine_reports (
    id          ${id_pk},
    machine_id  BIGINT NOT NULL REFERENCES machines (id),
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    problem     TEXT   NOT NULL,
    message     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX machine_reports_by_machine ON machine_reports (machine_id, id);
