//! The groups and users a policy is attached to: listing them, attaching and detaching.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use super::EntityRow;
use super::PolicyEntitiesView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// The groups and users a policy is attached to, and those it could be attached to.
///
/// **Permissions**: `iam:ListEntitiesForPolicy` on the policy; `iam:ListGroups` and
/// `iam:ListUsers` on `*` for the choices (left empty without them).
#[server(prefix = "/api", endpoint = "policy_entities", input = GetUrl)]
pub async fn policy_entities(arn: String) -> Result<PolicyEntitiesView, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let iam = &state.iam;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::ListEntitiesForPolicy, &arn)
        .await?;
    let entities = iam.list_entities_for_policy(&auth).await?;
    let rows = |list: Vec<iam::EntityRef>| {
        list.into_iter()
            .map(|e| EntityRow {
                name: e.name,
                arn: e.arn,
            })
            .collect::<Vec<_>>()
    };
    let mut other_groups = Vec::new();
    if let Ok(auth) = iam
        .authorize_here(&session.principal, iam::Action::ListGroups, "*")
        .await
    {
        let page = iam
            .list_groups(
                &auth,
                &iam::GroupFilter {
                    query: String::new(),
                    offset: 0,
                    limit: 100,
                },
            )
            .await?;
        other_groups = page
            .items
            .into_iter()
            .filter(|g| !entities.groups.iter().any(|e| e.arn == g.arn))
            .map(|g| g.name)
            .collect();
    }
    let mut other_users = Vec::new();
    if let Ok(auth) = iam
        .authorize_here(&session.principal, iam::Action::ListUsers, "*")
        .await
    {
        let page = iam
            .list_users(
                &auth,
                &iam::UserFilter {
                    path_prefix: None,
                    query: String::new(),
                    offset: 0,
                    limit: 100,
                },
            )
            .await?;
        other_users = page
            .items
            .into_iter()
            .filter(|u| !entities.users.iter().any(|e| e.arn == u.arn))
            .map(|u| u.name)
            .collect();
    }
    Ok(PolicyEntitiesView {
        groups: rows(entities.groups),
        users: rows(entities.users),
        other_groups,
        other_users,
    })
}

/// Attaches a policy to a group or user; `entity` is `group:<name>` or `user:<name>`.
///
/// **Permissions**: `iam:AttachGroupPolicy` on the group or `iam:AttachUserPolicy` on the user.
#[server(prefix = "/api", endpoint = "attach_policy")]
pub async fn attach_policy(arn: String, entity: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let iam = &state.iam;
    let (meta, now) = (ssr::request_meta(), iam::UnixTime::now());
    match entity.split_once(':') {
        Some(("group", name)) => {
            let target = iam.group_arn(name).await?;
            let auth = iam
                .authorize_here(&session.principal, iam::Action::AttachGroupPolicy, &target)
                .await?;
            iam.attach_group_policy(&auth, &arn, &meta, now).await?;
        }
        Some(("user", name)) => {
            let target = iam.user_arn(name).await?;
            let auth = iam
                .authorize_here(&session.principal, iam::Action::AttachUserPolicy, &target)
                .await?;
            iam.attach_user_policy(&auth, &arn, &meta, now).await?;
        }
        _ => {
            return Err(iam::IamError::Validation {
                field: "entity",
                message: "choose a user group or user to attach the policy to".to_owned(),
            }
            .into());
        }
    }
    Ok(())
}

/// Detaches a policy from a group or user; `entity` is `group:<name>` or `user:<name>`.
///
/// **Permissions**: `iam:DetachGroupPolicy` on the group or `iam:DetachUserPolicy` on the user.
#[server(prefix = "/api", endpoint = "detach_policy")]
pub async fn detach_policy(arn: String, entity: String) -> Result<(), AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let iam = &state.iam;
    let (meta, now) = (ssr::request_meta(), iam::UnixTime::now());
    match entity.split_once(':') {
        Some(("group", name)) => {
            let target = iam.group_arn(name).await?;
            let auth = iam
                .authorize_here(&session.principal, iam::Action::DetachGroupPolicy, &target)
                .await?;
            iam.detach_group_policy(&auth, &arn, &meta, now).await?;
        }
        Some(("user", name)) => {
            let target = iam.user_arn(name).await?;
            let auth = iam
                .authorize_here(&session.principal, iam::Action::DetachUserPolicy, &target)
                .await?;
            iam.detach_user_policy(&auth, &arn, &meta, now).await?;
        }
        _ => {
            return Err(iam::IamError::Validation {
                field: "entity",
                message: "choose the user group or user to detach the policy from".to_owned(),
            }
            .into());
        }
    }
    Ok(())
}
