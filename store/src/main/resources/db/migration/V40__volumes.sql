-- Volumes (docs/volumes.md): disk space a host offers on a machine, volumes renters rent from it, and which
-- instances mount which volume where. Times in epoch ms, money in micro-dollars.

-- What a host offers for volumes on one machine (create_asks vol_size/vol_price, or POST /volumes/). One live
-- offer per machine: listing again changes it in place; unlisting sets unlisted_at.
CREATE TABLE volume_offers (
    id                 ${id_pk},
    machine_id         BIGINT NOT NULL REFERENCES machines (id),
    size_gb            BIGINT NOT NULL CHECK (size_gb >= 0),
    price_per_gb_month BIGINT NOT NULL CHECK (price_per_gb_month >= 0),
    end_date           BIGINT,
    created_at         BIGINT NOT NULL,
    unlisted_at        BIGINT
);

CREATE INDEX volume_offers_by_machine ON volume_offers (machine_id, unlisted_at);

-- A rented volume: its price frozen at rent; charged from created_at to deleted_at (the meter reads these).
CREATE TABLE volumes (
    id                 ${id_pk},
    owner_id           BIGINT NOT NULL REFERENCES users (id),
    machine_id         BIGINT NOT NULL REFERENCES machines (id),
    offer_id           BIGINT NOT NULL REFERENCES volume_offers (id),
    name               TEXT,
    size_gb            BIGINT NOT NULL CHECK (size_gb > 0),
    price_per_gb_month BIGINT NOT NULL CHECK (price_per_gb_month >= 0),
    created_at         BIGINT NOT NULL,
    deleted_at         BIGINT,
    delete_reason      TEXT,
    -- since when the owner's balance has been zero or less (the credit guard's mark; cleared when it is positive):
    -- after the operator's grace period the volume is deleted
    unpaid_since       BIGINT
);

CREATE INDEX volumes_by_owner ON volumes (owner_id, id);
CREATE INDEX volumes_by_machine ON volumes (machine_id, deleted_at);

-- An instance's mount of a volume (made when the instance is created; kept after the instance is destroyed, so
-- the history stays; "attached" means linked to an instance not destroyed).
CREATE TABLE instance_volumes (
    instance_id BIGINT NOT NULL REFERENCES instances (id),
    volume_id   BIGINT NOT NULL REFERENCES volumes (id),
    mount_path  TEXT   NOT NULL,
    PRIMARY KEY (instance_id, volume_id)
);

CREATE INDEX instance_volumes_by_volume ON instance_volumes (volume_id);
