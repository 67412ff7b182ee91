-- A volume moving with its instance to another machine (issue 23, docs/migrate.md). The volume's row keeps its id
-- (the renter's handle, V.<id>, and its mounts) and becomes a new placement on the destination from the move's
-- instant: machine, volume offer and price there, created_at the move. Its past placement is a copy of the row as it
-- was, deleted at that instant, with moved_as naming the volume it was: the meter charges each row over its own
-- span (old price until the move, the destination's from then, nothing twice), and a move given up after it moves
-- the volume back to the newest such row's placement. NULL for every volume that never moved.
ALTER TABLE volumes ADD COLUMN moved_as BIGINT;

CREATE INDEX volumes_by_moved_as ON volumes (moved_as);
