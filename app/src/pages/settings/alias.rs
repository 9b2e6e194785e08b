//! `/settings/alias` (create or edit the account alias) and `/settings/alias/delete` (after
//! confirmation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::settings::{DeleteAccountAlias, SetAccountAlias, account_settings};
use crate::components::form::{Field, FormAlert};

#[component]
pub fn EditAliasPage() -> impl IntoView {
    // A refused plain post comes back with what was typed.
    let returned = use_query_map().get_untracked().get("alias");
    let settings = Resource::new_blocking(|| (), |_| account_settings());
    let save = ServerAction::<SetAccountAlias>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text="Account alias" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/settings">"Account settings"</a>
            " › Account alias"
        </nav>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let returned = returned.clone();
                Suspend::new(async move {
                    let settings = match settings.await {
                        Ok(s) => s,
                        Err(e) => {
                            return view! {
                                <p class="alert" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any();
                        }
                    };
                    let title = if settings.account_alias.is_some() {
                        "Edit account alias"
                    } else {
                        "Create account alias"
                    };
                    let value = returned.or(settings.account_alias).unwrap_or_default();
                    view! {
                        <h1>{title}</h1>
                        <ActionForm action=save attr:aria-label=title attr:class="panel narrow-form">
                            <Field
                                id="account-alias"
                                name="alias"
                                label="Preferred alias"
                                value=value
                                required=true
                                autocomplete="off"
                                error=error
                                hint="3 to 63 characters: lowercase letters, digits and hyphens, not starting or ending with a hyphen, no two hyphens in a row, and not 12 digits. IAM users sign in at <console>/signin/<alias>."
                            />
                            <p class="hint">
                                {format!(
                                    "Without an alias, IAM users use the account ID {}.",
                                    settings.account_id,
                                )}
                            </p>
                            <FormAlert error=error fields=&["alias"] />
                            <div class="form-actions">
                                <a class="button" href="/settings">
                                    "Cancel"
                                </a>
                                <button type="submit" class="primary">
                                    "Save changes"
                                </button>
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn DeleteAliasPage() -> impl IntoView {
    let settings = Resource::new_blocking(|| (), |_| account_settings());
    let delete = ServerAction::<DeleteAccountAlias>::new();
    let error = Signal::derive(move || delete.value().get().and_then(Result::err));
    view! {
        <Title text="Delete account alias" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/settings">"Account settings"</a>
            " › Delete account alias"
        </nav>
        <h1>"Delete the account alias?"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let text = match settings.await {
                    Ok(s) => {
                        format!(
                            "IAM users can no longer sign in with the alias {}: the sign-in URL uses the account ID {} again, and links that name the alias stop working.",
                            s.account_alias.unwrap_or_else(|| "(none)".to_owned()),
                            s.account_id,
                        )
                    }
                    Err(e) => e.to_string(),
                };
                view! { <p>{text}</p> }
            })}
        </Suspense>
        <ActionForm action=delete attr:aria-label="Delete account alias" attr:class="panel narrow-form">
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <a class="button" href="/settings">
                    "Cancel"
                </a>
                <button type="submit" class="primary danger">
                    "Delete"
                </button>
            </div>
        </ActionForm>
    }
}
