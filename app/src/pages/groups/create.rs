//! `/groups/create`: name the group, add users, attach policies, and create it all at once.
//!
//! The page's state (name, filters, pages, check boxes) starts from the URL, so that the filter
//! and paging buttons (plain `GET`s without JavaScript) and a refused create keep it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{
    CHOICES_PER_PAGE, CreateGroup, MAX_GROUP_POLICIES, POLICY_CHOICE_HEADERS, USER_CHOICE_HEADERS,
    policy_choices, user_choices,
};
use crate::components::checkbox_picker::{CheckboxPicker, PickerSpec};
use crate::components::denied::PermissionGate;
use crate::components::form::{Field, FormAlert};

pub const USERS_PICKER: PickerSpec = PickerSpec {
    id: "group-users",
    legend: "Add users to the group - Optional",
    field: "user_names[]",
    error_field: "user_names",
    filter_param: "user_q",
    offset_param: "user_offset",
    filter_label: "Filter users",
    name_header: "User name",
    headers: USER_CHOICE_HEADERS,
    selected_label: "Selected users",
    empty: "There are no IAM users in this account yet. You can add users to the group later.",
    no_match: "No users match the filter.",
    page: "/groups/create",
    page_size: CHOICES_PER_PAGE,
    max: None,
};

pub const POLICIES_PICKER: PickerSpec = PickerSpec {
    id: "group-policies",
    legend: "Attach permissions policies - Optional",
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
    page: "/groups/create",
    page_size: CHOICES_PER_PAGE,
    max: Some(MAX_GROUP_POLICIES),
};

/// The initial filter, page and choices of a picker, read from the URL.
pub fn picker_state(spec: &PickerSpec) -> (RwSignal<String>, RwSignal<u32>, RwSignal<Vec<String>>) {
    let query = use_query_map().get_untracked();
    let filter = query.get(spec.filter_param).unwrap_or_default();
    let offset = query
        .get(spec.offset_param)
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let selected = query.get_all(spec.field).unwrap_or_default();
    (
        RwSignal::new(filter),
        RwSignal::new(offset),
        RwSignal::new(selected),
    )
}

#[component]
pub fn CreateGroupPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let name = StoredValue::new(query.get("name").unwrap_or_default());
    let (user_filter, user_offset, users) = picker_state(&USERS_PICKER);
    let (policy_filter, policy_offset, policies) = picker_state(&POLICIES_PICKER);
    let user_page = Resource::new_blocking(
        move || (user_filter.get(), user_offset.get()),
        |(q, o)| user_choices(q, o),
    );
    let policy_page = Resource::new_blocking(
        move || (policy_filter.get(), policy_offset.get()),
        |(q, o)| policy_choices(q, o),
    );
    let create = ServerAction::<CreateGroup>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));

    view! {
        <Title text="Create user group" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › Create user group"
        </nav>
        <h1>"Create user group"</h1>
        <PermissionGate action="iam:CreateGroup">
        <ActionForm action=create attr:aria-label="Create user group" attr:class="wide-form">
            <section class="panel" aria-labelledby="name-heading">
                <h2 id="name-heading">"Name the group"</h2>
                <Field
                    id="group-name"
                    name="name"
                    label="User group name"
                    value=name.get_value()
                    required=true
                    error=error
                    hint="Enter a meaningful name to identify this group. Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters."
                />
            </section>
            <section class="panel">
                <CheckboxPicker
                    spec=USERS_PICKER
                    selected=users
                    filter=user_filter
                    offset=user_offset
                    choices=user_page
                    error=error
                />
            </section>
            <section class="panel">
                <CheckboxPicker
                    spec=POLICIES_PICKER
                    selected=policies
                    filter=policy_filter
                    offset=policy_offset
                    choices=policy_page
                    error=error
                />
            </section>
            <FormAlert error=error fields=&["name", "policy_arns", "user_names"] />
            <div class="form-actions">
                <a class="button" href="/groups">
                    "Cancel"
                </a>
                <button type="submit" class="primary">
                    "Create group"
                </button>
            </div>
        </ActionForm>
        </PermissionGate>
    }
}
