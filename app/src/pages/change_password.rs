//! `/change-password?redirect=…`: an IAM user chooses a new password. A user whose password must
//! be changed (set by an administrator, or expired) is sent here after signing in and cannot leave
//! until the change succeeds; other users come from the top bar when the policy allows it.
//!
//! A page of its own, outside the console frame: after the change the console is loaded afresh.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignOut;
use crate::api::password::{ChangePassword, PasswordChangeInfo, password_change_context};
use crate::components::form::{ErrorSignal, Field, FormAlert};

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let context = Resource::new_blocking(|| (), |_| password_change_context());
    let change = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <Title text="Change password" />
        <main class="standalone change-password">
            <h1>"Change password"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match context.await {
                        Ok(c) if c.user_name.is_none() => {
                            view! {
                                <p>
                                    "This page changes an IAM user's password. The root user's password is not changed here. "
                                    <a href="/">"Go to the dashboard"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(c) if !c.allowed => {
                            view! {
                                <p class="alert" role="alert">
                                    "The account password policy does not allow users to change their own password; ask an administrator to reset it. "
                                    <a href="/">"Go to the dashboard"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(c) => view! { <ChangePasswordForm context=c action=change error /> }.into_any(),
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
            <ActionForm action=sign_out attr:class="signout-link">
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </main>
    }
}

#[component]
fn ChangePasswordForm(
    context: PasswordChangeInfo,
    action: ServerAction<ChangePassword>,
    error: ErrorSignal,
) -> impl IntoView {
    let query = use_query_map();
    let redirect = move || {
        query
            .read()
            .get("redirect")
            .unwrap_or_else(|| "/".to_owned())
    };
    let account = match &context.account_alias {
        Some(alias) => format!("{alias} ({})", context.account_id),
        None => context.account_id.clone(),
    };
    view! {
        {context
            .required
            .then(|| {
                view! {
                    <p class="notice" role="status">
                        "You must change your password to continue."
                    </p>
                }
            })}
        <dl class="facts">
            <dt>"Account"</dt>
            <dd>{account}</dd>
            <dt>"IAM user name"</dt>
            <dd data-testid="user-name">{context.user_name.clone()}</dd>
        </dl>
        <ActionForm action attr:aria-label="Change password">
            <input type="hidden" name="redirect" value=redirect />
            <Field id="old-password" name="old_password" label="Current password" input_type="password"
                autocomplete="current-password" required=true error=error />
            <Field id="new-password" name="new_password" label="New password" input_type="password"
                autocomplete="new-password" required=true error=error />
            <Field id="confirm-password" name="confirm_password" label="Confirm new password"
                input_type="password" autocomplete="new-password" required=true error=error />
            <section class="password-rules" aria-labelledby="password-rules-heading">
                <h2 id="password-rules-heading">"Password requirements"</h2>
                <ul>{context.rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </section>
            <FormAlert error=error fields=&["old_password", "new_password", "confirm_password"] />
            <div class="form-actions">
                {(!context.required).then(|| view! { <a class="button" href=redirect>"Cancel"</a> })}
                <button type="submit" class="primary">"Change password"</button>
            </div>
        </ActionForm>
    }
}
