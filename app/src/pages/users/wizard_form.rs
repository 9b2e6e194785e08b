//! Pieces every step form of the Add users wizard uses: the draft carried in hidden inputs (the
//! steps are plain forms, see `create`), and the alert for an error no input shows.

use leptos::prelude::*;

use crate::api::users::draft::{Part, UsersDraft};
use crate::error::AppError;

/// Hidden inputs for the draft without `except`, and the form's own step.
pub fn carry(draft: &UsersDraft, except: Part, at: &'static str) -> AnyView {
    let inputs = draft
        .pairs(&[except])
        .into_iter()
        .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
        .collect_view();
    view! {
        <input type="hidden" name="at" value=at />
        {inputs}
    }
    .into_any()
}

/// A form-level alert for an error that no input of this step shows.
pub fn step_alert(error: Option<AppError>) -> Option<AnyView> {
    error.map(|e| view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any())
}
