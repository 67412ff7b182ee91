-- Teams and subaccounts (docs/teams.md).
--
-- A team is an account of its own: a users row that holds the team's credit, instances, keys and templates. This
-- table says which accounts are teams, by what name, and which person owns it.
CREATE TABLE teams (
    user_id    BIGINT NOT NULL PRIMARY KEY REFERENCES users (id),
    name       TEXT   NOT NULL,
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- A role's permissions are a permission document, the same JSON a scoped API key carries, checked by the same code.
CREATE TABLE team_roles (
    id          ${id_pk},
    team_id     BIGINT NOT NULL REFERENCES teams (user_id),
    name        TEXT   NOT NULL,
    permissions TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE UNIQUE INDEX team_roles_name_key ON team_roles (team_id, name);

-- Who belongs to a team and with which role. Removing the row (and the member's team keys) revokes the member.
CREATE TABLE team_members (
    team_id   BIGINT NOT NULL REFERENCES teams (user_id),
    user_id   BIGINT NOT NULL REFERENCES users (id),
    role_id   BIGINT NOT NULL REFERENCES team_roles (id),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE INDEX team_members_by_role ON team_members (role_id);
CREATE INDEX team_members_by_user ON team_members (user_id);

-- Invitations: only the SHA-256 of the token is kept; the invitee redeems the token with a key of the account whose
-- email was invited.
CREATE TABLE team_invitations (
    id          ${id_pk},
    team_id     BIGINT NOT NULL REFERENCES teams (user_id),
    email       TEXT   NOT NULL,
    role_id     BIGINT NOT NULL REFERENCES team_roles (id),
    token_hash  TEXT   NOT NULL,
    invited_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    accepted_by BIGINT
);

CREATE UNIQUE INDEX team_invitations_token_key ON team_invitations (token_hash);
CREATE INDEX team_invitations_by_email ON team_invitations (team_id, lower(email));

-- A team key: a key of the team's account used by one member, who acts with the intersection of the key's document
-- and their role's. NULL for every other key (read with the key's row: no extra lookup for them).
ALTER TABLE api_keys ADD COLUMN member_id BIGINT;
CREATE INDEX api_keys_by_member ON api_keys (member_id, user_id);

-- A subaccount's parent (POST /users/ with parent_id): the parent funds it and sees its usage. NULL for others.
ALTER TABLE users ADD COLUMN parent_id BIGINT;
CREATE INDEX users_by_parent ON users (parent_id);
