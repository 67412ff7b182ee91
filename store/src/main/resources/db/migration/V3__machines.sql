-- A host's machine: every MachineSpec field is a column of its own (searchable, typed), then operator state,
-- then the listing (all NULL while unlisted).
CREATE TABLE machines (
    id                      ${id_pk},
    host_id                 BIGINT           NOT NULL REFERENCES users (id),

    gpu_name                TEXT             NOT NULL,
    num_gpus                INTEGER          NOT NULL,
    gpu_ram_mb              INTEGER          NOT NULL,
    gpu_arch                TEXT             NOT NULL,
    compute_cap             INTEGER          NOT NULL,
    cuda_max_good           DOUBLE PRECISION NOT NULL,
    driver_version          TEXT,
    pcie_bw                 DOUBLE PRECISION NOT NULL,
    pci_gen                 DOUBLE PRECISION NOT NULL,
    gpu_lanes               INTEGER          NOT NULL,
    gpu_max_power           DOUBLE PRECISION NOT NULL,
    gpu_max_temp            DOUBLE PRECISION NOT NULL,
    bw_nvlink               DOUBLE PRECISION NOT NULL,
    gpu_display_active      BOOLEAN          NOT NULL,
    cpu_name                TEXT,
    cpu_arch                TEXT             NOT NULL,
    cpu_cores               INTEGER          NOT NULL,
    cpu_ghz                 DOUBLE PRECISION NOT NULL,
    cpu_ram_mb              BIGINT           NOT NULL,
    has_avx                 BOOLEAN          NOT NULL,
    disk_space_gb           DOUBLE PRECISION NOT NULL,
    disk_bw                 DOUBLE PRECISION NOT NULL,
    disk_name               TEXT,
    inet_up                 DOUBLE PRECISION NOT NULL,
    inet_down               DOUBLE PRECISION NOT NULL,
    mobo_name               TEXT,
    os_version              TEXT,
    public_ipaddr           TEXT,
    hostname                TEXT,
    direct_port_start       INTEGER          NOT NULL,
    direct_port_end         INTEGER          NOT NULL,
    geolocation             TEXT             NOT NULL,
    datacenter              BOOLEAN          NOT NULL,
    static_ip               BOOLEAN          NOT NULL,
    vms_enabled             BOOLEAN          NOT NULL,

    verification            TEXT             NOT NULL,
    reliability             DOUBLE PRECISION NOT NULL,
    -- the last line of defence of the rent race: no update may free or take GPUs that do not exist
    free_gpus               INTEGER          NOT NULL CHECK (free_gpus >= 0 AND free_gpus <= num_gpus),
    -- SHA-256 of the machine token its agent authenticates with
    token_hash              TEXT             NOT NULL,

    listed                  BOOLEAN          NOT NULL DEFAULT FALSE,
    gpu_price_per_hour      BIGINT,
    disk_price_per_gb_month BIGINT,
    inet_up_price_per_gb    BIGINT,
    inet_down_price_per_gb  BIGINT,
    min_bid_per_gpu_hour    BIGINT,
    min_chunk               INTEGER,
    -- epoch seconds, as Vast's end_date
    end_date                BIGINT,
    credit_discount_max     DOUBLE PRECISION,

    created_at              BIGINT           NOT NULL,
    updated_at              BIGINT           NOT NULL
);

CREATE UNIQUE INDEX machines_token_hash_key ON machines (token_hash);
CREATE INDEX machines_by_host ON machines (host_id, id);
