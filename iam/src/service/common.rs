//! Helpers shared by the policy, group and user services: ids, events, the
//! unique-name conflict, page filters, and resolving policy ARNs.

use rand::Rng;
use serde_json::{Value, json};
use sqlx::AnyConnection;

use crate::account::AccountId;
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
pub(crate) use crate::store::EntityRow;
use crate::store::events::insert_event;
use crate::store::policies;
pub(crate) use crate::store::policies::PolicyRow;
use crate::store::{groups, memberships, tags};
use crate::types::{PolicyType, Tag};

/// An IAM-style unique id: a type prefix (`ANPA` policy, `AGPA` group, `AIDA`
/// user) and 17 uppercase letters and digits.
pub(crate) fn new_id(prefix: &str) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    let mut id = prefix.to_owned();
    for _ in 0..17 {
        let i = rng.random_range(0..CHARS.len());
        id.push(char::from(CHARS[i]));
    }
    id
}

/// The conflict of a create or rename whose name another `what` already has
/// ([`Inserted::NameTaken`](crate::store::Inserted)).
pub(crate) fn name_taken(what: &'static str, name: &str) -> IamError {
    IamError::NameTaken {
        what,
        name: name.to_owned(),
    }
}

/// Records the event of one IAM API call made with `auth`'s principal.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    auth: &Authorized,
    action: Action,
    parameters: Value,
    resource_arn: &str,
    meta: &RequestMeta,
    now: UnixTime,
) -> Result<(), IamError> {
    let account_id = auth.principal().account_id();
    let event = NewEvent::new(EventName::Iam(action), account_id, meta, now)
        .by(auth.principal())
        .request(parameters)
        .resources(json!([{ "ARN": resource_arn, "accountId": account_id }]));
    insert_event(conn, &event).await
}

/// `tags` in AWS's request shape.
pub(crate) fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({ "key": t.key, "value": t.value }))
            .collect(),
    )
}

/// A `LIKE` pattern matching names that contain `query` (lowercased), with
/// `\` as the escape character.
pub(crate) fn like_pattern(query: &str) -> String {
    let mut pattern = String::from("%");
    for c in query.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(crate) fn to_u32(n: i64) -> Result<u32, IamError> {
    u32::try_from(n).map_err(|_| IamError::bug(format!("a count out of range `{n}`")))
}

pub(crate) fn to_u64(n: i64) -> Result<u64, IamError> {
    u64::try_from(n).map_err(|_| IamError::bug(format!("a count out of range `{n}`")))
}

/// A policy a proof or an attachment names.
#[derive(Debug, Clone)]
pub(crate) enum PolicyRef {
    Aws(&'static policy::managed::ManagedPolicy),
    Customer(PolicyRow),
}

impl PolicyRef {
    pub(crate) fn policy_type(&self) -> PolicyType {
        match self {
            PolicyRef::Aws(_) => PolicyType::AwsManaged,
            PolicyRef::Customer(_) => PolicyType::CustomerManaged,
        }
    }
}

pub(crate) fn policy_not_found(arn: &str) -> IamError {
    IamError::NotFound {
        what: "policy",
        name: arn.to_owned(),
    }
}

/// The policy with ARN `arn`: an AWS managed one, or a customer managed one
/// in `account_id` whose path and name match exactly.
pub(crate) async fn resolve_policy(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    arn: &str,
) -> Result<PolicyRef, IamError> {
    if arn::is_aws_managed(arn) {
        return policy::managed::by_arn(arn)
            .map(PolicyRef::Aws)
            .ok_or_else(|| policy_not_found(arn));
    }
    let (path, name) =
        arn::parse(arn, account_id, Kind::Policy).ok_or_else(|| policy_not_found(arn))?;
    match policies::find_by_name(conn, account_id, name).await? {
        Some(row) if row.name == name && row.path == path => Ok(PolicyRef::Customer(row)),
        _ => Err(policy_not_found(arn)),
    }
}

/// The name and type of an attached policy, read from its ARN.
pub(crate) fn attached_from_arn(arn: &str) -> crate::types::AttachedPolicy {
    let name = arn.rsplit('/').next().unwrap_or(arn).to_owned();
    let policy_type = if arn::is_aws_managed(arn) {
        PolicyType::AwsManaged
    } else {
        PolicyType::CustomerManaged
    };
    crate::types::AttachedPolicy {
        arn: arn.to_owned(),
        name,
        policy_type,
    }
}

/// Checks that the proof is for `expected` (a create's new ARN), so a proof
/// made for one name cannot create another.
pub(crate) fn require_resource(auth: &Authorized, expected: &str) -> Result<(), IamError> {
    if auth.resource() == expected {
        Ok(())
    } else {
        Err(IamError::bug(format!(
            "an authorization for `{}` on `{}` was used on `{expected}`",
            auth.action(),
            auth.resource()
        )))
    }
}

/// Reads the stored tags of a resource, sorted by key.
pub(crate) async fn load_tags(
    conn: &mut AnyConnection,
    resource_id: &str,
) -> Result<Vec<Tag>, IamError> {
    tags::list(conn, resource_id).await
}

/// Adds or overwrites tags of a resource in `account_id` (whose permissions version it bumps).
pub(crate) async fn upsert_tags(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    resource_id: &str,
    tags: &[Tag],
) -> Result<(), IamError> {
    tags::upsert(conn, account_id, resource_id, tags).await
}

/// The group called `name` (any case) in `account_id`.
pub(crate) async fn find_group(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    name: &str,
) -> Result<Option<EntityRow>, IamError> {
    groups::find_by_name(conn, account_id, name).await
}

pub(crate) use crate::store::users::find_by_name as find_user;

/// The group or user a proof was made for (exact path and name); `NotFound`
/// when it no longer exists, e.g. renamed since.
pub(crate) async fn target_entity(
    conn: &mut AnyConnection,
    auth: &Authorized,
    kind: Kind,
) -> Result<EntityRow, IamError> {
    let account_id = auth.principal().account_id();
    let what = match kind {
        Kind::Group => "group",
        Kind::User => "user",
        Kind::Policy => "policy",
    };
    let parsed = arn::parse(auth.resource(), account_id, kind);
    let not_found = || IamError::NotFound {
        what,
        name: parsed.map_or(auth.resource(), |(_, name)| name).to_owned(),
    };
    let (path, name) = parsed.ok_or_else(not_found)?;
    let row = match kind {
        Kind::Group => find_group(conn, account_id, name).await?,
        Kind::User => find_user(conn, account_id, name).await?,
        Kind::Policy => None,
    };
    match row {
        Some(row) if row.name == name && row.path == path => Ok(row),
        _ => Err(not_found()),
    }
}

/// Checks the 10-managed-policies quota for a group or user that has
/// `current` attached and would get `adding` more.
pub(crate) fn check_attachment_quota(
    what: &str,
    current: usize,
    adding: usize,
) -> Result<(), IamError> {
    let max = crate::rules::MAX_ATTACHED_POLICIES;
    if current + adding > max {
        return Err(IamError::validation(
            "policy_arns",
            format!(
                "a {what} can have at most {max} managed policies attached and this one would have {}; detach some or choose fewer",
                current + adding
            ),
        ));
    }
    Ok(())
}

/// Takes the row lock of a group, user or policy for the rest of the transaction; false when
/// the row is gone.
pub(crate) use crate::store::locks::lock_row;

/// [`target_entity`] for a write: locks the row, then reads it again so a
/// rename or delete that committed meanwhile is seen.
pub(crate) async fn locked_target_entity(
    conn: &mut AnyConnection,
    auth: &Authorized,
    kind: Kind,
) -> Result<EntityRow, IamError> {
    let row = target_entity(conn, auth, kind).await?;
    lock_row(conn, kind, &row.id).await?;
    target_entity(conn, auth, kind).await
}

/// [`resolve_policy`] for attaching: locks a customer managed policy's row so
/// a concurrent `delete_policy` cannot leave the attachment behind.
pub(crate) async fn resolve_policy_locked(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    arn: &str,
) -> Result<PolicyRef, IamError> {
    let policy = resolve_policy(conn, account_id, arn).await?;
    if let PolicyRef::Customer(row) = &policy
        && !lock_row(conn, Kind::Policy, &row.id).await?
    {
        return Err(policy_not_found(arn));
    }
    Ok(policy)
}

/// Checks that the user `user` may join one more group (at most 10).
pub(crate) async fn check_groups_per_user(
    conn: &mut AnyConnection,
    user: &EntityRow,
    field: &'static str,
) -> Result<(), IamError> {
    let count = memberships::count_for_user(conn, &user.id).await?;
    let max = crate::rules::MAX_GROUPS_PER_USER;
    if usize::try_from(count).unwrap_or(usize::MAX) >= max {
        return Err(IamError::validation(
            field,
            format!(
                "the user `{}` is already in {count} groups, the most allowed ({max}); remove it from a group first",
                user.name
            ),
        ));
    }
    Ok(())
}
