-- sqlite
-- Access-key secrets sealed under the master key, for SigV4 (which needs the secret itself,
-- not its hash), and access keys of the root user. Keep it in step with
-- ../postgres/0013_access_key_secrets.sql.

-- `secret_sealed` is hex of nonce || ciphertext || tag: the 40-character secret sealed with
-- AES-256-GCM under the server's master key, with `access-key:<id>` as associated data, so a
-- value copied to another key's row does not open. NULL for keys made before this migration:
-- they keep working with `Bearer id:secret` (checked against `secret_hash`, still stored)
-- and must be rotated to sign requests.
--
-- `is_root` = 1 marks a key of the account's root user, which has no `users` row: its
-- `user_id` is NULL. The CHECK keeps the two in step, so a NULL `user_id` never means root by
-- accident. SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (nothing
-- references it).
CREATE TABLE access_keys_new (
    id             TEXT    NOT NULL PRIMARY KEY,
    account_id     TEXT    NOT NULL REFERENCES accounts (id),
    user_id        TEXT    NULL REFERENCES users (id) ON DELETE CASCADE,
    is_root        INTEGER NOT NULL DEFAULT 0 CHECK (is_root IN (0, 1)),
    secret_hash    TEXT    NOT NULL,
    secret_sealed  TEXT    NULL,
    status         TEXT    NOT NULL CHECK (status IN ('Active', 'Inactive')),
    created_at     INTEGER NOT NULL,
    last_used_at   INTEGER NULL,
    CHECK ((is_root = 1 AND user_id IS NULL) OR (is_root = 0 AND user_id IS NOT NULL))
);
INSERT INTO access_keys_new (id, account_id, user_id, is_root, secret_hash, secret_sealed,
                             status, created_at, last_used_at)
SELECT id, account_id, user_id, 0, secret_hash, NULL, status, created_at, last_used_at
FROM access_keys;
DROP TABLE access_keys;
ALTER TABLE access_keys_new RENAME TO access_keys;
CREATE INDEX access_keys_user_id_idx ON access_keys (user_id);
CREATE INDEX access_keys_root_idx ON access_keys (account_id) WHERE is_root = 1;
