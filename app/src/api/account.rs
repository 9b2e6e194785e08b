//! The account dashboard.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardData {
    pub account_id: String,
    pub account_alias: Option<String>,
    /// Where IAM users of this account sign in.
    pub sign_in_url: String,
    pub users: u64,
    pub groups: u64,
    pub policies: u64,
}

/// The dashboard's account facts and resource counts.
///
/// **Permissions**: `iam:GetAccountSummary` on `*`.
#[server(prefix = "/api", endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn dashboard() -> Result<DashboardData, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let authorized = state
        .iam
        .authorize_here(&session.principal, iam::Action::GetAccountSummary, "*")
        .await?;
    let summary = state.iam.account_summary(&authorized).await?;
    let account = state.iam.account().await?;
    let account_ref = account
        .alias
        .clone()
        .unwrap_or_else(|| account.id.to_string());
    Ok(DashboardData {
        account_id: account.id.to_string(),
        account_alias: account.alias,
        sign_in_url: format!("{}/signin/{account_ref}", ssr::base_url()),
        users: summary.users,
        groups: summary.groups,
        policies: summary.policies,
    })
}
