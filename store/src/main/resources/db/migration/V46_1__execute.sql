-- execute (PUT /instances/command/{id}/): a constrained command rides on the log-request channel. A ticket with a
-- command (its argv as a JSON array) is run by the agent inside the instance instead of reading the log, and its
-- output is uploaded under the same random token. expires_at: after it the result URL answers 404 (NULL for log
-- requests, which keep their text as before).
ALTER TABLE instance_logs ADD COLUMN command TEXT;
ALTER TABLE instance_logs ADD COLUMN expires_at BIGINT;
