//! User groups: list, create (with policies and members in one transaction), details, rename,
//! delete, members, managed policy attachments and inline policies.
//!
//! Plain HTML forms (no JavaScript) that fail are sent back to their page with what was typed and
//! checked, and the error, in the URL (see `finish`); with JavaScript the page keeps its
//! own state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod members;
mod policies;

pub use members::*;
pub use policies::*;

pub use crate::api::url::{query_string, url_encode};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// Rows per page of the group list.
pub const GROUPS_PER_PAGE: u32 = 20;
/// Rows per page of the policy and user check-box lists.
pub const CHOICES_PER_PAGE: u32 = 10;
/// IAM's quota of managed policies attached to one group.
pub const MAX_GROUP_POLICIES: usize = 10;

/// A row of the User groups page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub arn: String,
    pub member_count: u32,
    /// Managed policies attached plus inline policies.
    pub policy_count: u32,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupList {
    pub items: Vec<GroupRow>,
    /// Groups matching the filter, over all pages.
    pub total: u64,
}

/// A row of a check-box list (a policy or a user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// What the check box submits: a policy ARN or a user name.
    pub value: String,
    /// The check box's label: the policy or user name.
    pub label: String,
    /// The other columns, in the order of the list's headers.
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub items: Vec<Choice>,
    /// Rows matching the filter, over all pages.
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPolicyView {
    pub arn: String,
    pub name: String,
    pub aws_managed: bool,
}

/// The group details page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub arn: String,
    pub path: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    /// User names, sorted.
    pub members: Vec<String>,
    pub attached_policies: Vec<AttachedPolicyView>,
    pub inline_policy_names: Vec<String>,
}

/// The user groups matching `query` (a case-insensitive part of the name), one page.
///
/// **Permissions**: `iam:ListGroups` on `*`.
#[server(prefix = "/api", endpoint = "list_groups", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_groups(query: String, offset: u32) -> Result<GroupList, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::ListGroups, "*")
        .await?;
    let filter = iam::GroupFilter {
        query: query.trim().to_owned(),
        offset,
        limit: GROUPS_PER_PAGE,
    };
    let page = iam.list_groups(&auth, &filter).await?;
    Ok(GroupList {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|g| GroupRow {
                name: g.name,
                arn: g.arn,
                member_count: g.member_count,
                policy_count: g.policy_count,
                created_at: g.created_at.as_secs(),
            })
            .collect(),
    })
}

/// AWS managed and customer managed policies for a check-box list, one page.
///
/// **Permissions**: `iam:ListPolicies` on `*`.
#[server(prefix = "/api", endpoint = "policy_choices", input = leptos::server_fn::codec::GetUrl)]
pub async fn policy_choices(query: String, offset: u32) -> Result<Choices, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::ListPolicies, "*")
        .await?;
    let filter = iam::PolicyFilter {
        query: query.trim().to_owned(),
        scope: iam::PolicyScope::All,
        offset,
        limit: CHOICES_PER_PAGE,
    };
    let page = iam.list_policies(&auth, &filter).await?;
    Ok(Choices {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|p| Choice {
                columns: vec![
                    policy_type_label(p.policy_type == iam::PolicyType::AwsManaged).to_owned(),
                    p.attachment_count.to_string(),
                    p.description.unwrap_or_default(),
                ],
                value: p.arn,
                label: p.name,
            })
            .collect(),
    })
}

/// The column headers of [`policy_choices`]'s rows.
pub const POLICY_CHOICE_HEADERS: &[&str] = &["Type", "Used as", "Description"];

/// IAM users for a check-box list, one page.
///
/// **Permissions**: `iam:ListUsers` on `*`.
#[server(prefix = "/api", endpoint = "user_choices", input = leptos::server_fn::codec::GetUrl)]
pub async fn user_choices(query: String, offset: u32) -> Result<Choices, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::ListUsers, "*")
        .await?;
    let filter = iam::UserFilter {
        path_prefix: None,
        query: query.trim().to_owned(),
        offset,
        limit: CHOICES_PER_PAGE,
    };
    let page = iam.list_users(&auth, &filter).await?;
    Ok(Choices {
        total: page.total,
        items: page
            .items
            .into_iter()
            .map(|u| Choice {
                columns: vec![crate::components::datetime::format_time(
                    u.created_at.as_secs(),
                )],
                value: u.name.clone(),
                label: u.name,
            })
            .collect(),
    })
}

/// The column headers of [`user_choices`]'s rows.
pub const USER_CHOICE_HEADERS: &[&str] = &["Creation time"];

pub fn policy_type_label(aws_managed: bool) -> &'static str {
    if aws_managed {
        "AWS managed"
    } else {
        "Customer managed"
    }
}

/// Creates a user group with its managed policies and members, in one transaction, and goes back
/// to the User groups page.
///
/// **Permissions**: `iam:CreateGroup` on the new group, and `iam:AttachGroupPolicy` /
/// `iam:AddUserToGroup` on it when policies / users are chosen.
#[server(prefix = "/api", endpoint = "create_group")]
pub async fn create_group(
    name: String,
    #[server(default)] policy_arns: Vec<String>,
    #[server(default)] user_names: Vec<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let policy_arns = dedup(policy_arns);
    let user_names = dedup(user_names);
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let name = name.trim();
        let arn = iam.group_arn_for(None, name).await?;
        let create = iam
            .authorize_here(&session.principal, iam::Action::CreateGroup, &arn)
            .await?;
        let attach = match policy_arns.is_empty() {
            true => None,
            false => Some(
                iam.authorize_here(&session.principal, iam::Action::AttachGroupPolicy, &arn)
                    .await?,
            ),
        };
        let add_users = match user_names.is_empty() {
            true => None,
            false => Some(
                iam.authorize_here(&session.principal, iam::Action::AddUserToGroup, &arn)
                    .await?,
            ),
        };
        let group = iam::NewGroup {
            name: name.to_owned(),
            path: None,
            policy_arns: policy_arns.clone(),
            user_names: user_names.clone(),
        };
        let created = iam
            .create_group(
                &create,
                attach.as_ref(),
                add_users.as_ref(),
                group,
                &ssr::request_meta(),
                iam::UnixTime::now(),
            )
            .await?;
        Ok::<_, AppError>(format!("/groups?created={}", url_encode(&created.name)))
    }
    .await;
    let mut pairs = vec![("name", name.as_str())];
    pairs.extend(policy_arns.iter().map(|a| ("policy_arns[]", a.as_str())));
    pairs.extend(user_names.iter().map(|u| ("user_names[]", u.as_str())));
    finish::<CreateGroup>(result, Some(("/groups/create", &pairs)))
}

/// A group's summary, members, attached policies and inline policy names.
///
/// **Permissions**: `iam:GetGroup` on the group.
#[server(prefix = "/api", endpoint = "get_group", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_group(name: String) -> Result<GroupView, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let arn = iam.group_arn(&name).await?;
    let auth = iam
        .authorize_here(&session.principal, iam::Action::GetGroup, &arn)
        .await?;
    let g = iam.get_group(&auth).await?;
    Ok(GroupView {
        name: g.name,
        arn: g.arn,
        path: g.path,
        created_at: g.created_at.as_secs(),
        members: g.members.into_iter().map(|m| m.name).collect(),
        attached_policies: g
            .attached_policies
            .into_iter()
            .map(|p| AttachedPolicyView {
                aws_managed: p.policy_type == iam::PolicyType::AwsManaged,
                arn: p.arn,
                name: p.name,
            })
            .collect(),
        inline_policy_names: g.inline_policy_names,
    })
}

/// Renames a group; its members and policies stay.
///
/// **Permissions**: `iam:UpdateGroup` on the group.
#[server(prefix = "/api", endpoint = "rename_group")]
pub async fn rename_group(name: String, new_name: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::UpdateGroup, &arn)
            .await?;
        let updated = iam
            .update_group(
                &auth,
                Some(new_name.trim().to_owned()),
                None,
                &ssr::request_meta(),
                iam::UnixTime::now(),
            )
            .await
            .map_err(|e| rename_field(AppError::from(e), "name", "new_name"))?;
        Ok::<_, AppError>(details_url(&updated.name, None, Some("renamed")))
    };
    finish::<RenameGroup>(
        result.await,
        Some(("/groups/edit", &[("name", &name), ("new_name", &new_name)])),
    )
}

/// Deletes a group with its memberships, attachments and inline policies, once `confirm` repeats
/// its name.
///
/// **Permissions**: `iam:DeleteGroup` on the group.
#[server(prefix = "/api", endpoint = "delete_group")]
pub async fn delete_group(name: String, confirm: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        if confirm.trim() != name {
            return Err(AppError::invalid(
                "confirm",
                format!("type the group name `{name}` to confirm the deletion"),
            ));
        }
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.group_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::DeleteGroup, &arn)
            .await?;
        iam.delete_group(&auth, &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok(format!("/groups?deleted={}", url_encode(&name)))
    };
    finish::<DeleteGroup>(result.await, Some(("/groups/delete", &[("name", &name)])))
}

/// The group details page's address.
pub fn details_url(name: &str, tab: Option<&str>, notice: Option<&str>) -> String {
    let mut url = format!("/groups/details?name={}", url_encode(name));
    if let Some(tab) = tab {
        url.push_str("&tab=");
        url.push_str(tab);
    }
    if let Some(notice) = notice {
        url.push_str("&notice=");
        url.push_str(notice);
    }
    url
}

/// The distinct, non-empty values, in their first order.
#[cfg(feature = "ssr")]
fn dedup(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = v.trim().to_owned();
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

#[cfg(feature = "ssr")]
fn rename_field(err: AppError, from: &str, to: &str) -> AppError {
    match err {
        AppError::Invalid(mut errors) => {
            for e in &mut errors {
                if e.field == from {
                    e.field = to.to_owned();
                }
            }
            AppError::Invalid(errors)
        }
        AppError::Conflict { field, message } if field == from => AppError::Conflict {
            field: to.to_owned(),
            message,
        },
        other => other,
    }
}

/// Ends a writing server function: on success, sends the browser to the returned address. On
/// failure a plain HTML form post (no JavaScript) is sent back to the form's page with what was
/// typed and checked (`form`: the page and its query pairs) and the error in the query string,
/// where the page's `ServerAction` finds it; other callers get the error with its HTTP status.
#[cfg(feature = "ssr")]
pub(crate) fn finish<F>(
    result: Result<String, AppError>,
    form: Option<(&str, &[(&str, &str)])>,
) -> Result<(), AppError>
where
    F: leptos::server_fn::ServerFn,
{
    use leptos::server_fn::error::ServerFnUrlError;
    let err = match result {
        Ok(target) => {
            crate::ssr::redirect(&target);
            return Ok(());
        }
        Err(err) => err,
    };
    if !crate::ssr::is_plain_form() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(err.status())
        {
            response.set_status(status);
        }
    } else if let Some((page, pairs)) = form {
        let base = format!("http://console{page}?{}", query_string(pairs));
        if let Ok(url) = ServerFnUrlError::new(F::PATH, err.clone()).to_url(&base) {
            let query = url.query().unwrap_or_default();
            crate::ssr::redirect(&format!("{}?{query}", url.path()));
        }
    }
    Err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn duplicates_and_blanks_are_dropped() {
        assert_eq!(
            dedup(vec!["a".into(), " ".into(), "b".into(), "a".into()]),
            vec!["a".to_owned(), "b".to_owned()]
        );
    }
}
