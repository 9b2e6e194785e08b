//! Access keys: the section of a user's Security credentials tab, and `/users/access-key?key=…`,
//! the Retrieve access keys page that shows a new key's secret once.
//!
//! Everything works without JavaScript: each action is a plain form, **Delete** opens with
//! `<details>` and asks for the key id, the secret is behind a `<details>` **Show**, and the CSV
//! is a `data:` link. The secret comes from the server's one-time store, so reloading the page, or
//! coming back to it, finds it gone.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::access_keys::{
    AccessKeyRow, CreateAccessKey, CreatedAccessKey, DeleteAccessKey, UpdateAccessKey,
    access_key_csv, list_access_keys, take_access_key,
};
use crate::api::groups::url_encode;
use crate::api::users::details::user_url;
use crate::components::datetime::format_time;
use crate::components::denied::ErrorNotice;
use crate::error::AppError;

/// The Access keys section of the user `name`'s Security credentials tab.
#[component]
pub fn AccessKeysSection(name: String) -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateAccessKey>::new();
    let update = ServerAction::<UpdateAccessKey>::new();
    let delete = ServerAction::<DeleteAccessKey>::new();
    let user = name.clone();
    let keys = Resource::new_blocking(
        move || (user.clone(), update.version().get(), delete.version().get()),
        |(name, ..)| list_access_keys(name),
    );
    // A refused plain form comes back with `key_error`; with JavaScript it is an action's value.
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| update.value().get().and_then(Result::err))
            .or_else(|| delete.value().get().and_then(Result::err))
            .or_else(|| {
                let q = query.read();
                q.get("key_error")
                    .map(|m| AppError::invalid(q.get("key_error_field").unwrap_or_default(), m))
            })
    });
    let create_name = name.clone();
    view! {
        <section class="panel" aria-labelledby="access-keys-heading">
            <div class="section-head">
                <h2 id="access-keys-heading">"Access keys"</h2>
                <ActionForm action=create attr:aria-label="Create access key">
                    <input type="hidden" name="name" value=create_name />
                    <button type="submit" class="primary">"Create access key"</button>
                </ActionForm>
            </div>
            <p class="hint">
                "Other services use an access key to call the authorization API (" <code>"POST /api/v1/authorize"</code>
                "). A user can have two access keys, so that one can be rotated while the other works."
            </p>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let name = name.clone();
                    Suspend::new(async move {
                        match keys.await {
                            Ok(rows) => keys_table(rows, name, update, delete).into_any(),
                            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn keys_table(
    rows: Vec<AccessKeyRow>,
    name: String,
    update: ServerAction<UpdateAccessKey>,
    delete: ServerAction<DeleteAccessKey>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"This user has no access keys."</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|k| key_row(k, name.clone(), update, delete))
        .collect_view();
    view! {
        <table class="list" aria-label="Access keys">
            <thead>
                <tr>
                    <th>"Access key ID"</th>
                    <th>"Status"</th>
                    <th>"Created"</th>
                    <th>"Last used"</th>
                    <th>"Actions"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn key_row(
    k: AccessKeyRow,
    name: String,
    update: ServerAction<UpdateAccessKey>,
    delete: ServerAction<DeleteAccessKey>,
) -> impl IntoView {
    let id = k.access_key_id.clone();
    let (toggle, new_status) = if k.active {
        ("Deactivate", "Inactive")
    } else {
        ("Activate", "Active")
    };
    let confirm_id = format!("delete-confirm-{id}");
    let toggle_label = format!("{toggle} {id}");
    let delete_label = format!("Delete {id}");
    let (toggle_form, toggle_id) = (toggle_label.clone(), id.clone());
    let (delete_form, delete_id, shown_id) = (delete_label.clone(), id.clone(), id.clone());
    let update_name = name.clone();
    view! {
        <tr>
            <td><code data-testid="access-key-id">{id}</code></td>
            <td data-testid="access-key-status">{if k.active { "Active" } else { "Inactive" }}</td>
            <td>{format_time(k.created_at)}</td>
            <td>{k.last_used_at.map(format_time).unwrap_or_else(|| "Never".to_owned())}</td>
            <td class="row-actions">
                <ActionForm action=update attr:aria-label=toggle_form>
                    <input type="hidden" name="name" value=update_name />
                    <input type="hidden" name="access_key_id" value=toggle_id />
                    <input type="hidden" name="status" value=new_status />
                    <button type="submit" aria-label=toggle_label>{toggle}</button>
                </ActionForm>
                <details class="confirm">
                    <summary aria-label=delete_label>"Delete"</summary>
                    <ActionForm action=delete attr:aria-label=delete_form>
                        <input type="hidden" name="name" value=name />
                        <input type="hidden" name="access_key_id" value=delete_id />
                        <div class="field">
                            <label for=confirm_id.clone()>
                                "To confirm deletion, enter the access key ID " <code>{shown_id}</code>
                            </label>
                            <input type="text" id=confirm_id name="confirmation" autocomplete="off" />
                        </div>
                        <button type="submit" class="danger">"Delete access key"</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

/// `/users/access-key?key=<handle>`: the new key's id and secret, once.
#[component]
pub fn AccessKeyCreatedPage() -> impl IntoView {
    let q = use_query_map();
    let handle = move || q.read().get("key").unwrap_or_default();
    let key = Resource::new_blocking(handle, |handle| async move {
        match handle.is_empty() {
            true => Ok(None),
            false => take_access_key(handle).await,
        }
    });
    // The secret must not outlive the page in the browser's caches (nor come back with Back).
    #[cfg(feature = "ssr")]
    crate::ssr::one_time::no_store();
    view! {
        <Title text="Retrieve access keys" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/users">"Users"</a>
            " › Retrieve access keys"
        </nav>
        <h1>"Retrieve access keys"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match key.await {
                    Ok(Some(key)) => secret_view(key).into_any(),
                    Ok(None) => gone().into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn secret_view(key: CreatedAccessKey) -> impl IntoView {
    let csv_href = format!(
        "data:text/csv;charset=utf-8,{}",
        url_encode(&access_key_csv(&key))
    );
    let file = format!("{}_accessKeys.csv", key.user_name.replace(['@', '/'], "_"));
    let done = user_url(&key.user_name, Some("security"));
    view! {
        <p class="notice" role="status">
            {format!("You created an access key for {}.", key.user_name)}
        </p>
        <section class="panel" aria-label="Access key">
            <p>
                "This is the only time that the secret access key can be viewed or downloaded. You cannot recover it later: the console keeps only a one-way hash of it. If it is lost, create a new access key and delete this one."
            </p>
            <table class="list" aria-label="Access key">
                <thead>
                    <tr>
                        <th>"Access key ID"</th>
                        <th>"Secret access key"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td><code data-testid="new-access-key-id">{key.access_key_id.clone()}</code></td>
                        <td>
                            <details class="password">
                                <summary aria-label="Show secret access key">"Show"</summary>
                                <code class="secret" data-testid="secret-access-key">{key.secret.clone()}</code>
                            </details>
                        </td>
                    </tr>
                </tbody>
            </table>
            <p class="actions">
                <a class="button" href=csv_href download=file>"Download .csv"</a>
                <a class="button primary" href=done>"Done"</a>
            </p>
        </section>
    }
}

fn gone() -> impl IntoView {
    view! {
        <section class="panel" aria-label="Secret access key no longer available">
            <p role="status">"The secret access key is no longer available."</p>
            <p>
                "A secret access key is shown only once, right after the key is created: the console keeps only a one-way hash of it, so nobody can see it again."
            </p>
            <p>
                "If it was lost, create a new access key on the user's Security credentials tab, then deactivate and delete the old one."
            </p>
            <p>
                <a href="/users">"Go to Users"</a>
            </p>
        </section>
    }
}
