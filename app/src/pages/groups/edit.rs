//! `/groups/edit?name=…` (rename) and `/groups/delete?name=…` (delete after confirmation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{DeleteGroup, RenameGroup, details_url, get_group};
use crate::components::form::{Field, FormAlert};

#[component]
pub fn EditGroupPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    let new_name = query.get("new_name").unwrap_or_else(|| name.clone());
    let rename = ServerAction::<RenameGroup>::new();
    let error = Signal::derive(move || rename.value().get().and_then(Result::err));
    view! {
        <Title text="Edit user group" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › "
            <a href=details_url(&name, None, None)>{name.clone()}</a>
            " › Edit"
        </nav>
        <h1>{format!("Edit {name}")}</h1>
        <ActionForm action=rename attr:aria-label="Edit user group" attr:class="panel narrow-form">
            <input type="hidden" name="name" value=name.clone() />
            <Field
                id="group-new-name"
                name="new_name"
                label="User group name"
                value=new_name
                required=true
                error=error
                hint="Renaming keeps the group's users and permissions. Maximum 128 characters. Use alphanumeric and '+=,.@-_' characters."
            />
            <FormAlert error=error fields=&["new_name"] />
            <div class="form-actions">
                <a class="button" href=details_url(&name, None, None)>
                    "Cancel"
                </a>
                <button type="submit" class="primary">
                    "Save changes"
                </button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn DeleteGroupPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    let group = Resource::new_blocking(
        {
            let name = name.clone();
            move || name.clone()
        },
        get_group,
    );
    let delete = ServerAction::<DeleteGroup>::new();
    let error = Signal::derive(move || delete.value().get().and_then(Result::err));
    view! {
        <Title text="Delete user group" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/groups">"User groups"</a>
            " › "
            <a href=details_url(&name, None, None)>{name.clone()}</a>
            " › Delete"
        </nav>
        <h1>{format!("Delete {name}?")}</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                group
                    .await
                    .map(|g| {
                        view! {
                            <p>
                                {format!(
                                    "Deleting the user group removes its {} user(s) from it and its {} managed and {} inline policies. This cannot be undone.",
                                    g.members.len(),
                                    g.attached_policies.len(),
                                    g.inline_policy_names.len(),
                                )}
                            </p>
                        }
                    })
                    .map_err(|e| e.to_string())
            })}
        </Suspense>
        <ActionForm action=delete attr:aria-label="Delete user group" attr:class="panel narrow-form">
            <input type="hidden" name="name" value=name.clone() />
            <Field
                id="group-delete-confirm"
                name="confirm"
                label="To confirm deletion, enter the user group name"
                required=true
                autocomplete="off"
                error=error
            />
            <FormAlert error=error fields=&["confirm"] />
            <div class="form-actions">
                <a class="button" href=details_url(&name, None, None)>
                    "Cancel"
                </a>
                <button type="submit" class="primary danger">
                    "Delete"
                </button>
            </div>
        </ActionForm>
    }
}
