-- A running instance moved to another machine while the server has a preemption notice window (docs/migrate.md):
-- it keeps running, told inside it as a preempted bid is, until stop_at (epoch ms), then is stopped and the copy
-- begins. Stored so a restarted server keeps the same deadline; null when it was stopped at the request.
ALTER TABLE instance_migrations ADD COLUMN stop_at BIGINT;
