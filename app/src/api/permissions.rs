//! What the signed-in principal may do in the console, so that the navigation and the primary
//! buttons show only what can be used. Hiding is a convenience: every server function still
//! authorizes its own call.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The navigation entries and primary buttons the caller may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleAccess {
    /// The `href`s of the navigation entries the caller may open (`/users`, `/groups`, …).
    pub pages: Vec<String>,
    /// **Add users** (`iam:CreateUser`).
    pub create_users: bool,
    /// **Create group** (`iam:CreateGroup`).
    pub create_groups: bool,
    /// **Create policy** (`iam:CreatePolicy`).
    pub create_policies: bool,
}

impl ConsoleAccess {
    /// Everything, for when the answer is unknown: the pages still refuse what is not allowed.
    pub fn all() -> Self {
        ConsoleAccess {
            pages: PAGES.iter().map(|(href, _)| (*href).to_owned()).collect(),
            create_users: true,
            create_groups: true,
            create_policies: true,
        }
    }

    pub fn page(&self, href: &str) -> bool {
        self.pages.iter().any(|p| p == href)
    }
}

/// Each navigation entry and the action its page needs first, on `*`.
pub const PAGES: &[(&str, &str)] = &[
    ("/", "iam:GetAccountSummary"),
    ("/policies", "iam:ListPolicies"),
    ("/groups", "iam:ListGroups"),
    ("/users", "iam:ListUsers"),
    ("/events", "cloudtrail:LookupEvents"),
    ("/settings", "iam:GetAccountPasswordPolicy"),
];

/// What the caller may do, decided by their policies without recording an access (the root
/// user may do everything).
///
/// **Permissions**: a session; nothing else.
#[server(prefix = "/api", endpoint = "console_permissions", input = leptos::server_fn::codec::GetUrl)]
pub async fn console_permissions() -> Result<ConsoleAccess, crate::error::AppError> {
    use crate::ssr;
    use iam::Action as A;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let account = iam.account().await?.id.to_string();
    let (users, groups, policies) = (
        format!("arn:aws:iam::{account}:user/*"),
        format!("arn:aws:iam::{account}:group/*"),
        format!("arn:aws:iam::{account}:policy/*"),
    );
    let page_actions = [
        A::GetAccountSummary,
        A::ListPolicies,
        A::ListGroups,
        A::ListUsers,
        A::LookupEvents,
        A::GetAccountPasswordPolicy,
    ];
    let mut checks: Vec<(iam::Action, &str)> = page_actions.iter().map(|a| (*a, "*")).collect();
    checks.extend([
        (A::CreateUser, users.as_str()),
        (A::CreateGroup, groups.as_str()),
        (A::CreatePolicy, policies.as_str()),
    ]);
    let facts = crate::ssr::request_facts(iam::UnixTime::now());
    let allowed = iam.permitted(&session.principal, &checks, &facts).await?;
    let pages = PAGES
        .iter()
        .zip(&allowed)
        .filter(|(_, ok)| **ok)
        .map(|((href, _), _)| (*href).to_owned())
        .collect();
    let n = PAGES.len();
    Ok(ConsoleAccess {
        pages,
        create_users: allowed[n],
        create_groups: allowed[n + 1],
        create_policies: allowed[n + 2],
    })
}

/// `Ok` when the caller may perform `action` (`iam:CreateUser`, `iam:CreateGroup` or `iam:CreatePolicy`) on a new resource of its
/// kind; otherwise the same denial the action itself would give, without recording an attempt.
///
/// **Permissions**: a session; nothing else.
#[server(prefix = "/api", endpoint = "check_create_permission", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_create_permission(action: String) -> Result<(), crate::error::AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let (checked, kind) = match action.as_str() {
        "iam:CreateUser" => (iam::Action::CreateUser, "user"),
        "iam:CreateGroup" => (iam::Action::CreateGroup, "group"),
        "iam:CreatePolicy" => (iam::Action::CreatePolicy, "policy"),
        other => {
            let err = crate::error::AppError::invalid(
                "action",
                format!(
                    "`{other}` cannot be checked; use `iam:CreateUser`, `iam:CreateGroup` or `iam:CreatePolicy`"
                ),
            );
            ssr::set_error_status(&err);
            return Err(err);
        }
    };
    let account = iam.account().await?.id.to_string();
    let resource = format!("arn:aws:iam::{account}:{kind}/*");
    let facts = crate::ssr::request_facts(iam::UnixTime::now());
    let allowed = iam
        .permitted(&session.principal, &[(checked, resource.as_str())], &facts)
        .await?;
    if allowed.first().copied().unwrap_or(false) {
        Ok(())
    } else {
        Err(iam::IamError::AccessDenied {
            action: checked,
            resource,
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_navigation_entry_has_an_action() {
        assert_eq!(ConsoleAccess::all().pages.len(), PAGES.len());
        assert!(ConsoleAccess::all().page("/users"));
    }
}
