-- postgres
-- One-time secrets (issue 16): the passwords shown once after Add users or a password reset,
-- and a new access key's secret, wait here for their page instead of in one instance's memory,
-- so the next request may land on any instance. Each is sealed with AES-256-GCM under the
-- server's master key (never stored in the clear), bound to the session that made it, deleted
-- when first shown, and pruned after its TTL. Keep it in step with ../sqlite/0012_one_time_secrets.sql.

-- `id_hash` is the SHA-256 of the 128-bit id the page's URL carries; `sealed` is hex of
-- nonce || ciphertext || tag, opened with the kind, session and id as associated data.
CREATE TABLE one_time_secrets (
    id_hash          TEXT    NOT NULL PRIMARY KEY,
    session_id_hash  TEXT    NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    kind             TEXT    NOT NULL,
    sealed           TEXT    NOT NULL,
    expires_at       BIGINT  NOT NULL
);
CREATE INDEX one_time_secrets_session_idx ON one_time_secrets (session_id_hash);
CREATE INDEX one_time_secrets_expires_at_idx ON one_time_secrets (expires_at);

-- A known value sealed under the master key at first start: a server started with another key
-- cannot open it and stops, instead of failing later on every sealed value.
CREATE TABLE master_key_check (
    singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    sealed      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
