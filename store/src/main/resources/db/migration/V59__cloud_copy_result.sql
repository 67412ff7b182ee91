-- The result URL of a cloud copy (`POST /commands/rclone/` answers `result_url`, as Vast's document says):
-- `GET /instance_logs/<token>.log` shows the copy's state and its last status line. Only the token's SHA-256 is
-- kept; the URL itself is the secret, as for request_logs and execute.
ALTER TABLE cloud_copies ADD COLUMN result_token_hash TEXT;

CREATE INDEX cloud_copies_by_result_token ON cloud_copies (result_token_hash);
