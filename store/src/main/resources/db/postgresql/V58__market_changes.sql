-- The market change log that keeps every replica's offer index and agents' long polls following the database
-- (docs/high-availability.md). PostgreSQL only: SQLite serves one replica (its server lock refuses a second).
--
-- Triggers write one row per changed machine in the same transaction as the change, so a row is visible exactly when
-- the change is committed, whichever code made it; and a NOTIFY (one per transaction: identical notifications of a
-- transaction are folded into one) wakes the replicas, which then read the log from where they are. `origin` is the
-- writing connection's application_name, which a replica sets to its own id: a replica skips its own rows (it has
-- applied its changes already). Rows are pruned by age by one replica (the change-log-prune loop).
CREATE TABLE market_changes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine_id BIGINT      NOT NULL,
    origin     TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION market_change(mid BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO market_changes (machine_id, origin)
    VALUES (mid, coalesce(current_setting('application_name', true), ''));
    PERFORM pg_notify('market_changes', '');
END
$$;

-- machines: every change but the heartbeat columns (written every few seconds for every talking machine)
CREATE FUNCTION machines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM market_change(OLD.id);
        RETURN OLD;
    END IF;
    PERFORM market_change(NEW.id);
    RETURN NEW;
END
$$;
CREATE TRIGGER machines_insert_delete AFTER INSERT OR DELETE ON machines
    FOR EACH ROW EXECUTE FUNCTION machines_changed();
CREATE TRIGGER machines_update AFTER UPDATE ON machines FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'last_seen_at' - 'first_seen_at') IS DISTINCT FROM
          (to_jsonb(NEW) - 'last_seen_at' - 'first_seen_at'))
    EXECUTE FUNCTION machines_changed();

-- rows that carry a machine_id: offers (asks), volumes
CREATE FUNCTION machine_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM market_change(OLD.machine_id);
        RETURN OLD;
    END IF;
    PERFORM market_change(NEW.machine_id);
    IF TG_OP = 'UPDATE' AND OLD.machine_id <> NEW.machine_id THEN
        PERFORM market_change(OLD.machine_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER offers_change AFTER INSERT OR UPDATE OR DELETE ON offers
    FOR EACH ROW EXECUTE FUNCTION machine_row_changed();
CREATE TRIGGER volumes_change AFTER INSERT OR UPDATE OR DELETE ON volumes
    FOR EACH ROW EXECUTE FUNCTION machine_row_changed();

-- instances (contracts): created or removed, and the server's side of a change (the agent's reports of actual state
-- touch neither the revision nor availability, so they write no row)
CREATE TRIGGER instances_insert_delete AFTER INSERT OR DELETE ON instances
    FOR EACH ROW EXECUTE FUNCTION machine_row_changed();
CREATE TRIGGER instances_update AFTER UPDATE ON instances FOR EACH ROW
    WHEN (OLD.revision IS DISTINCT FROM NEW.revision
          OR OLD.intended_status IS DISTINCT FROM NEW.intended_status
          OR OLD.cur_state IS DISTINCT FROM NEW.cur_state
          OR OLD.destroyed_at IS DISTINCT FROM NEW.destroyed_at
          OR OLD.num_gpus IS DISTINCT FROM NEW.num_gpus
          OR OLD.is_bid IS DISTINCT FROM NEW.is_bid
          OR OLD.bid_per_gpu_hour IS DISTINCT FROM NEW.bid_per_gpu_hour
          OR OLD.bid_phase IS DISTINCT FROM NEW.bid_phase
          OR OLD.notice_until IS DISTINCT FROM NEW.notice_until
          OR OLD.machine_id IS DISTINCT FROM NEW.machine_id)
    EXECUTE FUNCTION machine_row_changed();

-- what an agent must act on without an instance row changing: log requests, SSH keys (an account's keys reach every
-- live instance of the account; an instance's own keys its one instance)
CREATE FUNCTION instance_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM market_change(i.machine_id) FROM instances i WHERE i.id = r.instance_id;
    RETURN r;
END
$$;
CREATE TRIGGER instance_logs_change AFTER INSERT OR DELETE ON instance_logs
    FOR EACH ROW EXECUTE FUNCTION instance_row_changed();

CREATE FUNCTION ssh_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF r.instance_id IS NOT NULL THEN
        PERFORM market_change(i.machine_id) FROM instances i WHERE i.id = r.instance_id;
    ELSE
        PERFORM market_change(m.machine_id)
        FROM (SELECT DISTINCT machine_id FROM instances WHERE owner_id = r.user_id AND destroyed_at IS NULL) m;
    END IF;
    RETURN r;
END
$$;
CREATE TRIGGER ssh_keys_change AFTER INSERT OR UPDATE OR DELETE ON ssh_keys
    FOR EACH ROW EXECUTE FUNCTION ssh_keys_changed();

CREATE INDEX market_changes_by_time ON market_changes (at);
