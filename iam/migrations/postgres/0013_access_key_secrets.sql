-- postgres
-- Access-key secrets sealed under the master key, for SigV4 (which needs the secret itself,
-- not its hash), and access keys of the root user. Keep it in step with
-- ../sqlite/0013_access_key_secrets.sql.

-- `secret_sealed` is hex of nonce || ciphertext || tag: the 40-character secret sealed with
-- AES-256-GCM under the server's master key, with `access-key:<id>` as associated data, so a
-- value copied to another key's row does not open. NULL for keys made before this migration:
-- they keep working with `Bearer id:secret` (checked against `secret_hash`, still stored)
-- and must be rotated to sign requests.
--
-- `is_root` = 1 marks a key of the account's root user, which has no `users` row: its
-- `user_id` is NULL. The CHECK keeps the two in step, so a NULL `user_id` never means root by
-- accident. (An INTEGER, not a BOOLEAN, to read the same as on SQLite.)
ALTER TABLE access_keys ADD COLUMN secret_sealed TEXT NULL;
ALTER TABLE access_keys ADD COLUMN is_root INTEGER NOT NULL DEFAULT 0 CHECK (is_root IN (0, 1));
ALTER TABLE access_keys ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE access_keys ADD CONSTRAINT access_keys_holder_check
    CHECK ((is_root = 1 AND user_id IS NULL) OR (is_root = 0 AND user_id IS NOT NULL));
CREATE INDEX access_keys_root_idx ON access_keys (account_id) WHERE is_root = 1;
