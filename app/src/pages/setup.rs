//! `/setup?token=…`: the one-time page that creates the root user on a fresh install.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{CompleteSetup, setup_link_status};
use crate::components::form::{Field, FormAlert};

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let status = Resource::new_blocking(token, setup_link_status);
    let setup = ServerAction::<CompleteSetup>::new();
    let error = Signal::derive(move || setup.value().get().and_then(Result::err));

    view! {
        <Title text="Set up Portcullis" />
        <main class="standalone setup">
            <h1>"Create the root user"</h1>
            <Suspense fallback=|| view! { <p>"Checking the setup link…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(true) => {
                            view! {
                                <p>
                                    "The root user has complete access to this account. Use it only to set up the account and for the few tasks that need it."
                                </p>
                                <ActionForm action=setup attr:aria-label="Create the root user">
                                    <input type="hidden" name="token" value=token />
                                    <Field id="setup-email" name="email" label="Root user email address"
                                        input_type="email" autocomplete="username" required=true error=error />
                                    <Field id="setup-password" name="password" label="Password" input_type="password"
                                        autocomplete="new-password" required=true error=error
                                        hint="8 to 128 characters, with at least three of: uppercase letters, lowercase letters, numbers and symbols (! @ # $ % ^ & * ( ) _ + - = [ ] { } | '), and not your email address" />
                                    <Field id="setup-confirm" name="confirm_password" label="Confirm password"
                                        input_type="password" autocomplete="new-password" required=true error=error />
                                    <FormAlert error=error fields=&["email", "password", "confirm_password"] />
                                    <button type="submit" class="primary">"Create root user"</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Ok(false) => {
                            view! {
                                <p class="alert" role="alert">
                                    "This setup link is not valid or was already used. "
                                    <a href="/signin">"Sign in"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <p class="alert" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
