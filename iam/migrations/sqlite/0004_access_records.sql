-- sqlite
-- Access records for the Access Advisor (issue 6): when each principal last
-- tried each service and each action, allowed or denied, as AWS counts
-- access attempts. Decisions upsert these aggregates, so reading them never
-- scans raw events. Keep it in step with ../postgres/0004_access_records.sql.

-- `principal_id` is the user's id (AIDA...), or the account id for root.
CREATE TABLE service_last_accessed (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    principal_id      TEXT    NOT NULL,
    service           TEXT    NOT NULL,
    last_accessed_at  INTEGER  NOT NULL,
    last_allowed_at   INTEGER  NULL,
    attempts          INTEGER  NOT NULL,
    PRIMARY KEY (principal_id, service)
);

-- `action` is `service:Name` in the catalog's spelling (`iam:ListUsers`).
CREATE TABLE action_last_accessed (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    principal_id      TEXT    NOT NULL,
    service           TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    last_accessed_at  INTEGER  NOT NULL,
    last_allowed_at   INTEGER  NULL,
    attempts          INTEGER  NOT NULL,
    PRIMARY KEY (principal_id, action)
);
