//! Creating up to 10 users at once, for the Add users wizard: console
//! passwords, groups, policies, copied permissions and tags, all in one
//! transaction (issue 5).

use std::collections::HashSet;

use serde_json::json;
use sqlx::AnyConnection;

use super::Iam;
use super::account_settings::load_requirements;
use super::common::{
    EntityRow, PolicyRef, check_attachment_quota, find_group, find_user, lock_row, new_id, record,
    resolve_policy, resolve_policy_locked, tags_json, upsert_tags,
};
use crate::account::AccountId;
use crate::arn::{self, Kind};
use crate::authz::{Action, Authorized};
use crate::clock::UnixTime;
use crate::error::{IamError, MAX_USERS_PER_BATCH};
use crate::event::RequestMeta;
use crate::password::{GeneratedPassword, PasswordHash, generate_password};
use crate::principal::Principal;
use crate::rules::{self, MAX_GROUPS_PER_USER, NameKind};
use crate::store::Inserted;
use crate::store::attachments::{self, Holder};
use crate::store::memberships;
use crate::store::users::{self, NewConsoleAccess, NewUserRow};
use crate::types::{CreatedUser, NewUserSpec, PasswordChoice};

fn batch_size(users: &[NewUserSpec]) -> Result<(), IamError> {
    if users.is_empty() {
        return Err(IamError::validation(
            "users",
            "add at least one user; enter a user name",
        ));
    }
    if users.len() > MAX_USERS_PER_BATCH {
        return Err(IamError::validation(
            "users",
            format!(
                "the request has {} users, more than the {MAX_USERS_PER_BATCH} one request can create; remove {} and add them in another run",
                users.len(),
                users.len() - MAX_USERS_PER_BATCH
            ),
        ));
    }
    Ok(())
}

/// The names, paths and ARNs of a batch, each checked, and no name twice.
fn checked_names(
    account_id: &AccountId,
    users: &[NewUserSpec],
) -> Result<Vec<(String, String)>, IamError> {
    batch_size(users)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(users.len());
    for (i, u) in users.iter().enumerate() {
        let at = |e: IamError| e.for_user(i, &u.name);
        rules::name(NameKind::User, &u.name).map_err(at)?;
        let path = rules::path(u.path.as_deref()).map_err(at)?;
        if !seen.insert(u.name.to_lowercase()) {
            return Err(at(IamError::Conflict {
                field: "name",
                message: format!(
                    "the user name `{}` appears more than once in this request (names are compared ignoring case); choose another name",
                    u.name
                ),
            }));
        }
        let arn = arn::build(account_id, Kind::User, &path, &u.name);
        out.push((path, arn));
    }
    Ok(out)
}

/// `items` without repeats (ignoring case when `fold`), in first-seen order.
fn dedup(items: impl IntoIterator<Item = String>, fold: bool) -> Vec<String> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|s| seen.insert(if fold { s.to_lowercase() } else { s.clone() }))
        .collect()
}

/// The proof for `action` on `resource` among `proofs`; a missing one is a
/// programming mistake (`authorize_create_users` makes them all).
fn proof<'a>(
    proofs: &'a [Authorized],
    action: Action,
    resource: &str,
) -> Result<&'a Authorized, IamError> {
    proofs
        .iter()
        .find(|p| p.action() == action && p.resource() == resource)
        .ok_or_else(|| {
            IamError::bug(format!(
                "create_users needs an `{action}` authorization on `{resource}`; make them with authorize_create_users"
            ))
        })
}

/// The groups and directly attached policy ARNs of the user called `name`.
async fn permissions_of(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    name: &str,
) -> Result<(EntityRow, Vec<String>, Vec<String>), IamError> {
    let user = find_user(conn, account_id, name)
        .await?
        .ok_or_else(|| IamError::NotFound {
            what: "user",
            name: name.to_owned(),
        })?;
    let groups = memberships::groups_of_user(conn, &user.id).await?;
    let policies = attachments::list(conn, Holder::User, &user.id).await?;
    Ok((user, groups.into_iter().map(|g| g.name).collect(), policies))
}

/// Locks every group and customer managed policy the batch names (directly or through a user
/// whose permissions it copies), in id order, before the first insert.
///
/// The inserts bump the account's permissions version (`store::permissions::changed`), whose row
/// lock every permission-changing transaction takes after its group and policy locks. Taking
/// all of the batch's locks first keeps that order: locking user 2's group after user 1's
/// membership bumped the counter could deadlock on PostgreSQL with `add_user_to_group`, which
/// holds the group and waits for the counter. Id order keeps two batches from deadlocking on
/// each other's groups. What is missing here is reported by the per-user pass that follows.
async fn lock_batch_targets(
    conn: &mut AnyConnection,
    account_id: &AccountId,
    users: &[NewUserSpec],
) -> Result<(), IamError> {
    let mut group_names: Vec<String> = Vec::new();
    let mut policy_arns: Vec<String> = Vec::new();
    for u in users {
        group_names.extend(u.group_names.iter().cloned());
        policy_arns.extend(u.policy_arns.iter().cloned());
        if let Some(source) = &u.copy_from
            && let Ok((_, groups, policies)) = permissions_of(conn, account_id, source).await
        {
            group_names.extend(groups);
            policy_arns.extend(policies);
        }
    }
    let mut locks: Vec<(Kind, String)> = Vec::new();
    for name in dedup(group_names, true) {
        if let Some(group) = find_group(conn, account_id, &name).await? {
            locks.push((Kind::Group, group.id));
        }
    }
    for arn in dedup(policy_arns, false) {
        if let Ok(PolicyRef::Customer(row)) = resolve_policy(conn, account_id, &arn).await {
            locks.push((Kind::Policy, row.id));
        }
    }
    locks.sort_by(|a, b| a.1.cmp(&b.1));
    for (kind, id) in locks {
        lock_row(conn, kind, &id).await?;
    }
    Ok(())
}

fn group_not_found(name: &str) -> IamError {
    IamError::NotFound {
        what: "group",
        name: name.to_owned(),
    }
}

impl Iam {
    /// Every proof [`Iam::create_users`] needs for `users`, made for
    /// `principal`: `CreateUser` (and `CreateLoginProfile`, `TagUser`,
    /// `AttachUserPolicy` when used) on each new user's ARN,
    /// `AddUserToGroup` on each group's ARN, and `ListGroupsForUser` /
    /// `ListAttachedUserPolicies` on a user whose permissions are copied.
    /// Names and paths are checked first (errors name `users[i].…`); an
    /// unknown group or copy source is a `Validation` of that user.
    pub async fn authorize_create_users(
        &self,
        principal: &Principal,
        users: &[NewUserSpec],
    ) -> Result<Vec<Authorized>, IamError> {
        let account_id = principal.account_id();
        let names = checked_names(account_id, users)?;
        let mut wanted: Vec<(Action, String)> = Vec::new();
        let mut conn = self.store().pool().acquire().await?;
        for (i, (u, (_, arn))) in users.iter().zip(&names).enumerate() {
            let at = |e: IamError| e.for_user(i, &u.name);
            wanted.push((Action::CreateUser, arn.clone()));
            if u.console_password.is_some() {
                wanted.push((Action::CreateLoginProfile, arn.clone()));
            }
            if !u.tags.is_empty() {
                wanted.push((Action::TagUser, arn.clone()));
            }
            let mut group_names = u.group_names.clone();
            let mut attaches = !u.policy_arns.is_empty();
            if let Some(source) = &u.copy_from {
                let (row, groups, policies) = permissions_of(&mut conn, account_id, source)
                    .await
                    .map_err(at)?;
                let source_arn = arn::build(account_id, Kind::User, &row.path, &row.name);
                wanted.push((Action::ListGroupsForUser, source_arn.clone()));
                wanted.push((Action::ListAttachedUserPolicies, source_arn));
                group_names.extend(groups);
                attaches |= !policies.is_empty();
            }
            if attaches {
                wanted.push((Action::AttachUserPolicy, arn.clone()));
            }
            for g in dedup(group_names, true) {
                let group = find_group(&mut conn, account_id, &g)
                    .await?
                    .ok_or_else(|| at(group_not_found(&g)))?;
                let group_arn = arn::build(account_id, Kind::Group, &group.path, &group.name);
                wanted.push((Action::AddUserToGroup, group_arn));
            }
        }
        drop(conn);
        let mut proofs: Vec<Authorized> = Vec::with_capacity(wanted.len());
        for (action, resource) in wanted {
            if !proofs
                .iter()
                .any(|p| p.action() == action && p.resource() == resource)
            {
                proofs.push(self.authorize(principal, action, &resource).await?);
            }
        }
        Ok(proofs)
    }

    /// Creates up to 10 users in one transaction: all of them or none. Each
    /// user may get a console password (autogenerated or custom, checked
    /// against the password policy), groups, managed policies, the groups and
    /// policies of another user, and tags. Records per user `CreateUser`,
    /// `CreateLoginProfile`, `AddUserToGroup`, `AttachUserPolicy` and
    /// `TagUser` events. Errors about one user have the field
    /// `users[<i>].<field>`. Returns the users in request order, with the
    /// autogenerated passwords (the only time they can be read).
    ///
    /// **Permissions**: the proofs of [`Iam::authorize_create_users`].
    pub async fn create_users(
        &self,
        proofs: &[Authorized],
        users: Vec<NewUserSpec>,
        meta: &RequestMeta,
        now: UnixTime,
    ) -> Result<Vec<CreatedUser>, IamError> {
        let first = proofs
            .first()
            .ok_or_else(|| IamError::bug("create_users was given no authorization"))?;
        let account_id = first.principal().account_id().clone();
        let names = checked_names(&account_id, &users)?;
        for (i, u) in users.iter().enumerate() {
            let at = |e: IamError| e.for_user(i, &u.name);
            rules::tags(&u.tags).map_err(at)?;
            proof(proofs, Action::CreateUser, &names[i].1)?;
        }

        // Cheap refusals before the argon2 work: taken names and passwords
        // that break the policy.
        let requirements = {
            let mut conn = self.store().pool().acquire().await?;
            for (i, u) in users.iter().enumerate() {
                if find_user(&mut conn, &account_id, &u.name).await?.is_some() {
                    return Err(taken(&u.name).for_user(i, &u.name));
                }
            }
            load_requirements(&mut conn, &account_id).await?
        };
        let mut generated: Vec<Option<GeneratedPassword>> = Vec::with_capacity(users.len());
        let mut plain: Vec<Option<String>> = Vec::with_capacity(users.len());
        for (i, u) in users.iter().enumerate() {
            match &u.console_password {
                None => {
                    generated.push(None);
                    plain.push(None);
                }
                Some(PasswordChoice::Custom(password)) => {
                    requirements
                        .check(password, &u.name)
                        .map_err(|violations| {
                            IamError::PasswordRules { violations }.for_user(i, &u.name)
                        })?;
                    generated.push(None);
                    plain.push(Some(password.clone()));
                }
                Some(PasswordChoice::Autogenerated) => {
                    let password = generate_password(&requirements)?;
                    plain.push(Some(password.expose().to_owned()));
                    generated.push(Some(password));
                }
            }
        }
        let hashes = self.hash_all(plain).await?;

        let mut tx = self.store().begin_write().await?;
        lock_batch_targets(&mut tx, &account_id, &users).await?;
        let mut created = Vec::with_capacity(users.len());
        for (i, ((u, (path, arn)), (hash, password))) in users
            .into_iter()
            .zip(names)
            .zip(hashes.into_iter().zip(generated))
            .enumerate()
        {
            let name = u.name.clone();
            let at = |e: IamError| e.for_user(i, &name);
            let create = proof(proofs, Action::CreateUser, &arn)?;

            // Permissions to give: the listed ones plus the copied ones.
            let mut group_names = u.group_names.clone();
            let mut policy_arns = u.policy_arns.clone();
            if let Some(source) = &u.copy_from {
                let (row, groups, policies) = permissions_of(&mut tx, &account_id, source)
                    .await
                    .map_err(at)?;
                let source_arn = arn::build(&account_id, Kind::User, &row.path, &row.name);
                proof(proofs, Action::ListGroupsForUser, &source_arn)?;
                proof(proofs, Action::ListAttachedUserPolicies, &source_arn)?;
                group_names.extend(groups);
                policy_arns.extend(policies);
            }
            let group_names = dedup(group_names, true);
            let policy_arns = dedup(policy_arns, false);
            if group_names.len() > MAX_GROUPS_PER_USER {
                return Err(at(IamError::validation(
                    "group_names",
                    format!(
                        "a user can be in at most {MAX_GROUPS_PER_USER} groups and this one would be in {}; choose fewer groups",
                        group_names.len()
                    ),
                )));
            }
            check_attachment_quota("user", 0, policy_arns.len()).map_err(at)?;
            let mut groups: Vec<(EntityRow, String)> = Vec::new();
            for g in &group_names {
                let group = find_group(&mut tx, &account_id, g)
                    .await?
                    .ok_or_else(|| at(group_not_found(g)))?;
                if !lock_row(&mut tx, Kind::Group, &group.id).await? {
                    return Err(at(group_not_found(g)));
                }
                let group_arn = arn::build(&account_id, Kind::Group, &group.path, &group.name);
                proof(proofs, Action::AddUserToGroup, &group_arn)?;
                groups.push((group, group_arn));
            }
            for p in &policy_arns {
                resolve_policy_locked(&mut tx, &account_id, p)
                    .await
                    .map_err(at)?;
            }
            let attach = if policy_arns.is_empty() {
                None
            } else {
                Some(proof(proofs, Action::AttachUserPolicy, &arn)?)
            };
            let login = match &hash {
                Some(_) => Some(proof(proofs, Action::CreateLoginProfile, &arn)?),
                None => None,
            };
            let tag = if u.tags.is_empty() {
                None
            } else {
                Some(proof(proofs, Action::TagUser, &arn)?)
            };

            let id = new_id("AIDA");
            let console = hash.is_some();
            let reset_required = console && u.password_reset_required;
            let inserted = users::insert(
                &mut tx,
                &NewUserRow {
                    id: &id,
                    account_id: &account_id,
                    name: &u.name,
                    path: &path,
                    now,
                    console: hash.as_ref().map(|hash| NewConsoleAccess {
                        hash,
                        reset_required,
                    }),
                },
            )
            .await
            .map_err(at)?;
            if inserted == Inserted::NameTaken {
                return Err(at(taken(&u.name)));
            }
            let params = json!({ "userName": u.name, "path": path });
            record(&mut tx, create, Action::CreateUser, params, &arn, meta, now).await?;
            if let Some(login) = login {
                let params = json!({ "userName": u.name, "passwordResetRequired": reset_required });
                record(
                    &mut tx,
                    login,
                    Action::CreateLoginProfile,
                    params,
                    &arn,
                    meta,
                    now,
                )
                .await?;
            }
            for (group, group_arn) in &groups {
                memberships::insert(&mut tx, &account_id, &group.id, &id, now).await?;
                let add = proof(proofs, Action::AddUserToGroup, group_arn)?;
                let params = json!({ "groupName": group.name, "userName": u.name });
                record(
                    &mut tx,
                    add,
                    Action::AddUserToGroup,
                    params,
                    group_arn,
                    meta,
                    now,
                )
                .await?;
            }
            if let Some(attach) = attach {
                for p in &policy_arns {
                    attachments::insert(&mut tx, &account_id, Holder::User, &id, p, now).await?;
                    let params = json!({ "userName": u.name, "policyArn": p });
                    record(
                        &mut tx,
                        attach,
                        Action::AttachUserPolicy,
                        params,
                        &arn,
                        meta,
                        now,
                    )
                    .await?;
                }
            }
            if let Some(tag) = tag {
                upsert_tags(&mut tx, &account_id, &id, &u.tags).await?;
                let params = json!({ "userName": u.name, "tags": tags_json(&u.tags) });
                record(&mut tx, tag, Action::TagUser, params, &arn, meta, now).await?;
            }
            created.push(CreatedUser {
                name: u.name,
                arn,
                path,
                created_at: now,
                console_access: console,
                password_reset_required: reset_required,
                password,
            });
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Hashes each present password concurrently; the hasher bounds how many
    /// run at once (one per CPU).
    pub(crate) async fn hash_all(
        &self,
        passwords: Vec<Option<String>>,
    ) -> Result<Vec<Option<PasswordHash>>, IamError> {
        let handles: Vec<_> = passwords
            .into_iter()
            .map(|password| {
                password.map(|password| {
                    let hasher = self.hasher().clone();
                    tokio::spawn(async move { hasher.hash(&password).await })
                })
            })
            .collect();
        let mut hashes = Vec::with_capacity(handles.len());
        for handle in handles {
            hashes.push(match handle {
                Some(handle) => Some(
                    handle
                        .await
                        .map_err(|e| IamError::internal("a password hashing task failed", e))??,
                ),
                None => None,
            });
        }
        Ok(hashes)
    }
}

fn taken(name: &str) -> IamError {
    super::common::name_taken("user", name)
}
