-- The template an instance was created from, copied at creation (a template's hash_id changes with every edit
-- and its name may change too; the instance shows what it was made from). NULL for instances made without one.
ALTER TABLE instances ADD COLUMN template_id BIGINT;
ALTER TABLE instances ADD COLUMN template_hash_id TEXT;
ALTER TABLE instances ADD COLUMN template_name TEXT;
