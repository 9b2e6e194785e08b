//! The "last accessed" aggregates behind the Access Advisor: per (principal, service) and
//! (principal, action), and the same per group and per managed policy, with how many users
//! accessed each (`accessors`).
//!
//! Upserts keep the later time and add the attempts, so instances sharing a database merge
//! correctly. The group and policy aggregates count a user when the user's own aggregate shows
//! no access since the group or policy applied to them, so [`upsert_action`] and
//! [`upsert_service`] write those before the user's own.

use std::collections::HashSet;

use sqlx::AnyConnection;

use super::Backend;
use crate::error::IamError;

/// Keeps the later of two times; `NULL` is older than any time.
const LATER_ALLOWED: &str = "CASE WHEN excluded.last_allowed_at IS NULL THEN t.last_allowed_at \
     WHEN t.last_allowed_at IS NULL OR excluded.last_allowed_at > t.last_allowed_at \
     THEN excluded.last_allowed_at ELSE t.last_allowed_at END";
const LATER_ACCESSED: &str = "CASE WHEN excluded.last_accessed_at > t.last_accessed_at \
     THEN excluded.last_accessed_at ELSE t.last_accessed_at END";

/// Whose aggregate a record updates: the principal's own, each group it is in (since it joined),
/// each managed policy that applies to it (since it applied).
#[derive(Debug, Clone, Copy)]
enum Target {
    Principal,
    Group,
    Policy,
}

impl Target {
    /// The principal's own aggregate last: the others read it to tell a first access.
    const ALL: [Target; 3] = [Target::Group, Target::Policy, Target::Principal];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Service,
    Action,
}

/// The upsert of one record into one aggregate. Binds, in order: principal id, the action (action
/// level) or service, the service (action level only), last accessed, last allowed, attempts, and
/// the account id (principal and policy targets).
fn upsert_sql(target: Target, level: Level) -> String {
    // Placeholder numbers shift by one at the service level, which has no separate service bind.
    let (key, at, allowed, attempts, account, service_col, service_val) = match level {
        Level::Action => ("action", "$4", "$5", "$6", "$7", "service, ", "$3, "),
        Level::Service => ("service", "$3", "$4", "$5", "$6", "", ""),
    };
    let by = "last_accessed_by = CASE WHEN excluded.last_accessed_at > t.last_accessed_at \
              THEN excluded.last_accessed_by ELSE t.last_accessed_by END, ";
    let set = format!(
        "last_accessed_at = {LATER_ACCESSED}, last_allowed_at = {LATER_ALLOWED}, \
         attempts = t.attempts + excluded.attempts"
    );
    let counted = "accessors = t.accessors + excluded.accessors";
    // 1 when the principal's own aggregate (not yet updated by this flush) has no access since
    // `since`, the time the group or policy applied to them: a user not counted yet.
    let first = |since: &str| {
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM {key}_last_accessed p \
             WHERE p.principal_id = $1 AND p.{key} = $2 AND p.last_accessed_at >= {since}) \
             THEN 0 ELSE 1 END"
        )
    };
    match target {
        Target::Principal => format!(
            "INSERT INTO {key}_last_accessed AS t (account_id, principal_id, {key}, {service_col}\
             last_accessed_at, last_allowed_at, attempts) \
             VALUES ({account}, $1, $2, {service_val}{at}, {allowed}, {attempts}) \
             ON CONFLICT (principal_id, {key}) DO UPDATE SET {set}"
        ),
        Target::Group => format!(
            "INSERT INTO group_{key}_last_accessed AS t (group_id, {key}, {service_col}\
             last_accessed_at, last_accessed_by, last_allowed_at, attempts, accessors) \
             SELECT m.group_id, $2, {service_val}{at}, $1, {allowed}, {attempts}, {} \
             FROM group_members m WHERE m.user_id = $1 AND m.added_at <= {at} \
             ON CONFLICT (group_id, {key}) DO UPDATE SET {by}{set}, {counted}",
            first("m.added_at")
        ),
        // A policy can apply through several paths (directly, through groups); it applies since
        // the earliest.
        Target::Policy => format!(
            "INSERT INTO policy_{key}_last_accessed AS t (account_id, policy_arn, {key}, \
             {service_col}last_accessed_at, last_accessed_by, last_allowed_at, attempts, \
             accessors) \
             SELECT {account}, y.policy_arn, $2, {service_val}{at}, $1, {allowed}, {attempts}, {} \
             FROM (SELECT x.policy_arn, MIN(x.since) AS since FROM (\
                SELECT policy_arn, attached_at AS since FROM user_policy_attachments \
                WHERE user_id = $1 \
                UNION ALL \
                SELECT a.policy_arn, CASE WHEN m.added_at > a.attached_at \
                    THEN m.added_at ELSE a.attached_at END \
                FROM group_members m JOIN group_policy_attachments a ON a.group_id = m.group_id \
                WHERE m.user_id = $1\
             ) x WHERE x.since <= {at} GROUP BY x.policy_arn) y WHERE 1 = 1 \
             ON CONFLICT (account_id, policy_arn, {key}) DO UPDATE SET {by}{set}, {counted}",
            first("y.since")
        ),
    }
}

/// Forgets a deleted user's Access Advisor records.
pub(crate) async fn delete_for_principal(
    conn: &mut AnyConnection,
    principal_id: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM service_last_accessed WHERE principal_id = $1",
        "DELETE FROM action_last_accessed WHERE principal_id = $1",
    ] {
        sqlx::query(sql)
            .bind(principal_id.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Forgets a deleted policy's Access Advisor records, so a new policy of the same name does not
/// inherit them.
pub(crate) async fn delete_for_policy(
    conn: &mut AnyConnection,
    policy_arn: &str,
) -> Result<(), IamError> {
    for sql in [
        "DELETE FROM policy_service_last_accessed WHERE policy_arn = $1",
        "DELETE FROM policy_action_last_accessed WHERE policy_arn = $1",
    ] {
        sqlx::query(sql)
            .bind(policy_arn.to_owned())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The users among `ids` that do not exist. Each existing one is key-share locked until the
/// transaction ends (PostgreSQL), which only a delete of the row waits for: `delete_user`
/// (`cascade.rs`) deletes the row before the user's access records, so it either waits for this
/// transaction and then deletes what it wrote, or commits first and this finds the user gone.
pub(crate) async fn missing_users_locked(
    conn: &mut AnyConnection,
    backend: Backend,
    ids: impl IntoIterator<Item = &str>,
) -> Result<HashSet<String>, IamError> {
    let sql = format!(
        "SELECT id FROM users WHERE id = $1{}",
        backend.key_share_lock()
    );
    let mut gone = HashSet::new();
    for id in ids {
        let found: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            gone.insert(id.to_owned());
        }
    }
    Ok(gone)
}

/// What a principal did with one service or action since the last write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Accesses {
    pub(crate) last_accessed_at: i64,
    pub(crate) last_allowed_at: Option<i64>,
    pub(crate) attempts: i64,
}

/// Adds a principal's accesses of `action` (of `service`) to its own aggregate, its groups' and
/// its managed policies'.
pub(crate) async fn upsert_action(
    conn: &mut AnyConnection,
    account_id: &str,
    principal_id: &str,
    action: &str,
    service: &str,
    accesses: &Accesses,
) -> Result<(), IamError> {
    for target in Target::ALL {
        let sql = upsert_sql(target, Level::Action);
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(principal_id.to_owned())
            .bind(action.to_owned())
            .bind(service.to_owned())
            .bind(accesses.last_accessed_at)
            .bind(accesses.last_allowed_at)
            .bind(accesses.attempts);
        let query = match target {
            Target::Principal | Target::Policy => query.bind(account_id.to_owned()),
            Target::Group => query,
        };
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds a principal's accesses of `service` to its own aggregate, its groups' and its managed
/// policies'.
pub(crate) async fn upsert_service(
    conn: &mut AnyConnection,
    account_id: &str,
    principal_id: &str,
    service: &str,
    accesses: &Accesses,
) -> Result<(), IamError> {
    for target in Target::ALL {
        let sql = upsert_sql(target, Level::Service);
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(principal_id.to_owned())
            .bind(service.to_owned())
            .bind(accesses.last_accessed_at)
            .bind(accesses.last_allowed_at)
            .bind(accesses.attempts);
        let query = match target {
            Target::Principal | Target::Policy => query.bind(account_id.to_owned()),
            Target::Group => query,
        };
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Which users' accesses count for the report.
pub(crate) enum Accessors {
    User(String),
    GroupMembers(String),
    PolicyEntities { account_id: String, arn: String },
}

/// One aggregate row: a service or an action, and its use.
pub(crate) struct AccessRow {
    /// The service prefix or the `service:Name` action.
    pub(crate) key: String,
    pub(crate) last_accessed_at: i64,
    pub(crate) last_allowed_at: Option<i64>,
    pub(crate) attempts: i64,
    pub(crate) user_name: String,
    /// Users who accessed it (always 1 for a user's own row).
    pub(crate) accessors: i64,
}

/// The rows of `accessors` last accessed at or after `since` (Unix seconds), as
/// `(services, actions)`: a user's own aggregates, or the group's or policy's, which the flush
/// maintains (counting members from when they joined and users from when the policy applied to
/// them), so a report reads a few hundred rows whatever the history.
pub(crate) async fn rows(
    conn: &mut AnyConnection,
    accessors: &Accessors,
    since: i64,
) -> Result<(Vec<AccessRow>, Vec<AccessRow>), IamError> {
    let mut out = Vec::new();
    for key in ["service", "action"] {
        let (sql, binds) = match accessors {
            Accessors::User(id) => (
                format!(
                    "SELECT r.{key}, r.last_accessed_at, r.last_allowed_at, r.attempts, u.name, 1 \
                     FROM {key}_last_accessed r JOIN users u ON u.id = r.principal_id \
                     WHERE r.principal_id = $1 AND r.last_accessed_at >= $2"
                ),
                vec![id.clone()],
            ),
            Accessors::GroupMembers(id) => (
                format!(
                    "SELECT r.{key}, r.last_accessed_at, r.last_allowed_at, r.attempts, \
                     COALESCE(u.name, r.last_accessed_by), r.accessors \
                     FROM group_{key}_last_accessed r LEFT JOIN users u ON u.id = r.last_accessed_by \
                     WHERE r.group_id = $1 AND r.last_accessed_at >= $2"
                ),
                vec![id.clone()],
            ),
            Accessors::PolicyEntities { account_id, arn } => (
                format!(
                    "SELECT r.{key}, r.last_accessed_at, r.last_allowed_at, r.attempts, \
                     COALESCE(u.name, r.last_accessed_by), r.accessors \
                     FROM policy_{key}_last_accessed r LEFT JOIN users u ON u.id = r.last_accessed_by \
                     WHERE r.account_id = $1 AND r.policy_arn = $2 AND r.last_accessed_at >= $3"
                ),
                vec![account_id.clone(), arn.clone()],
            ),
        };
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for bind in binds {
            query = query.bind(bind);
        }
        query = query.bind(since);
        let rows: Vec<(String, i64, Option<i64>, i64, String, i64)> =
            query.fetch_all(&mut *conn).await?;
        out.push(
            rows.into_iter()
                .map(
                    |(key, last_accessed_at, last_allowed_at, attempts, user_name, accessors)| {
                        AccessRow {
                            key,
                            last_accessed_at,
                            last_allowed_at,
                            attempts,
                            user_name,
                            accessors,
                        }
                    },
                )
                .collect::<Vec<_>>(),
        );
    }
    let actions = out.pop().unwrap_or_default();
    let services = out.pop().unwrap_or_default();
    Ok((services, actions))
}
