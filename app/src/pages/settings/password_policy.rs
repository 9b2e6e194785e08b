//! `/settings/password-policy` (edit the custom password policy, with AWS's options and ranges) and
//! `/settings/password-policy/reset` (back to the IAM default, after confirmation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::settings::{
    MAX_AGE_RANGE, MIN_LENGTH_RANGE, PasswordPolicyView, REUSE_RANGE, ResetPasswordPolicy,
    SYMBOLS_SPACED, UpdatePasswordPolicy, account_settings,
};
use crate::components::form::{ErrorSignal, Field, FormAlert};

const FIELDS: &[&str] = &[
    "minimum_password_length",
    "max_password_age",
    "password_reuse_prevention",
];

/// What the form starts with: what a refused plain post sent back, or the policy in force.
#[derive(Clone)]
struct FormValues {
    min_length: String,
    upper: bool,
    lower: bool,
    numbers: bool,
    symbols: bool,
    allow_change: bool,
    expire: bool,
    max_age: String,
    hard_expiry: bool,
    prevent_reuse: bool,
    reuse: String,
}

impl FormValues {
    fn from_policy(p: PasswordPolicyView) -> Self {
        FormValues {
            min_length: p.minimum_password_length.to_string(),
            upper: p.require_uppercase_characters,
            lower: p.require_lowercase_characters,
            numbers: p.require_numbers,
            symbols: p.require_symbols,
            allow_change: p.allow_users_to_change_password,
            expire: p.max_password_age.is_some(),
            max_age: p.max_password_age.unwrap_or(90).to_string(),
            hard_expiry: p.hard_expiry,
            prevent_reuse: p.password_reuse_prevention.is_some(),
            reuse: p.password_reuse_prevention.unwrap_or(5).to_string(),
        }
    }
}

fn returned_values() -> Option<FormValues> {
    let query = use_query_map().get_untracked();
    if query.get("returned").as_deref() != Some("true") {
        return None;
    }
    let text = |k: &str| query.get(k).unwrap_or_default();
    let chosen = query.get_all("options[]").unwrap_or_default();
    let on = |k: &str| chosen.iter().any(|c| c == k);
    Some(FormValues {
        min_length: text("minimum_password_length"),
        upper: on("require_uppercase_characters"),
        lower: on("require_lowercase_characters"),
        numbers: on("require_numbers"),
        symbols: on("require_symbols"),
        allow_change: on("allow_users_to_change_password"),
        expire: on("expire_passwords"),
        max_age: text("max_password_age"),
        hard_expiry: on("hard_expiry"),
        prevent_reuse: on("prevent_reuse"),
        reuse: text("password_reuse_prevention"),
    })
}

/// A labelled check box of the policy's `options[]`, which submits `name` when checked.
#[component]
fn Check(
    id: &'static str,
    name: &'static str,
    #[prop(into)] label: String,
    checked: bool,
) -> impl IntoView {
    view! {
        <div class="check">
            <input type="checkbox" id=id name="options[]" value=name checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
pub fn EditPasswordPolicyPage() -> impl IntoView {
    let returned = returned_values();
    let settings = Resource::new_blocking(|| (), |_| account_settings());
    let update = ServerAction::<UpdatePasswordPolicy>::new();
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    view! {
        <Title text="Edit password policy" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/settings">"Account settings"</a>
            " › Edit password policy"
        </nav>
        <h1>"Edit password policy"</h1>
        <p class="hint">
            "The password policy sets the rules for IAM user passwords in this account. Users must meet a new policy the next time they change their password."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let returned = returned.clone();
                Suspend::new(async move {
                    let values = match (returned, settings.await) {
                        (Some(v), _) => v,
                        (None, Ok(s)) => FormValues::from_policy(s.policy.unwrap_or_default()),
                        (None, Err(e)) => {
                            return view! {
                                <p class="alert" role="alert">
                                    {e.to_string()}
                                </p>
                            }
                                .into_any();
                        }
                    };
                    view! { <PolicyForm values action=update error /> }.into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn PolicyForm(
    values: FormValues,
    action: ServerAction<UpdatePasswordPolicy>,
    error: ErrorSignal,
) -> impl IntoView {
    let v = values;
    view! {
        <ActionForm action attr:aria-label="Edit password policy" attr:class="wide-form">
            <section class="panel">
                <Field
                    id="policy-min-length"
                    name="minimum_password_length"
                    label="Password minimum length"
                    input_type="number"
                    value=v.min_length
                    required=true
                    error=error
                    hint=format!(
                        "Enforce a minimum length of characters. Needs to be between {} and {}.",
                        MIN_LENGTH_RANGE.0,
                        MIN_LENGTH_RANGE.1,
                    )
                />
                <fieldset class="checks">
                    <legend>"Password strength"</legend>
                    <Check
                        id="policy-upper"
                        name="require_uppercase_characters"
                        label="Require at least one uppercase letter from the Latin alphabet (A-Z)"
                        checked=v.upper
                    />
                    <Check
                        id="policy-lower"
                        name="require_lowercase_characters"
                        label="Require at least one lowercase letter from the Latin alphabet (a-z)"
                        checked=v.lower
                    />
                    <Check
                        id="policy-numbers"
                        name="require_numbers"
                        label="Require at least one number (0-9)"
                        checked=v.numbers
                    />
                    <Check
                        id="policy-symbols"
                        name="require_symbols"
                        label=format!(
                            "Require at least one non-alphanumeric character ({SYMBOLS_SPACED})",
                        )
                        checked=v.symbols
                    />
                </fieldset>
                <fieldset class="checks">
                    <legend>"Other requirements"</legend>
                    <Check
                        id="policy-expire"
                        name="expire_passwords"
                        label="Enable password expiration"
                        checked=v.expire
                    />
                    <div class="nested">
                        <Field
                            id="policy-max-age"
                            name="max_password_age"
                            label="Expiration period in days"
                            input_type="number"
                            value=v.max_age
                            error=error
                            hint=format!(
                                "Used when password expiration is enabled. Needs to be between {} and {} days.",
                                MAX_AGE_RANGE.0,
                                "1,095",
                            )
                        />
                    </div>
                    <Check
                        id="policy-hard-expiry"
                        name="hard_expiry"
                        label="Password expiration requires administrator reset"
                        checked=v.hard_expiry
                    />
                    <Check
                        id="policy-allow-change"
                        name="allow_users_to_change_password"
                        label="Allow users to change their own password"
                        checked=v.allow_change
                    />
                    <Check
                        id="policy-prevent-reuse"
                        name="prevent_reuse"
                        label="Prevent password reuse"
                        checked=v.prevent_reuse
                    />
                    <div class="nested">
                        <Field
                            id="policy-reuse"
                            name="password_reuse_prevention"
                            label="Number of passwords to remember"
                            input_type="number"
                            value=v.reuse
                            error=error
                            hint=format!(
                                "Used when password reuse is prevented. Needs to be between {} and {}.",
                                REUSE_RANGE.0,
                                REUSE_RANGE.1,
                            )
                        />
                    </div>
                </fieldset>
                <p class="hint">
                    "Every new password is also refused when it is one of the 10,000 most common passwords or the same as the user name."
                </p>
            </section>
            <FormAlert error=error fields=FIELDS />
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
}

#[component]
pub fn ResetPasswordPolicyPage() -> impl IntoView {
    let reset = ServerAction::<ResetPasswordPolicy>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    view! {
        <Title text="Reset password policy" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/settings">"Account settings"</a>
            " › Reset password policy"
        </nav>
        <h1>"Reset the password policy to the IAM default?"</h1>
        <p>
            "The custom password policy is deleted. IAM user passwords then need at least 8 characters and three of the four character types (uppercase letters, lowercase letters, numbers and non-alphanumeric characters), and no longer expire or have their reuse checked."
        </p>
        <ActionForm action=reset attr:aria-label="Reset password policy" attr:class="panel narrow-form">
            <FormAlert error=error fields=&[] />
            <div class="form-actions">
                <a class="button" href="/settings">
                    "Cancel"
                </a>
                <button type="submit" class="primary danger">
                    "Reset to default"
                </button>
            </div>
        </ActionForm>
    }
}
