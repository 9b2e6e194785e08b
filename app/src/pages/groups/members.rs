//! `/groups/add-users?name=…`: add existing users to a group.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{AddGroupMembers, details_url, get_group, user_choices};
use crate::components::checkbox_picker::{CheckboxPicker, PickerSpec};
use crate::components::form::FormAlert;
use crate::pages::groups::create::{USERS_PICKER, picker_state};

const ADD_USERS_PICKER: PickerSpec = PickerSpec {
    legend: "Other users in this account",
    page: "/groups/add-users",
    empty: "There are no IAM users in this account yet.",
    ..USERS_PICKER
};

#[component]
pub fn AddGroupMembersPage() -> impl IntoView {
    let name = use_query_map()
        .get_untracked()
        .get("name")
        .unwrap_or_default();
    let (filter, offset, users) = picker_state(&ADD_USERS_PICKER);
    let page = Resource::new_blocking(
        move || (filter.get(), offset.get()),
        |(q, o)| user_choices(q, o),
    );
    let group = Resource::new_blocking(
        {
            let name = name.clone();
            move || name.clone()
        },
        get_group,
    );
    let add = ServerAction::<AddGroupMembers>::new();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <Title text="Add users to group" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › "
            <a href=details_url(&name, Some("users"), None)>{name.clone()}</a>
            " › Add users"
        </nav>
        <h1>{format!("Add users to {name}")}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let name = name.clone();
                Suspend::new(async move {
                let members = group.await.map(|g| g.members).unwrap_or_default();
                view! {
                    <ActionForm action=add attr:aria-label="Add users to group" attr:class="wide-form">
                        <input type="hidden" name="name" value=name.clone() />
                        <section class="panel">
                            <CheckboxPicker
                                spec=ADD_USERS_PICKER
                                selected=users
                                filter=filter
                                offset=offset
                                choices=page
                                error=error
                                locked=members
                            />
                        </section>
                        <FormAlert error=error fields=&["user_names"] />
                        <div class="form-actions">
                            <a class="button" href=details_url(&name, Some("users"), None)>
                                "Cancel"
                            </a>
                            <button type="submit" class="primary">
                                "Add users"
                            </button>
                        </div>
                    </ActionForm>
                }
            })
            }}
        </Suspense>
    }
}
