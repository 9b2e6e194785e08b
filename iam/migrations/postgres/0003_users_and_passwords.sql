-- postgres
-- Console access, the account password policy and password history (issue 5).
-- Keep it in step with ../sqlite/0003_users_and_passwords.sql.

-- When the user's console password (login profile) was created; NULL without one.
ALTER TABLE users ADD COLUMN login_profile_created_at BIGINT  NULL;

-- The account's custom password policy; no row: IAM's default rules.
CREATE TABLE password_policies (
    account_id                      TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id),
    minimum_password_length         BIGINT  NOT NULL,
    require_uppercase_characters    BIGINT  NOT NULL,
    require_lowercase_characters    BIGINT  NOT NULL,
    require_numbers                 BIGINT  NOT NULL,
    require_symbols                 BIGINT  NOT NULL,
    allow_users_to_change_password  BIGINT  NOT NULL,
    max_password_age                BIGINT  NULL,
    password_reuse_prevention       BIGINT  NULL,
    hard_expiry                     BIGINT  NOT NULL,
    updated_at                      BIGINT  NOT NULL
);

-- A user's previous password hashes (argon2id), for the reuse check; the
-- newest 24 are kept.
CREATE TABLE password_history (
    user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash  TEXT    NOT NULL,
    retired_at     BIGINT  NOT NULL,
    PRIMARY KEY (user_id, password_hash)
);
CREATE INDEX password_history_user_retired_idx ON password_history (user_id, retired_at);

-- Ending a user's sessions (password change, reset, console access removed).
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
