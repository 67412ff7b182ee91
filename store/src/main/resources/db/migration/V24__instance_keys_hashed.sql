-- Instances' own API keys (CONTAINER_API_KEY) are no longer kept in clear (docs/security.md "Secrets at rest"):
-- a key is now derived from a server secret held outside the database (HMAC-SHA256 of the instance id, with the
-- key file next to the database), so the server can hand it to the agent again at any sync, and the database alone
-- reveals no key. Only its SHA-256 authenticates, in api_keys.secret_hash, as for every other key: that hash was
-- always stored there, so erasing the clear column loses nothing that authenticates.
--
-- Instances rented before this migration keep their random key: it stays valid (its hash is in api_keys) inside
-- their running environment, but the server cannot hand it again (api_key_derived = FALSE).
ALTER TABLE instances ADD COLUMN api_key_derived BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE instances SET container_api_key = '' WHERE container_api_key <> '';
