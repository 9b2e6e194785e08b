-- postgres
-- Policies with versions and tags, group members, managed-policy attachments
-- and inline group policies (issue 4). Keep it in step with
-- ../sqlite/0002_policies_and_groups.sql.

-- The default version's number (`v1` is 1), and the next number to hand out:
-- version ids are never reused.
ALTER TABLE policies ADD COLUMN default_version BIGINT  NOT NULL DEFAULT 1;
ALTER TABLE policies ADD COLUMN next_version BIGINT  NOT NULL DEFAULT 2;

CREATE TABLE policy_versions (
    policy_id   TEXT    NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    version     BIGINT  NOT NULL,
    document    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (policy_id, version)
);

-- Tags of policies and users, keyed by the resource's id (ids carry a type
-- prefix, so they never collide across types).
CREATE TABLE tags (
    resource_id  TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    key_lower    TEXT NOT NULL,
    tag_value    TEXT NOT NULL,
    PRIMARY KEY (resource_id, key_lower)
);

CREATE TABLE group_members (
    group_id    TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at    BIGINT  NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_id_idx ON group_members (user_id);

-- Attachments name the policy by ARN, so AWS managed policies (which have no
-- row) can be attached too.
CREATE TABLE group_policy_attachments (
    group_id     TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    policy_arn   TEXT    NOT NULL,
    attached_at  BIGINT  NOT NULL,
    PRIMARY KEY (group_id, policy_arn)
);
CREATE INDEX group_policy_attachments_policy_arn_idx ON group_policy_attachments (policy_arn);

CREATE TABLE user_policy_attachments (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    policy_arn   TEXT    NOT NULL,
    attached_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, policy_arn)
);
CREATE INDEX user_policy_attachments_policy_arn_idx ON user_policy_attachments (policy_arn);

CREATE TABLE group_inline_policies (
    group_id    TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    name_lower  TEXT    NOT NULL,
    document    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (group_id, name_lower)
);
