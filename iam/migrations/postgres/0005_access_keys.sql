-- postgres
-- Access keys of IAM users, for the authorization API (issue 6). Keep it in
-- step with ../sqlite/0005_access_keys.sql.

-- `secret_hash` is the SHA-256 (hex) of the 40-character secret, which has
-- 160 random bits; the secret itself is shown once and never stored.
CREATE TABLE access_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash   TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('Active', 'Inactive')),
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT  NULL
);
CREATE INDEX access_keys_user_id_idx ON access_keys (user_id);
