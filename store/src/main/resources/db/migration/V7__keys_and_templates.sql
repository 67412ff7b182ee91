-- Keys attached to one instance, user settings, and templates.

-- An SSH key attached to one instance (POST /instances/{id}/ssh/) is a row of ssh_keys with instance_id set; account
-- keys have it NULL. One table, so the two kinds share one id space and DELETE /instances/{id}/ssh/{key}/ can take
-- either kind of id without ambiguity. Attached keys are let into that instance only.
ALTER TABLE ssh_keys ADD COLUMN instance_id BIGINT REFERENCES instances (id);

CREATE INDEX ssh_keys_live_by_instance ON ssh_keys (instance_id, id) WHERE deleted_at IS NULL AND instance_id IS NOT NULL;

-- The settable user fields of PUT /users/ (spec §g.4) other than email, username and ssh_key, which have columns:
-- a JSON object, because nothing queries inside it.
ALTER TABLE users ADD COLUMN settings TEXT;

-- Templates (spec §g.1). The numeric id stays for a template's life; hash_id is derived from the creator and the
-- content and changes with every edit, so it is unique among live templates only. content is the JSON object of
-- the settable fields; name and private are copied out of it because searches and visibility read them. Deleting
-- is soft, so ids are never reused.
CREATE TABLE templates (
    id               ${id_pk},
    creator_id       BIGINT  NOT NULL REFERENCES users (id),
    hash_id          TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    private          BOOLEAN NOT NULL,
    content          TEXT    NOT NULL,
    -- set by operators only
    recommended      BOOLEAN NOT NULL DEFAULT FALSE,
    -- instances created from it, and when the last one was
    count_created    BIGINT  NOT NULL DEFAULT 0,
    recent_create_at BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    deleted_at       BIGINT
);

CREATE UNIQUE INDEX templates_live_hash_key ON templates (hash_id) WHERE deleted_at IS NULL;
CREATE INDEX templates_live_by_creator ON templates (creator_id, id) WHERE deleted_at IS NULL;
CREATE INDEX templates_live_public ON templates (id) WHERE deleted_at IS NULL AND private = FALSE;
