-- Interruptible (bid) instances (docs/bids.md). A bid contract's gpu_price_per_hour is its bid per GPU-hour when
-- rented (the renter's "per machine" price divided by its GPUs, rounded down), frozen like every contract's prices;
-- on-demand contracts keep the listing's price there.
ALTER TABLE instances ADD COLUMN is_bid BOOLEAN NOT NULL DEFAULT FALSE;
-- The bid now, once its renter changed it (NULL until then): what arbitration compares and the instance shows.
ALTER TABLE instances ADD COLUMN bid_per_gpu_hour BIGINT;
-- Billing sees a changed bid as an event: a row with no actual_status and the GPU price per GPU-hour from its time on
-- (recorded at a fenced time, like status changes, so the meter charges the new price from the change on).
ALTER TABLE instance_events ADD COLUMN gpu_price BIGINT;
-- Where a bid stands with the machine's GPUs, written by the bid arbiter only (core BidState): holding, idle (its
-- owner stopped it), notice (losing its GPUs, still running until notice_until), preempted (lost GPUs it held;
-- stopped, resumes by itself), scheduling (wants to run, has not had GPUs since created or started). On-demand rows
-- stay 'holding'. While waiting, the owner's intended_status stays running: the agent is told to stop it meanwhile.
ALTER TABLE instances ADD COLUMN bid_phase TEXT NOT NULL DEFAULT 'holding'
    CHECK (bid_phase IN ('holding', 'idle', 'notice', 'preempted', 'scheduling'));
-- why it waits or has notice ('outbid', 'displaced by on-demand'), and since when
ALTER TABLE instances ADD COLUMN bid_reason TEXT;
ALTER TABLE instances ADD COLUMN bid_since BIGINT;
ALTER TABLE instances ADD COLUMN notice_until BIGINT;
-- The reason it was last preempted for, and when: the contract's record, kept after it resumes (beyond Vast).
ALTER TABLE instances ADD COLUMN last_preempt_reason TEXT;
ALTER TABLE instances ADD COLUMN last_preempted_at BIGINT;

-- The bid loop finds notices that have run out.
CREATE INDEX instances_notice ON instances (notice_until) WHERE notice_until IS NOT NULL;
