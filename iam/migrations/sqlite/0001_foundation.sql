-- sqlite
-- The foundation schema: the account, its root user, sessions, events, and
-- empty users/groups/policies tables so the dashboard counts are real queries.
-- Portable on purpose: integer unix-second timestamps, text ids, 0/1 integers
-- for booleans. Keep it in step with ../postgres/0001_foundation.sql.

-- One account per install: `singleton` can only ever hold the value 1.
CREATE TABLE accounts (
    singleton   INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),
    id          TEXT    NOT NULL PRIMARY KEY,
    alias       TEXT    NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

-- At most one root user per account.
CREATE TABLE root_users (
    account_id           TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id),
    email                TEXT    NOT NULL,
    email_lower          TEXT    NOT NULL UNIQUE,
    password_hash        TEXT    NOT NULL,
    created_at           INTEGER NOT NULL,
    password_changed_at  INTEGER NOT NULL
);

-- The one-time setup link; only a SHA-256 of the token is kept, and issuing a
-- new token replaces the previous one.
CREATE TABLE setup_tokens (
    singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    token_hash  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id                        TEXT    NOT NULL PRIMARY KEY,
    account_id                TEXT    NOT NULL REFERENCES accounts (id),
    name                      TEXT    NOT NULL,
    name_lower                TEXT    NOT NULL,
    path                      TEXT    NOT NULL DEFAULT '/',
    password_hash             TEXT    NULL,
    console_access            INTEGER NOT NULL DEFAULT 0,
    password_change_required  INTEGER NOT NULL DEFAULT 0,
    created_at                INTEGER NOT NULL,
    password_changed_at       INTEGER NULL,
    password_last_used_at     INTEGER NULL,
    CONSTRAINT users_name_key UNIQUE (account_id, name_lower)
);

CREATE TABLE groups (
    id          TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    name        TEXT    NOT NULL,
    name_lower  TEXT    NOT NULL,
    path        TEXT    NOT NULL DEFAULT '/',
    created_at  INTEGER NOT NULL,
    CONSTRAINT groups_name_key UNIQUE (account_id, name_lower)
);

CREATE TABLE policies (
    id           TEXT    NOT NULL PRIMARY KEY,
    account_id   TEXT    NOT NULL REFERENCES accounts (id),
    name         TEXT    NOT NULL,
    name_lower   TEXT    NOT NULL,
    path         TEXT    NOT NULL DEFAULT '/',
    description  TEXT    NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CONSTRAINT policies_name_key UNIQUE (account_id, name_lower)
);

-- Server-side sessions. `id_hash` is the SHA-256 of the cookie token; the
-- token itself is never stored.
CREATE TABLE sessions (
    id_hash         TEXT    NOT NULL PRIMARY KEY,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    principal_type  TEXT    NOT NULL CHECK (principal_type IN ('root', 'user')),
    user_id         TEXT    NULL REFERENCES users (id) ON DELETE CASCADE,
    state           TEXT    NOT NULL DEFAULT 'active',
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    source_ip       TEXT    NOT NULL,
    user_agent      TEXT    NOT NULL
);
CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

-- The audit trail, shaped like CloudTrail records. JSON columns are text.
CREATE TABLE events (
    event_id            TEXT    NOT NULL PRIMARY KEY,
    event_time          INTEGER NOT NULL,
    event_source        TEXT    NOT NULL,
    event_name          TEXT    NOT NULL,
    user_identity_type  TEXT    NULL,
    user_arn            TEXT    NULL,
    user_name           TEXT    NULL,
    account_id          TEXT    NOT NULL,
    source_ip           TEXT    NOT NULL,
    user_agent          TEXT    NOT NULL,
    request_parameters  TEXT    NULL,
    response_elements   TEXT    NULL,
    error_code          TEXT    NULL,
    error_message       TEXT    NULL,
    read_only           INTEGER NOT NULL,
    resources           TEXT    NULL,
    access_key_id       TEXT    NULL
);
CREATE INDEX events_event_time_idx ON events (event_time);
