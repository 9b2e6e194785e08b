//! `/signin` and `/signin/<account>`: root user or IAM user sign-in.
//!
//! The choice between the two forms is a pair of radio buttons styled with CSS, so that it works
//! before (and without) wasm.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::auth::{SignInRoot, SignInUser};
use crate::components::form::{Field, FormAlert};

#[component]
pub fn SignInPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let account = move || params.read().get("account").unwrap_or_default();
    let redirect = move || {
        query
            .read()
            .get("redirect")
            .unwrap_or_else(|| "/".to_owned())
    };
    let iam_chosen =
        move || !account().is_empty() || query.read().get("type").as_deref() == Some("iam");

    let root = ServerAction::<SignInRoot>::new();
    let user = ServerAction::<SignInUser>::new();
    let root_error = Signal::derive(move || root.value().get().and_then(Result::err));
    let user_error = Signal::derive(move || user.value().get().and_then(Result::err));
    // After a failed plain-form post the page reloads with the error; show the form that failed.
    let show_iam =
        move || user_error.get().is_some() || (iam_chosen() && root_error.get().is_none());

    view! {
        <Title text="Sign in" />
        <main class="standalone signin">
            <h1>"Sign in to Portcullis"</h1>
            <fieldset class="signin-type">
                <legend>"Sign in as"</legend>
                <input type="radio" id="signin-type-root" name="signin-type" checked=move || !show_iam() />
                <label for="signin-type-root">"Root user"</label>
                <input type="radio" id="signin-type-iam" name="signin-type" checked=show_iam />
                <label for="signin-type-iam">"IAM user"</label>

                <section class="signin-form signin-root">
                    <p class="hint">"Account owner that performs tasks requiring unrestricted access."</p>
                    <ActionForm action=root attr:aria-label="Root user sign-in">
                        <input type="hidden" name="redirect" value=redirect />
                        <Field id="root-email" name="email" label="Root user email address" input_type="email"
                            autocomplete="username" required=true error=root_error />
                        <Field id="root-password" name="password" label="Password" input_type="password"
                            autocomplete="current-password" required=true error=root_error />
                        <FormAlert error=root_error fields=&["email", "password"] />
                        <button type="submit" class="primary">"Sign in"</button>
                    </ActionForm>
                </section>

                <section class="signin-form signin-iam">
                    <p class="hint">"User within an account that performs daily tasks."</p>
                    <ActionForm action=user attr:aria-label="IAM user sign-in">
                        <input type="hidden" name="redirect" value=redirect />
                        <Field id="iam-account" name="account" label="Account ID (12 digits) or account alias"
                            autocomplete="organization" required=true value=Signal::derive(account) error=user_error />
                        <Field id="iam-user-name" name="user_name" label="IAM user name"
                            autocomplete="username" required=true error=user_error />
                        <Field id="iam-password" name="password" label="Password" input_type="password"
                            autocomplete="current-password" required=true error=user_error />
                        <FormAlert error=user_error fields=&["account", "user_name", "password"] />
                        <button type="submit" class="primary">"Sign in"</button>
                    </ActionForm>
                </section>
            </fieldset>
        </main>
    }
}
