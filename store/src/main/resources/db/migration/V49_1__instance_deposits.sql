-- Reserved instances (PUT /instances/prepay/{id}/, GET /instances/balance/{id}/; docs/billing.md "Reserved instances").
-- A prepaid deposit locked to one contract: moved out of the renter's credit by a "reserved" ledger entry, drawn
-- first by the meter at the discounted price, refunded (less the discount clawed back and 5 % of it) when the
-- instance is destroyed. Money in micro-dollars; discount_ppm in millionths.
--   segment_base / segment_charged: the undiscounted charges metered at the current rate since it was set, and what
--     they cost discounted (segment_base − ⌊segment_base × discount_ppm / 10⁶⌋); the meter charges the growth of the
--     latter, so any split of time into ticks costs the same. A new prepayment starts a new segment.
CREATE TABLE instance_deposits (
    instance_id     BIGINT  PRIMARY KEY,
    owner_id        BIGINT  NOT NULL,
    balance         BIGINT  NOT NULL,
    deposited       BIGINT  NOT NULL,
    discount_ppm    INTEGER NOT NULL,
    months_ppm      BIGINT  NOT NULL,
    segment_base    BIGINT  NOT NULL,
    segment_charged BIGINT  NOT NULL,
    discount_total  BIGINT  NOT NULL,
    refunded        BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX instance_deposits_funded ON instance_deposits (balance);
