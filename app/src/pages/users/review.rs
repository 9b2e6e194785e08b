//! The Add users wizard's Tags and Review steps.

use leptos::prelude::*;

use crate::api::policies::TagPair;
use crate::api::users::CreateUsers;
use crate::api::users::draft::{MAX_USER_TAGS, PERMISSION_OPTIONS, Part, UsersDraft};
use crate::error::AppError;

use super::wizard_form::{carry, step_alert};

pub fn tags_step(draft: &UsersDraft, problems: Vec<String>, error: Option<AppError>) -> AnyView {
    let rows: Vec<TagPair> = draft.tags.clone();
    let remaining = MAX_USER_TAGS.saturating_sub(rows.len());
    view! {
        <h1>"Add tags - optional"</h1>
        <form method="get" action="/users/create" class="panel" aria-label="Tags">
            {carry(draft, Part::Tags, "tags")}
            <button type="submit" name="step" value="review" class="visually-hidden" tabindex="-1" aria-hidden="true">
                "Next"
            </button>
            <p class="hint">
                "Tags are key-value pairs you can add to the users to help identify, organize, or search for them."
            </p>
            {step_alert(error)}
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <ul class="alert" role="alert">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    }
                })}
            {if rows.is_empty() {
                view! { <p>"No tags associated with the resource."</p> }.into_any()
            } else {
                view! {
                    <table class="table tags">
                        <thead>
                            <tr>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Value - optional"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .enumerate()
                                .map(|(i, t)| {
                                    let n = i + 1;
                                    view! {
                                        <tr>
                                            <td>
                                                <input type="text" name="tag_key" value=t.key aria-label=format!("Tag {n} key") maxlength="128" />
                                            </td>
                                            <td>
                                                <input type="text" name="tag_value" value=t.value aria-label=format!("Tag {n} value") maxlength="256" />
                                            </td>
                                            <td>
                                                <button type="submit" name="step" value=format!("remove-tag-{i}") aria-label=format!("Remove tag {n}")>
                                                    "Remove"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            <p>
                <button type="submit" name="step" value="add-tag" disabled=remaining == 0>
                    "Add new tag"
                </button>
                <span class="hint">{format!(" You can add up to {remaining} more tags.")}</span>
            </p>
            <div class="actions">
                <a href="/users">"Cancel"</a>
                <button type="submit" name="step" value="permissions">"Previous"</button>
                <button type="submit" name="step" value="review" class="primary">"Next: Review"</button>
            </div>
        </form>
    }
    .into_any()
}

pub fn review_step(
    draft: &UsersDraft,
    create: ServerAction<CreateUsers>,
    url_error: Option<AppError>,
) -> AnyView {
    let draft_json = serde_json::to_string(draft).unwrap_or_default();
    // With JavaScript a refused create comes back here as the action's value: go to the step with
    // the input it is about, as the server does for a plain form.
    let target = draft.clone();
    Effect::new(move |_| {
        if let Some(Err(err)) = create.value().get() {
            let url = target.error_url(&err);
            if !url.starts_with("/users/create?step=review") {
                let _ = window().location().set_href(&url);
            }
        }
    });
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| url_error.clone())
    });
    let password_error = move || error.get().and_then(|e| e.for_field("password"));
    let other_error = move || {
        error
            .get()
            .filter(|e| e.for_field("password").is_none())
            .map(|e| e.to_string())
    };
    let console = draft.console_access;
    let custom = console && draft.custom_password;
    let password_label = match (console, draft.custom_password) {
        (false, _) => "None",
        (true, false) => "Autogenerated",
        (true, true) => "Custom",
    };
    let reset = if console && draft.reset_required {
        "Yes"
    } else {
        "No"
    };
    let users = draft
        .filled_names()
        .into_iter()
        .map(|name| {
            view! {
                <tr>
                    <td>{name}</td>
                    <td>{if console { "Enabled" } else { "Disabled" }}</td>
                    <td>{password_label}</td>
                    <td>{reset}</td>
                </tr>
            }
        })
        .collect_view();
    let option = PERMISSION_OPTIONS
        .iter()
        .find(|(v, _)| *v == draft.permissions)
        .map(|(_, l)| *l)
        .unwrap_or_default();
    let mut permissions: Vec<String> = draft
        .chosen_groups()
        .into_iter()
        .map(|g| format!("Group: {g}"))
        .collect();
    permissions.extend(
        draft
            .chosen_copy_from()
            .map(|u| format!("Copy permissions from user: {u}")),
    );
    permissions.extend(
        draft
            .chosen_policies()
            .into_iter()
            .map(|p| format!("Policy: {}", p.rsplit('/').next().unwrap_or(&p))),
    );
    let permissions = if permissions.is_empty() {
        view! { <p>"No permissions. You can add them to the users later."</p> }.into_any()
    } else {
        view! {
            <p class="hint">{option}</p>
            <ul aria-label="Permissions summary">
                {permissions.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let tags = draft.filled_tags();
    let tags = if tags.is_empty() {
        view! { <p>"No tags associated with the resource."</p> }.into_any()
    } else {
        view! {
            <table class="table tags" aria-label="Tags">
                <thead><tr><th scope="col">"Key"</th><th scope="col">"Value"</th></tr></thead>
                <tbody>
                    {tags.into_iter().map(|t| view! { <tr><td>{t.key}</td><td>{t.value}</td></tr> }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let back = draft.url("tags");
    view! {
        <h1>"Review and create"</h1>
        <ActionForm action=create attr:class="panel" attr:aria-label="Review and create">
            <input type="hidden" name="draft" value=draft_json />
            <h2>"User details"</h2>
            <table class="list" aria-label="User details">
                <thead>
                    <tr>
                        <th>"User name"</th>
                        <th>"Console access"</th>
                        <th>"Console password"</th>
                        <th>"Require password reset"</th>
                    </tr>
                </thead>
                <tbody>{users}</tbody>
            </table>
            {custom
                .then(|| {
                    view! {
                        <div class="field" class:invalid=move || password_error().is_some()>
                            <label for="custom-password">"Custom password"</label>
                            <p class="hint" id="custom-password-hint">
                                "All the users get this password. It is not shown again, and not kept in the web address."
                            </p>
                            <input type="password" id="custom-password" name="password" required=true
                                autocomplete="new-password"
                                aria-invalid=move || password_error().is_some().then_some("true")
                                aria-describedby=move || match password_error() {
                                    Some(_) => "custom-password-hint custom-password-error",
                                    None => "custom-password-hint",
                                } />
                            {move || password_error().map(|m| view! { <p class="field-error" id="custom-password-error">{m}</p> })}
                        </div>
                    }
                })}
            <h2>"Permissions summary"</h2>
            {permissions}
            <h2>"Tags"</h2>
            {tags}
            {move || other_error().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="actions">
                <a href="/users">"Cancel"</a>
                <a href=back class="button" rel="external">"Previous"</a>
                <button type="submit" class="primary">"Create users"</button>
            </div>
        </ActionForm>
    }
    .into_any()
}
