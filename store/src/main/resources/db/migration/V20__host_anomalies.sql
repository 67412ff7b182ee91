-- Host reports are claims: a traffic report the server could not believe (a counter growing faster than the
-- machine's declared link carries, or going back within a run) is billed only as far as it is plausible, and
-- recorded here against the machine, for the operator (GET /api/v0/admin/anomalies/, gpumarket admin anomalies), the
-- host (host_anomalies on its machines) and the machine's reliability (each row counts as a failed start).
-- Repeats of one kind for one instance within an hour add to one row (times), so a host cannot grow the table
-- faster than that. claimed_bytes/billed_bytes are those of the latest repeat.
CREATE TABLE host_anomalies (
    id            ${id_pk},
    machine_id    BIGINT  NOT NULL,
    instance_id   BIGINT,
    kind          TEXT    NOT NULL,
    first_at      BIGINT  NOT NULL,
    last_at       BIGINT  NOT NULL,
    times         INTEGER NOT NULL,
    claimed_bytes BIGINT  NOT NULL,
    billed_bytes  BIGINT  NOT NULL,
    detail        TEXT    NOT NULL
);

CREATE INDEX host_anomalies_by_machine ON host_anomalies (machine_id, first_at);
CREATE INDEX host_anomalies_by_instance ON host_anomalies (instance_id, kind, first_at);
