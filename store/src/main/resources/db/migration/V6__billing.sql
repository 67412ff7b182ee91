-- Billing: the meter's watermark, account balances kept beside the ledger, machine silences, traffic samples, and
-- what a contract freezes besides its prices (the platform fee) or the server says about it (why it was stopped).

-- Everything every contract cost up to charged_to (epoch ms) is in the ledger; nothing after it is. One row. Every
-- write of a billing-relevant time (an instance's creation, a status change, a machine's contact, traffic) is
-- recorded at charged_to + 1 ms or later, so the history before a charged instant never changes.
CREATE TABLE meter_state (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    charged_to BIGINT  NOT NULL
);

INSERT INTO meter_state (id, charged_to) VALUES (1, 0);

-- The sum of each user's ledger entries, kept in the same transaction as every append, so a balance is one row
-- read however long the ledger grows. Users without a row have a balance of 0.
CREATE TABLE account_balances (
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id),
    balance BIGINT NOT NULL
);

INSERT INTO account_balances (user_id, balance) SELECT user_id, SUM(amount) FROM ledger GROUP BY user_id;

-- Invoices list a user's payments (not the meter's entries, which are most of the ledger and are left out of this
-- index so a tick does not maintain it); queries repeat the WHERE literally so both planners use it.
CREATE INDEX ledger_payments ON ledger (user_id, created_at) WHERE kind IN ('deposit', 'transfer', 'refund');

-- A machine's agent came back after its instances had gone unknown: from when they went unknown (last contact
-- plus the liveness threshold) to the sync that ended it. GPU time in it is not charged.
CREATE TABLE machine_silences (
    id         ${id_pk},
    machine_id BIGINT NOT NULL REFERENCES machines (id),
    from_at    BIGINT NOT NULL,
    to_at      BIGINT NOT NULL
);

CREATE INDEX machine_silences_by_machine ON machine_silences (machine_id, from_at);

-- Traffic an agent reported: its counters count bytes since the instance's current run started, so each sample
-- keeps the run's counters (to tell a new run from the same one) and the totals over the instance's life. A sample
-- is written only when the counters moved.
CREATE TABLE traffic_samples (
    id             ${id_pk},
    instance_id    BIGINT NOT NULL REFERENCES instances (id),
    at             BIGINT NOT NULL,
    run_started_at BIGINT NOT NULL,
    run_rx_bytes   BIGINT NOT NULL,
    run_tx_bytes   BIGINT NOT NULL,
    rx_bytes       BIGINT NOT NULL,
    tx_bytes       BIGINT NOT NULL
);

CREATE INDEX traffic_samples_by_instance ON traffic_samples (instance_id, id);

-- The platform's cut of what the contract pays (millionths), frozen at rent like its prices. Why the server
-- stopped it (credit ran out) and when, until the renter starts it again.
ALTER TABLE instances ADD COLUMN platform_fee_ppm INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN stop_reason TEXT;
ALTER TABLE instances ADD COLUMN credit_stopped_at BIGINT;

-- The meter reads contracts destroyed after its watermark (live ones come from instances_live_by_machine's rows).
CREATE INDEX instances_by_destroyed_at ON instances (destroyed_at) WHERE destroyed_at IS NOT NULL;
CREATE INDEX instances_by_machine ON instances (machine_id, id);
