-- Instances an agent found on its host that the server does not list for the machine (destroyed while the agent was
-- away, a restored database): left running by the agent, never removed unseen, and shown to the host here until the
-- agent stops finding them. What the agent said on its last sync replaces what was here.
CREATE TABLE machine_orphans (
    machine_id  BIGINT NOT NULL REFERENCES machines (id),
    instance_id BIGINT NOT NULL,
    seen_at     BIGINT NOT NULL,
    PRIMARY KEY (machine_id, instance_id)
);
