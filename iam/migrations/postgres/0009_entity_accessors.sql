-- postgres
-- How many users accessed each service and action of a group's or a managed
-- policy's Access Advisor report while the group or policy applied to them
-- (issue 6: "Members accessed", "Entities accessed"). The flush of access
-- records adds 1 when a user's access is their first since the group or
-- policy applied to them, which it tells from the user's own aggregate before
-- updating it, so a report still reads one row per service and action. Keep
-- it in step with ../sqlite/0009_entity_accessors.sql.

ALTER TABLE group_service_last_accessed ADD COLUMN accessors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_action_last_accessed ADD COLUMN accessors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE policy_service_last_accessed ADD COLUMN accessors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE policy_action_last_accessed ADD COLUMN accessors BIGINT NOT NULL DEFAULT 0;

-- Rows recorded before this migration: the current members (users the policy
-- applies to) whose own record is from after they joined (it applied). At
-- least 1, since someone made the row; former members are not known.
UPDATE group_service_last_accessed SET accessors = GREATEST(1, (
    SELECT COUNT(*) FROM group_members m
    JOIN service_last_accessed p ON p.principal_id = m.user_id
        AND p.service = group_service_last_accessed.service
        AND p.last_accessed_at >= m.added_at
    WHERE m.group_id = group_service_last_accessed.group_id
));
UPDATE policy_service_last_accessed SET accessors = GREATEST(1, (
    SELECT COUNT(*) FROM users u
    JOIN service_last_accessed p ON p.principal_id = u.id
        AND p.service = policy_service_last_accessed.service
    WHERE EXISTS (
        SELECT 1 FROM user_policy_attachments a
        WHERE a.user_id = u.id AND a.policy_arn = policy_service_last_accessed.policy_arn
            AND a.attached_at <= p.last_accessed_at
    ) OR EXISTS (
        SELECT 1 FROM group_members m
        JOIN group_policy_attachments a ON a.group_id = m.group_id
        WHERE m.user_id = u.id AND a.policy_arn = policy_service_last_accessed.policy_arn
            AND a.attached_at <= p.last_accessed_at AND m.added_at <= p.last_accessed_at
    )
));
UPDATE group_action_last_accessed SET accessors = GREATEST(1, (
    SELECT COUNT(*) FROM group_members m
    JOIN action_last_accessed p ON p.principal_id = m.user_id
        AND p.action = group_action_last_accessed.action
        AND p.last_accessed_at >= m.added_at
    WHERE m.group_id = group_action_last_accessed.group_id
));
UPDATE policy_action_last_accessed SET accessors = GREATEST(1, (
    SELECT COUNT(*) FROM users u
    JOIN action_last_accessed p ON p.principal_id = u.id
        AND p.action = policy_action_last_accessed.action
    WHERE EXISTS (
        SELECT 1 FROM user_policy_attachments a
        WHERE a.user_id = u.id AND a.policy_arn = policy_action_last_accessed.policy_arn
            AND a.attached_at <= p.last_accessed_at
    ) OR EXISTS (
        SELECT 1 FROM group_members m
        JOIN group_policy_attachments a ON a.group_id = m.group_id
        WHERE m.user_id = u.id AND a.policy_arn = policy_action_last_accessed.policy_arn
            AND a.attached_at <= p.last_accessed_at AND m.added_at <= p.last_accessed_at
    )
));
