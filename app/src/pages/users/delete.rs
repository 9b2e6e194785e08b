//! `/users/delete?name=…`: delete a user after typing the name.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::users::delete::DeleteUser;
use crate::api::users::details::{get_user, user_url};
use crate::components::form::{Field, FormAlert};

#[component]
pub fn DeleteUserPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    let user = Resource::new_blocking(
        {
            let name = name.clone();
            move || name.clone()
        },
        get_user,
    );
    let delete = ServerAction::<DeleteUser>::new();
    let error = Signal::derive(move || delete.value().get().and_then(Result::err));
    view! {
        <Title text="Delete user" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/users">"Users"</a>
            " › "
            <a href=user_url(&name, None)>{name.clone()}</a>
            " › Delete"
        </nav>
        <h1>{format!("Delete {name}?")}</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                user
                    .await
                    .map(|u| {
                        view! {
                            <p>
                                {format!(
                                    "Deleting the user removes them from their {} group(s), detaches their {} policies, and deletes their tags, console password and access keys. Their sessions end at once. This cannot be undone.",
                                    u.groups.len(),
                                    u.attached_policies.len(),
                                )}
                            </p>
                        }
                    })
                    .map_err(|e| e.to_string())
            })}
        </Suspense>
        <ActionForm action=delete attr:aria-label="Delete user" attr:class="panel narrow-form">
            <input type="hidden" name="name" value=name.clone() />
            <Field
                id="user-delete-confirm"
                name="confirm"
                label="To confirm deletion, enter the user name"
                required=true
                autocomplete="off"
                error=error
            />
            <FormAlert error=error fields=&["confirm"] />
            <div class="form-actions">
                <a class="button" href=user_url(&name, None)>
                    "Cancel"
                </a>
                <button type="submit" class="primary danger">
                    "Delete"
                </button>
            </div>
        </ActionForm>
    }
}
