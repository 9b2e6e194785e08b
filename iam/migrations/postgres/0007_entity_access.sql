-- postgres
-- Access Advisor aggregates per group and per managed policy (issue 6), so
-- that a group's or a policy's report reads a few hundred rows however many
-- members and how much history it has. Each flush of access records upserts
-- them for the groups the principal is in (since joining) and the managed
-- policies that apply to it (since they applied). Keep it in step with
-- ../sqlite/0007_entity_access.sql.

CREATE TABLE group_service_last_accessed (
    group_id          TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    service           TEXT    NOT NULL,
    last_accessed_at  BIGINT  NOT NULL,
    last_accessed_by  TEXT    NOT NULL,
    last_allowed_at   BIGINT  NULL,
    attempts          BIGINT  NOT NULL,
    PRIMARY KEY (group_id, service)
);

CREATE TABLE group_action_last_accessed (
    group_id          TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    action            TEXT    NOT NULL,
    service           TEXT    NOT NULL,
    last_accessed_at  BIGINT  NOT NULL,
    last_accessed_by  TEXT    NOT NULL,
    last_allowed_at   BIGINT  NULL,
    attempts          BIGINT  NOT NULL,
    PRIMARY KEY (group_id, action)
);

-- Managed policies by ARN (AWS managed ones have no row to refer to).
CREATE TABLE policy_service_last_accessed (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    policy_arn        TEXT    NOT NULL,
    service           TEXT    NOT NULL,
    last_accessed_at  BIGINT  NOT NULL,
    last_accessed_by  TEXT    NOT NULL,
    last_allowed_at   BIGINT  NULL,
    attempts          BIGINT  NOT NULL,
    PRIMARY KEY (account_id, policy_arn, service)
);

CREATE TABLE policy_action_last_accessed (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    policy_arn        TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    service           TEXT    NOT NULL,
    last_accessed_at  BIGINT  NOT NULL,
    last_accessed_by  TEXT    NOT NULL,
    last_allowed_at   BIGINT  NULL,
    attempts          BIGINT  NOT NULL,
    PRIMARY KEY (account_id, policy_arn, action)
);
