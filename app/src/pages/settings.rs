//! `/settings`: Account settings, with the password policy for IAM users and the account alias
//! (the pages that edit them are under it).

pub mod alias;
pub mod password_policy;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::settings::{AccountSettingsView, PasswordPolicyView, account_settings};
use crate::components::denied::ErrorNotice;

#[component]
pub fn AccountSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let settings = Resource::new_blocking(|| (), |_| account_settings());
    let notice = move || {
        let text = match query.read().get("notice").as_deref() {
            Some("policy-updated") => "Password policy updated.",
            Some("policy-reset") => "The password policy is reset to the IAM default.",
            Some("alias-saved") => "Account alias saved.",
            Some("alias-deleted") => "Account alias deleted.",
            _ => return None,
        };
        Some(view! { <p class="notice" role="status">{text}</p> })
    };
    view! {
        <Title text="Account settings" />
        {notice}
        <h1>"Account settings"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => {
                        view! {
                            <PasswordPolicyPanel settings=s.clone() />
                            <AliasPanel settings=s />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The options that `PasswordRequirements::descriptions` does not list.
fn other_rules(policy: &PasswordPolicyView) -> Vec<&'static str> {
    let mut lines = vec![if policy.allow_users_to_change_password {
        "users can change their own password"
    } else {
        "users cannot change their own password (an administrator resets it)"
    }];
    if policy.hard_expiry {
        lines.push("an expired password needs an administrator reset");
    }
    lines
}

#[component]
fn PasswordPolicyPanel(settings: AccountSettingsView) -> impl IntoView {
    let custom = settings.policy.is_some();
    let mut rules: Vec<String> = settings.rules.clone();
    if let Some(policy) = &settings.policy {
        rules.extend(other_rules(policy).into_iter().map(str::to_owned));
    }
    view! {
        <section class="panel" aria-labelledby="policy-heading">
            <div class="section-head">
                <h2 id="policy-heading">"Password policy"</h2>
                <a class="button" href="/settings/password-policy">
                    "Edit"
                </a>
                {custom
                    .then(|| {
                        view! {
                            <a class="button" href="/settings/password-policy/reset">
                                "Reset to default"
                            </a>
                        }
                    })}
            </div>
            <p data-testid="policy-kind">
                {if custom {
                    "This account uses a custom password policy. IAM user passwords must have:"
                } else {
                    "This account uses the IAM default password policy: at least 8 characters and three of the four character types. IAM user passwords must have:"
                }}
            </p>
            <ul aria-label="Password policy rules">
                {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            <p class="hint">
                "Whatever the policy, a new password is always refused when it is one of the 10,000 most common passwords or the same as the user name. The policy does not apply to the root user."
            </p>
        </section>
    }
}

#[component]
fn AliasPanel(settings: AccountSettingsView) -> impl IntoView {
    let has_alias = settings.account_alias.is_some();
    view! {
        <section class="panel" aria-labelledby="alias-heading">
            <div class="section-head">
                <h2 id="alias-heading">"Account alias"</h2>
                <a class="button" href="/settings/alias">
                    {if has_alias { "Edit" } else { "Create" }}
                </a>
                {has_alias
                    .then(|| {
                        view! {
                            <a class="button danger" href="/settings/alias/delete">
                                "Delete"
                            </a>
                        }
                    })}
            </div>
            <p class="hint">
                "An alias is a friendly name for the account that IAM users can type instead of the account ID, and that the sign-in URL uses."
            </p>
            <dl class="facts">
                <dt>"Account ID"</dt>
                <dd data-testid="account-id">{settings.account_id}</dd>
                <dt>"Account alias"</dt>
                <dd data-testid="account-alias">
                    {settings.account_alias.unwrap_or_else(|| "None".to_owned())}
                </dd>
                <dt>"Sign-in URL for IAM users in this account"</dt>
                <dd>
                    <code data-testid="sign-in-url">{settings.sign_in_url}</code>
                </dd>
            </dl>
        </section>
    }
}
