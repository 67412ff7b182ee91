-- image_login of the create body: Docker login flags for a private registry ("-u bob -p secret registry.example.org").
-- A credential, stored as the container API key is (plain text the agent needs at every pull); handed only to the
-- machine's agent in its desired state, never shown in instance views. NULL for public images.
ALTER TABLE instances ADD COLUMN image_login TEXT;
