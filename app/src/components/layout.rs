//! The console frame: top bar with the account and identity, the navigation pane, and the page.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::api::auth::{SignOut, whoami};
use crate::api::permissions::ConsoleAccess;
use crate::components::denied::provide_console_permissions;

/// Pages in the navigation pane; later issues add to it as their pages land.
const NAVIGATION: &[(&str, &str)] = &[
    ("Dashboard", "/"),
    ("Policies", "/policies"),
    ("User groups", "/groups"),
    ("Users", "/users"),
    ("Event history", "/events"),
    ("Account settings", "/settings"),
];

#[component]
pub fn ConsoleLayout() -> impl IntoView {
    let identity = Resource::new_blocking(|| (), |_| whoami());
    let sign_out = ServerAction::<SignOut>::new();
    // The entries the principal's policies allow (root: all); the pages still decide for themselves.
    let permissions = provide_console_permissions();
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                "Portcullis"
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    identity
                        .await
                        .ok()
                        .map(|id| {
                            let account = match &id.account_alias {
                                Some(alias) => format!("{alias} ({})", id.account_id),
                                None => id.account_id.clone(),
                            };
                            view! {
                                <div class="identity">
                                    <span class="account" title="Account">
                                        "Account: "
                                        {account}
                                    </span>
                                    <span class="principal" title="Signed in as">
                                        {id.display_name}
                                        {id.is_root.then_some(" (root user)")}
                                    </span>
                                    {(!id.is_root)
                                        .then(|| {
                                            view! {
                                                <a class="account-link" href="/change-password">
                                                    "Change password"
                                                </a>
                                            }
                                        })}
                                </div>
                            }
                        })
                })}
            </Suspense>
            <ActionForm action=sign_out attr:class="signout">
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <div class="frame">
            <nav class="sidenav" aria-label="Navigation">
                <h2>"Identity and Access Management"</h2>
                // A transition keeps the current entries while they are fetched again.
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let allowed = permissions.await.unwrap_or_else(|_| ConsoleAccess::all());
                        view! {
                            <ul>
                                {NAVIGATION
                                    .iter()
                                    .filter(|(_, href)| allowed.page(href))
                                    .map(|(label, href)| {
                                        view! {
                                            <li>
                                                <A href=*href exact=true>
                                                    {*label}
                                                </A>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                </Transition>
            </nav>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}
