-- sqlite
-- Console access, the account password policy and password history (issue 5).
-- Keep it in step with ../postgres/0003_users_and_passwords.sql.

-- When the user's console password (login profile) was created; NULL without one.
ALTER TABLE users ADD COLUMN login_profile_created_at INTEGER NULL;

-- The account's custom password policy; no row: IAM's default rules.
CREATE TABLE password_policies (
    account_id                      TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id),
    minimum_password_length         INTEGER NOT NULL,
    require_uppercase_characters    INTEGER NOT NULL,
    require_lowercase_characters    INTEGER NOT NULL,
    require_numbers                 INTEGER NOT NULL,
    require_symbols                 INTEGER NOT NULL,
    allow_users_to_change_password  INTEGER NOT NULL,
    max_password_age                INTEGER NULL,
    password_reuse_prevention       INTEGER NULL,
    hard_expiry                     INTEGER NOT NULL,
    updated_at                      INTEGER NOT NULL
);

-- A user's previous password hashes (argon2id), for the reuse check; the
-- newest 24 are kept.
CREATE TABLE password_history (
    user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash  TEXT    NOT NULL,
    retired_at     INTEGER NOT NULL,
    PRIMARY KEY (user_id, password_hash)
);
CREATE INDEX password_history_user_retired_idx ON password_history (user_id, retired_at);

-- Ending a user's sessions (password change, reset, console access removed).
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
