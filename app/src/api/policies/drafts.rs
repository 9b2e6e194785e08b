//! Policy document drafts between the steps of Create policy, Edit policy and Generate policy.
//!
//! A step that holds the editor posts the document to [`save_policy_draft`], which stores it for
//! the session (`iam`, in the database, so any server instance serves the next step) and sends the
//! browser to the next step with `draft=<id>` and the step's small fields in the URL: never the
//! document, which in a URL got 414 when large and landed in history, logs and Referer headers.
//! The next step reads it back with [`policy_draft`]. With JavaScript the form is an `ActionForm`
//! and the redirect a client-side navigation; without, a POST, a 302 and a GET.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The pages whose steps keep drafts: the `page` value their forms send, and their path.
#[cfg(feature = "ssr")]
const PAGES: &[(&str, &str)] = &[
    ("create", "/policies/create"),
    ("edit", "/policies/edit"),
    ("generate", "/policies/generate"),
];

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDraftView {
    pub document: String,
    /// Why the document cannot be saved as a managed policy (an error finding, IAM's character
    /// quota, the size cap), so that the step says it before the last one refuses it.
    pub problem: Option<String>,
}

/// The message for a `draft=` id that finds nothing, shown above the page's starting document.
pub const DRAFT_GONE: &str = "This draft is no longer available: drafts are kept for a day, and only for the sign-in that made them. The editor shows the starting document again.";

/// A page's `draft=` parameter once read: the stored document, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadedDraft {
    /// The id, when it found a draft.
    pub id: Option<String>,
    pub document: Option<String>,
    /// Why the document cannot be saved as a policy, from the server.
    pub problem: Option<String>,
    /// Why the requested id found nothing, for a notice above the page's starting document.
    pub gone: Option<String>,
}

impl LoadedDraft {
    /// `requested` is the URL's `draft=`, `stored` what [`load_draft`] found for it.
    pub fn new(
        requested: Option<String>,
        stored: Result<Option<PolicyDraftView>, AppError>,
    ) -> LoadedDraft {
        match stored {
            Ok(Some(d)) => LoadedDraft {
                id: requested,
                document: Some(d.document),
                problem: d.problem,
                gone: None,
            },
            Ok(None) => LoadedDraft {
                gone: requested.map(|_| DRAFT_GONE.to_owned()),
                ..LoadedDraft::default()
            },
            Err(e) => LoadedDraft {
                gone: Some(e.to_string()),
                ..LoadedDraft::default()
            },
        }
    }

    /// Whether `document` (this draft's, or the page's starting one) may go past the editor.
    pub fn may_move_on(&self, document: &str) -> bool {
        self.gone.is_none()
            && self.problem.is_none()
            && !policy::validate::validate(document).has_errors()
    }

    /// What the editor step says when moving on was refused.
    pub fn refusal(&self, document: &str) -> String {
        self.gone
            .clone()
            .unwrap_or_else(|| step_blocked_message(document, self.problem.as_deref()))
    }
}

/// Why a step refused to move on: the editor's findings when the document has errors, otherwise
/// the server's `problem` (too large, over IAM's character quota).
pub fn step_blocked_message(document: &str, problem: Option<&str>) -> String {
    match problem {
        Some(p) if !policy::validate::validate(document).has_errors() => {
            format!("The policy cannot be saved as it is: {p}")
        }
        _ => "The policy has errors. Fix the errors listed under the editor before you continue."
            .to_owned(),
    }
}

/// Stores `document` as a draft and goes to `step` of `page` (`create`, `edit` or `generate`),
/// carrying the form's other fields (`query`, a query string without the document) and the
/// draft's id.
///
/// **Permissions**: none beyond a session; a draft is readable only by the session that saved it.
#[server(prefix = "/api", endpoint = "save_policy_draft")]
pub async fn save_policy_draft(
    page: String,
    step: String,
    document: String,
    query: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr;
    let path = PAGES
        .iter()
        .find(|(name, _)| *name == page)
        .map_or("/policies", |(_, path)| path);
    let carried = carried_pairs(query.as_deref().unwrap_or_default());
    let result = async {
        let session = ssr::session()?;
        let state = ssr::state()?;
        let id = state
            .iam
            .save_policy_draft(&session, &document, iam::UnixTime::now())
            .await?;
        let mut pairs = vec![
            ("step".to_owned(), step_name(&step)),
            ("draft".to_owned(), id),
        ];
        pairs.extend(carried.iter().cloned());
        Ok(format!("{path}?{}", query_of(&pairs)))
    }
    .await;
    // Without JavaScript a refusal goes back to the editor step with the error; the text is lost
    // then, but only a document over the request limit or a database fault gets here.
    let mut back = vec![("step".to_owned(), "json".to_owned())];
    back.extend(carried);
    let back: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    crate::api::groups::finish::<SavePolicyDraft>(result, Some((path, &back)))
}

/// The draft `id` of this session with what would stop it being saved as a policy; `None` when
/// there is no such draft (expired, another session's, or never made), which the page tells the
/// admin about instead of failing.
///
/// **Permissions**: none beyond a session.
#[server(prefix = "/api", endpoint = "policy_draft", input = GetUrl)]
pub async fn policy_draft(id: String) -> Result<Option<PolicyDraftView>, AppError> {
    use crate::ssr;
    let session = ssr::session()?;
    let state = ssr::state()?;
    let Some(document) = state
        .iam
        .policy_draft(&session, &id, iam::UnixTime::now())
        .await?
    else {
        return Ok(None);
    };
    let problem = state
        .iam
        .check_managed_policy_document(&document)
        .err()
        .map(|e| e.user_message());
    Ok(Some(PolicyDraftView { document, problem }))
}

/// Reads draft `id` for a page: `Ok(None)` without an id.
pub async fn load_draft(id: Option<String>) -> Result<Option<PolicyDraftView>, AppError> {
    match id {
        Some(id) => policy_draft(id).await,
        None => Ok(None),
    }
}

/// Saves `document` as a draft of this request's session for a refused plain form's way back to
/// its page, logging a failure (the page then starts from its template).
#[cfg(feature = "ssr")]
pub(crate) async fn draft_for_return(document: &str) -> Option<String> {
    let session = crate::ssr::session().ok()?;
    let state = crate::ssr::state().ok()?;
    match state
        .iam
        .save_policy_draft(&session, document, iam::UnixTime::now())
        .await
    {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::warn!(error = %e, "keeping a refused policy document as a draft failed");
            None
        }
    }
}

/// A step name as the pages know them (`tags`, `review`, `remove-tag-2`); anything else is the
/// editor step.
#[cfg(feature = "ssr")]
fn step_name(step: &str) -> String {
    let plain = !step.is_empty()
        && step.len() <= 32
        && step
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain { step } else { "json" }.to_owned()
}

/// The pairs of a form's carried query string, without a document, a draft id, a step or an
/// error of an earlier post, so that nothing but the small fields rides along.
#[cfg(feature = "ssr")]
fn carried_pairs(query: &str) -> Vec<(String, String)> {
    const DROPPED: &[&str] = &["document", "draft", "step", "__path", "__err"];
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !DROPPED.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(feature = "ssr")]
fn query_of(pairs: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    crate::api::url::query_string(&pairs)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn only_small_fields_are_carried() {
        let pairs =
            carried_pairs("arn=arn%3Aaws&document=%7B%7D&draft=x&step=review&name=a+b&__err=e");
        assert_eq!(
            pairs,
            vec![
                ("arn".to_owned(), "arn:aws".to_owned()),
                ("name".to_owned(), "a b".to_owned())
            ]
        );
    }

    #[test]
    fn odd_steps_go_to_the_editor() {
        assert_eq!(step_name("remove-tag-3"), "remove-tag-3");
        assert_eq!(step_name("tags"), "tags");
        assert_eq!(step_name(""), "json");
        assert_eq!(step_name("review&document=x"), "json");
        assert_eq!(step_name(&"a".repeat(33)), "json");
    }
}
