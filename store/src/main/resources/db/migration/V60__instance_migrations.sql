-- Moving an instance to another machine (issue 23, docs/migrate.md). One row per migration, kept after it ended: the
-- server's orchestration (server/…/service/MigrationService) reads the unfinished ones at start, so a restart resumes
-- them. The destination's GPUs are held in the machine's free count from the request until the migration ends; its
-- SSH and published ports are taken at the request too (to_ssh_port, to_ports), and the prices its listing had then
-- are frozen here and become the contract's when the instance moves.
CREATE TABLE instance_migrations (
    id                      ${id_pk},
    instance_id             BIGINT NOT NULL REFERENCES instances (id),
    owner_id                BIGINT NOT NULL,
    from_machine            BIGINT NOT NULL,
    to_machine              BIGINT NOT NULL,
    to_offer                BIGINT NOT NULL,
    num_gpus                INTEGER NOT NULL,
    to_ssh_port             INTEGER NOT NULL,
    -- JSON {"8080/tcp": host port}, as instances.ports
    to_ports                TEXT   NOT NULL,
    gpu_price_per_hour      BIGINT NOT NULL,
    disk_price_per_gb_month BIGINT NOT NULL,
    inet_up_price_per_gb    BIGINT NOT NULL,
    inet_down_price_per_gb  BIGINT NOT NULL,
    end_date                BIGINT NOT NULL,
    platform_fee_ppm        INTEGER NOT NULL,
    -- whether the source was running when asked (it is stopped first and started again on the destination)
    was_running             BOOLEAN NOT NULL,
    -- reserved | copying | starting | done | rolled_back (core/…/migrate/MigrationState)
    state                   TEXT   NOT NULL,
    copy_id                 BIGINT,
    -- the contract row that keeps the old placement's history once the instance moved (instances.id)
    archive_id              BIGINT,
    message                 TEXT   NOT NULL,
    requested_at            BIGINT NOT NULL,
    last_progress_at        BIGINT,
    copied_at               BIGINT,
    started_at              BIGINT,
    ended_at                BIGINT,
    reason                  TEXT
);

CREATE INDEX instance_migrations_by_instance ON instance_migrations (instance_id, id);
CREATE INDEX instance_migrations_unfinished ON instance_migrations (state) WHERE ended_at IS NULL;

-- Every move of a contract to another machine: the meter rebuilds its book when this grows, since the moved
-- contract's past now belongs to its archive row (a contract of its own, ended at the move) and the instance's row
-- starts a new contract at the move's instant.
CREATE TABLE contract_moves (
    id          ${id_pk},
    instance_id BIGINT NOT NULL,
    archive_id  BIGINT NOT NULL,
    at          BIGINT NOT NULL
);
