//! The Tags tab of the user details page: list, add or change, and remove a user's tags. The
//! forms are plain POSTs, so they work without JavaScript; a refused one comes back to the Tags
//! tab with the error in the query.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::policies::TagPair;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::AuthorizeHere as _;

/// A user's tags, and which of the tab's controls the caller may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTagsView {
    /// Sorted by key, ignoring case.
    pub tags: Vec<TagPair>,
    /// **Add tag**, **Edit** (`iam:TagUser`).
    pub can_tag: bool,
    /// **Remove** (`iam:UntagUser`).
    pub can_untag: bool,
}

/// The user's tags.
///
/// **Permissions**: `iam:ListUserTags` on the user.
#[server(prefix = "/api", endpoint = "user_tags", input = leptos::server_fn::codec::GetUrl)]
pub async fn user_tags(name: String) -> Result<UserTagsView, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let iam = ssr::state()?.iam;
    let p = &session.principal;
    let arn = iam.user_arn(name.trim()).await?;
    let list = iam
        .authorize_here(p, iam::Action::ListUserTags, &arn)
        .await?;
    let tags = iam.list_user_tags(&list).await?;
    // Hiding is a convenience: tag_user and untag_user authorize their own calls.
    let facts = crate::ssr::request_facts(iam::UnixTime::now());
    let checks = [
        (iam::Action::TagUser, arn.as_str()),
        (iam::Action::UntagUser, arn.as_str()),
    ];
    let allowed = iam.permitted(p, &checks, &facts).await?;
    Ok(UserTagsView {
        tags: tags
            .into_iter()
            .map(|t| TagPair {
                key: t.key,
                value: t.value,
            })
            .collect(),
        can_tag: allowed.first().copied().unwrap_or(false),
        can_untag: allowed.get(1).copied().unwrap_or(false),
    })
}

/// Adds a tag to the user, or changes the value of the tag with that key (ignoring case).
///
/// **Permissions**: `iam:TagUser` on the user.
#[server(prefix = "/api", endpoint = "tag_user")]
pub async fn tag_user(name: String, key: String, value: Option<String>) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::TagUser, &arn)
            .await?;
        let tag = iam::Tag {
            key: key.trim().to_owned(),
            value: value.unwrap_or_default().trim().to_owned(),
        };
        iam.tag_user(&auth, vec![tag], &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok(super::details::user_url(&name, Some("tags")))
    }
    .await;
    super::details::finish(result, &name, "tags")
}

/// Removes the user's tag with this key.
///
/// **Permissions**: `iam:UntagUser` on the user.
#[server(prefix = "/api", endpoint = "untag_user")]
pub async fn untag_user(name: String, key: String) -> Result<(), AppError> {
    use crate::ssr;
    let result = async {
        let session = ssr::session()?;
        let iam = ssr::state()?.iam;
        let arn = iam.user_arn(&name).await?;
        let auth = iam
            .authorize_here(&session.principal, iam::Action::UntagUser, &arn)
            .await?;
        iam.untag_user(&auth, vec![key], &ssr::request_meta(), iam::UnixTime::now())
            .await?;
        Ok(super::details::user_url(&name, Some("tags")))
    }
    .await;
    super::details::finish(result, &name, "tags")
}
