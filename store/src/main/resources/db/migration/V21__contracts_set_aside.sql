-- A contract the meter could not price (its charge overflows, or its recorded usage is impossible) is set aside: the
-- meter charges it no further and goes on with every other contract, so one bad contract never stops the books. It
-- stays aside across restarts until the operator deals with it (gpumarket admin anomalies lists it). charged_to is
-- the watermark it had been charged up to (epoch ms); the billing pages price it no further than that.
CREATE TABLE contracts_set_aside (
    instance_id BIGINT NOT NULL PRIMARY KEY,
    at          BIGINT NOT NULL,
    charged_to  BIGINT NOT NULL,
    reason      TEXT   NOT NULL
);
