//! `/users/create`: the Add users wizard (Specify user details, Set permissions, Tags, Review).
//!
//! As in the Create policy wizard, each step is a plain GET form back to this page and the draft
//! travels in the query string ([`UsersDraft`]); each step renders from it, on the server for the
//! first paint and without JavaScript, in the browser after hydration. Only **Create users**
//! posts. A custom password is never in the draft: it is typed on the Review step (see
//! `api::users::draft`). Step changes are full page loads in both modes, so the check-box lists,
//! whose state starts from the URL, always match it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::groups::{CHOICES_PER_PAGE, Choices, POLICY_CHOICE_HEADERS, policy_choices};
use crate::api::users::draft::{MAX_USERS, PERMISSION_OPTIONS, Part, UsersDraft, name_problems};
use crate::api::users::{CreateUsers, GROUP_CHOICE_HEADERS, group_choices};
use crate::components::checkbox_picker::{CheckboxPicker, PickerSpec};
use crate::components::denied::PermissionGate;
use crate::components::tags::tag_problems;
use crate::error::AppError;
use crate::pages::groups::create::picker_state;

use super::review::{review_step, tags_step};
use super::wizard_form::{carry, step_alert};

pub const GROUPS_PICKER: PickerSpec = PickerSpec {
    id: "user-groups",
    legend: "User groups",
    field: "group_names[]",
    error_field: "group_names",
    filter_param: "group_q",
    offset_param: "group_offset",
    filter_label: "Filter groups",
    name_header: "Group name",
    headers: GROUP_CHOICE_HEADERS,
    selected_label: "Selected groups",
    empty: "There are no user groups yet. You can create one under User groups and add the users later.",
    no_match: "No user groups match the filter.",
    page: "/users/create",
    page_size: CHOICES_PER_PAGE,
    max: Some(10),
};

pub const USER_POLICIES_PICKER: PickerSpec = PickerSpec {
    id: "user-policies",
    legend: "Permissions policies",
    field: "policy_arns[]",
    error_field: "policy_arns",
    filter_param: "policy_q",
    offset_param: "policy_offset",
    filter_label: "Filter policies",
    name_header: "Policy name",
    headers: POLICY_CHOICE_HEADERS,
    selected_label: "Selected policies",
    empty: "There are no policies.",
    no_match: "No policies match the filter.",
    page: "/users/create",
    page_size: CHOICES_PER_PAGE,
    max: Some(10),
};

/// The step a request asks for: the pressed button's `step`, else the form's own step (`at`,
/// for the list filter and paging buttons, which have no `step`).
fn requested_step(q: &ParamsMap) -> String {
    q.get("step")
        .or_else(|| q.get("at"))
        .unwrap_or_else(|| "details".to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A problem per row of user names.
    Details(Vec<Option<String>>),
    Permissions,
    Tags(Vec<String>),
    Review,
}

/// Applies the row buttons to the draft and decides which step to show: the user names must be
/// right before the later steps, and the tags before the Review.
pub fn resolve_step(q: &ParamsMap, draft: &mut UsersDraft) -> Step {
    let requested = requested_step(q);
    let no_problems = |d: &UsersDraft| vec![None; d.names.len()];
    if requested == "add-user" {
        if draft.names.len() < MAX_USERS {
            draft.names.push(String::new());
        }
        return Step::Details(no_problems(draft));
    }
    if let Some(i) = requested.strip_prefix("remove-user-") {
        if let Ok(i) = i.parse::<usize>()
            && i < draft.names.len()
            && draft.names.len() > 1
        {
            draft.names.remove(i);
        }
        return Step::Details(no_problems(draft));
    }
    if requested == "details" {
        return Step::Details(no_problems(draft));
    }
    // Every later step needs good user names.
    let mut problems = name_problems(&draft.names);
    if draft.filled_names().is_empty() {
        problems[0] = Some("enter a `User name` for at least one user".to_owned());
    }
    if problems.iter().any(Option::is_some) {
        return Step::Details(problems);
    }
    draft.names = draft.filled_names();
    match requested.as_str() {
        "permissions" => Step::Permissions,
        "add-tag" => {
            draft.tags = draft.filled_tags();
            draft.tags.push(crate::api::policies::TagPair {
                key: String::new(),
                value: String::new(),
            });
            Step::Tags(Vec::new())
        }
        s if s.starts_with("remove-tag-") => {
            if let Some(i) = s
                .strip_prefix("remove-tag-")
                .and_then(|i| i.parse::<usize>().ok())
                && i < draft.tags.len()
            {
                draft.tags.remove(i);
            }
            Step::Tags(Vec::new())
        }
        "review" => {
            let problems = tag_problems("user", &draft.filled_tags());
            if problems.is_empty() {
                Step::Review
            } else {
                Step::Tags(problems)
            }
        }
        _ => {
            draft.tags = draft.filled_tags();
            Step::Tags(Vec::new())
        }
    }
}

/// The error a refused **Create users** left in the URL (`error_field`, `error`).
fn url_error(q: &ParamsMap) -> Option<AppError> {
    let message = q.get("error")?;
    Some(AppError::invalid(
        q.get("error_field").unwrap_or_default(),
        message,
    ))
}

fn no_choices() -> Choices {
    Choices {
        items: Vec::new(),
        total: 0,
    }
}

#[component]
pub fn CreateUsersPage() -> impl IntoView {
    let q = use_query_map();
    let on_permissions = move || requested_step(&q.read()) == "permissions";
    let (group_filter, group_offset, groups) = picker_state(&GROUPS_PICKER);
    let (policy_filter, policy_offset, policies) = picker_state(&USER_POLICIES_PICKER);
    let group_page = Resource::new_blocking(
        move || (on_permissions(), group_filter.get(), group_offset.get()),
        |(on, q, o)| async move {
            match on {
                true => group_choices(q, o).await,
                false => Ok(no_choices()),
            }
        },
    );
    let policy_page = Resource::new_blocking(
        move || (on_permissions(), policy_filter.get(), policy_offset.get()),
        |(on, q, o)| async move {
            match on {
                true => policy_choices(q, o).await,
                false => Ok(no_choices()),
            }
        },
    );
    let create = ServerAction::<CreateUsers>::new();

    view! {
        <Title text="Add users" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/users">"Users"</a>
            " › Add users"
        </nav>
        <PermissionGate action="iam:CreateUser">
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = q.get();
                let mut draft = UsersDraft::from_pairs(|k| q.get_all(k).unwrap_or_default());
                let error = url_error(&q);
                let step = resolve_step(&q, &mut draft);
                let steps = step_list(&step);
                let body = match step {
                    Step::Details(problems) => details_step(&draft, problems, error),
                    Step::Permissions => {
                        let pickers = Pickers {
                            groups: (group_filter, group_offset, groups, group_page),
                            policies: (policy_filter, policy_offset, policies, policy_page),
                        };
                        permissions_step(&draft, pickers, error)
                    }
                    Step::Tags(problems) => tags_step(&draft, problems, error),
                    Step::Review => review_step(&draft, create, error),
                };
                view! {
                    {steps}
                    {body}
                }
            })}
        </Suspense>
        </PermissionGate>
    }
}

fn step_list(step: &Step) -> AnyView {
    let current = match step {
        Step::Details(_) => 0,
        Step::Permissions => 1,
        Step::Tags(_) => 2,
        Step::Review => 3,
    };
    view! {
        <ol class="wizard-steps">
            {["Specify user details", "Set permissions", "Tags", "Review"]
                .into_iter()
                .enumerate()
                .map(|(i, label)| {
                    view! {
                        <li aria-current=(i == current).then_some("step") class:current=i == current>
                            {format!("Step {}: {label}", i + 1)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

fn details_step(
    draft: &UsersDraft,
    mut problems: Vec<Option<String>>,
    error: Option<AppError>,
) -> AnyView {
    // An error of **Create users** about one user's name (`users[i].name`) goes to that row.
    let mut unplaced = error;
    for (i, problem) in problems.iter_mut().enumerate() {
        let field = format!("users[{i}].name");
        if let Some(message) = unplaced.as_ref().and_then(|e| e.for_field(&field)) {
            *problem = Some(message);
            unplaced = None;
        }
    }
    let count = draft.names.len();
    let rows = draft
        .names
        .iter()
        .cloned()
        .zip(problems)
        .enumerate()
        .map(|(i, (name, problem))| {
            let n = i + 1;
            let id = format!("user-name-{i}");
            let error_id = format!("user-name-{i}-error");
            let invalid = problem.is_some();
            view! {
                <div class="field user-row" class:invalid=invalid>
                    <label for=id.clone()>
                        "User name" <span class="visually-hidden">{format!(" {n}")}</span>
                    </label>
                    <div class="row-input">
                        <input
                            type="text"
                            id=id
                            name="user_name"
                            value=name
                            maxlength="64"
                            autocomplete="off"
                            aria-invalid=invalid.then_some("true")
                            aria-describedby=invalid.then(|| error_id.clone())
                        />
                        {(count > 1)
                            .then(|| {
                                view! {
                                    <button type="submit" name="step" value=format!("remove-user-{i}")
                                        aria-label=format!("Remove user {n}")>
                                        "Remove"
                                    </button>
                                }
                            })}
                    </div>
                    {problem.map(|m| view! { <p class="field-error" id=error_id>{m}</p> })}
                </div>
            }
        })
        .collect_view();
    let remaining = MAX_USERS.saturating_sub(count);
    view! {
        <h1>"Specify user details"</h1>
        <form method="get" action="/users/create" class="panel" aria-label="Specify user details">
            {carry(draft, Part::Details, "details")}
            // The first submit button is the one Enter presses.
            <button type="submit" name="step" value="permissions" class="visually-hidden" tabindex="-1" aria-hidden="true">
                "Next"
            </button>
            <h2>"User details"</h2>
            {rows}
            <p class="hint">
                "The user name can have up to 64 letters, digits, and these characters: + = , . @ _ - (hyphen). It must be unique in the account, ignoring case."
            </p>
            <p>
                <button type="submit" name="step" value="add-user" disabled=remaining == 0>
                    "Add another user"
                </button>
                <span class="hint">{format!(" You can add {remaining} more users.")}</span>
            </p>
            <div class="field checkbox">
                <input type="checkbox" id="console-access" name="console" value="true"
                    checked=draft.console_access aria-describedby="console-access-hint" />
                <label for="console-access">"Console access"</label>
                <p class="hint" id="console-access-hint">"Provide user access to the Portcullis console."</p>
            </div>
            <fieldset class="console-password">
                <legend>"Console password"</legend>
                <div class="field radio">
                    <input type="radio" id="password-autogenerated" name="password_type" value="autogenerated"
                        checked=!draft.custom_password />
                    <label for="password-autogenerated">"Autogenerated password"</label>
                    <p class="hint">"You can view the password after you create the users."</p>
                </div>
                <div class="field radio">
                    <input type="radio" id="password-custom" name="password_type" value="custom"
                        checked=draft.custom_password />
                    <label for="password-custom">"Custom password"</label>
                    <p class="hint">
                        "You type the custom password on the Review step, so that it never travels in a web address."
                    </p>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="password-reset" name="reset" value="true"
                        checked=draft.reset_required />
                    <label for="password-reset">"User must create a new password at next sign-in"</label>
                    <p class="hint">"Recommended. The users choose their own password when they first sign in."</p>
                </div>
                <p class="hint">"The console password applies only when Console access is selected."</p>
            </fieldset>
            {step_alert(unplaced)}
            <div class="actions">
                <a href="/users">"Cancel"</a>
                <button type="submit" name="step" value="permissions" class="primary">
                    "Next: Permissions"
                </button>
            </div>
        </form>
    }
    .into_any()
}

type PickerParts = (
    RwSignal<String>,
    RwSignal<u32>,
    RwSignal<Vec<String>>,
    Resource<Result<Choices, AppError>>,
);

struct Pickers {
    groups: PickerParts,
    policies: PickerParts,
}

fn permissions_step(draft: &UsersDraft, pickers: Pickers, error: Option<AppError>) -> AnyView {
    let (gf, go, gs, gp) = pickers.groups;
    let (pf, po, ps, pp) = pickers.policies;
    let no_error = Signal::stored(None::<AppError>);
    let options = PERMISSION_OPTIONS
        .iter()
        .map(|(value, label)| {
            let id = format!("permissions-{value}");
            view! {
                <div class="field radio">
                    <input type="radio" id=id.clone() name="permissions" value=*value
                        checked=draft.permissions == *value />
                    <label for=id>{*label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <h1>"Set permissions"</h1>
        <form method="get" action="/users/create" class="panel wide-form" aria-label="Set permissions">
            {carry(draft, Part::Permissions, "permissions")}
            <button type="submit" name="step" value="tags" class="visually-hidden" tabindex="-1" aria-hidden="true">
                "Next"
            </button>
            {step_alert(error)}
            <fieldset class="permission-options">
                <legend>"Permissions options"</legend>
                <div class="option-list">{options}</div>
                <p class="hint">
                    "Only the chosen option applies. To create the users without permissions, choose no group."
                </p>
                <div class="option-panel option-group">
                    <CheckboxPicker spec=GROUPS_PICKER selected=gs filter=gf offset=go choices=gp error=no_error />
                </div>
                <div class="option-panel option-copy">
                    <div class="field">
                        <label for="copy-from">"Existing user to copy permissions from"</label>
                        <p class="hint" id="copy-from-hint">
                            "The new users get this user's groups and directly attached managed policies."
                        </p>
                        <input type="text" id="copy-from" name="copy_from" value=draft.copy_from.clone()
                            aria-describedby="copy-from-hint" autocomplete="off" />
                    </div>
                </div>
                <div class="option-panel option-policies">
                    <CheckboxPicker spec=USER_POLICIES_PICKER selected=ps filter=pf offset=po choices=pp error=no_error />
                </div>
            </fieldset>
            <div class="actions">
                <a href="/users">"Cancel"</a>
                <button type="submit" name="step" value="details">"Previous"</button>
                <button type="submit" name="step" value="tags" class="primary">"Next: Tags"</button>
            </div>
        </form>
    }
    .into_any()
}
