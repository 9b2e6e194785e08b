//! `/users/created?batch=<id>`: the Retrieve password page after **Create users**.
//!
//! The passwords come from the server's one-time store (`ssr::one_time`), which gives them out
//! once: reloading, or coming back later, finds them gone. Everything works without JavaScript
//! (`<details>` shows a password, the CSV is a `data:` link); with JavaScript there are also copy
//! buttons. The email link carries the user name and the sign-in URL, never the password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::url_encode;
use crate::api::users::{RetrievedBatch, RetrievedUser, take_created_users};

/// The CSV AWS gives: `User name,Password,Console sign-in URL`, one row per user with console
/// access.
pub fn credentials_csv(batch: &RetrievedBatch) -> String {
    let mut csv = String::from("User name,Password,Console sign-in URL\n");
    for u in batch.users.iter().filter(|u| u.console_access) {
        let password = u.password.clone().unwrap_or_default();
        csv.push_str(&format!(
            "{},{},{}\n",
            csv_field(&u.name),
            csv_field(&password),
            csv_field(&batch.sign_in_url)
        ));
    }
    csv
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// A `mailto:` link with sign-in instructions for `user`: user name and sign-in URL only.
pub fn mailto(user: &str, sign_in_url: &str) -> String {
    let to = if user.contains('@') {
        url_encode(user).replace("%40", "@")
    } else {
        String::new()
    };
    let subject = "Your Portcullis console sign-in";
    let body = format!(
        "Hello,\n\nYou can now sign in to the Portcullis console.\n\nConsole sign-in URL: {sign_in_url}\nUser name: {user}\n\nYour administrator gives you your password separately."
    );
    format!(
        "mailto:{to}?subject={}&body={}",
        url_encode(subject),
        url_encode(&body)
    )
}

/// Copies `text` to the clipboard (browser only).
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::js_sys::{Function, Reflect};
    let Ok(navigator) = Reflect::get(&window(), &JsValue::from_str("navigator")) else {
        return;
    };
    let Ok(clipboard) = Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return;
    };
    if let Ok(write) = Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        && let Ok(write) = write.dyn_into::<Function>()
    {
        let _ = write.call1(&clipboard, &JsValue::from_str(text));
    }
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: &str) {}

#[component]
pub fn CreatedUsersPage() -> impl IntoView {
    let q = use_query_map();
    let batch_id = move || q.read().get("batch").unwrap_or_default();
    let batch = Resource::new_blocking(batch_id, |id| async move {
        match id.is_empty() {
            true => Ok(None),
            false => take_created_users(id).await,
        }
    });
    // The passwords must not outlive the page in the browser's caches (nor come back with Back).
    #[cfg(feature = "ssr")]
    crate::ssr::one_time::no_store();
    // Copy buttons need JavaScript: they appear once the page is hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title text="Retrieve password" />
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <a href="/users">"Users"</a>
            " › Retrieve password"
        </nav>
        <h1>"Retrieve password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match batch.await {
                    Ok(Some(batch)) => {
                        let reset = q.read().get("for").as_deref() == Some("password");
                        passwords_view(batch, reset, hydrated).into_any()
                    }
                    Ok(None) => gone().into_any(),
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn gone() -> impl IntoView {
    view! {
        <section class="panel" aria-label="Passwords no longer available">
            <p role="status">"The passwords are no longer available."</p>
            <p>
                "Passwords are shown only once, right after the users are created: the console keeps only a one-way (argon2id) hash of each password, so nobody can see them again."
            </p>
            <p>
                "If a user did not get their password, give them a new one: reset the user's console password, and choose to require a new password at the next sign-in."
            </p>
            <p>
                <a href="/users">"Go to Users"</a>
            </p>
        </section>
    }
}

fn passwords_view(batch: RetrievedBatch, reset: bool, hydrated: RwSignal<bool>) -> impl IntoView {
    let csv = credentials_csv(&batch);
    let csv_href = format!("data:text/csv;charset=utf-8,{}", url_encode(&csv));
    let count = batch.users.len();
    let status = match (reset, batch.users.first()) {
        (true, Some(u)) => format!("You set a new console password for {}.", u.name),
        _ => format!(
            "You successfully created {count} {}.",
            if count == 1 { "user" } else { "users" },
        ),
    };
    let sign_in_url = batch.sign_in_url.clone();
    let rows = batch
        .users
        .into_iter()
        .map(|u| user_row(u, sign_in_url.clone(), hydrated))
        .collect_view();
    view! {
        <p class="notice" role="status">{status}</p>
        <section class="panel" aria-label="Console sign-in details">
            <p>
                "This is the only time you can view and download these passwords. After you leave this page, nobody can see them again. Deliver them to the users securely, and give them the console sign-in URL and their user names separately."
            </p>
            <p>
                "Console sign-in URL: " <a href=sign_in_url.clone() data-testid="sign-in-url">{sign_in_url.clone()}</a>
            </p>
            <p>
                <a class="button" href=csv_href download="credentials.csv">"Download .csv"</a>
            </p>
            <table class="list" aria-label="Created users">
                <thead>
                    <tr>
                        <th>"User name"</th>
                        <th>"Password"</th>
                        <th>"Email sign-in instructions"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p>
                <a href="/users">"Return to users list"</a>
            </p>
        </section>
    }
}

fn user_row(u: RetrievedUser, sign_in_url: String, hydrated: RwSignal<bool>) -> impl IntoView {
    let name = u.name.clone();
    let password = match (u.console_access, u.password) {
        (false, _) => view! { "No console access" }.into_any(),
        (true, None) => view! { "Custom password (not shown)" }.into_any(),
        (true, Some(p)) => {
            let copy = p.clone();
            let label = format!("Copy password of {name}");
            view! {
                <details class="password">
                    <summary aria-label=format!("Show password of {name}")>"Show"</summary>
                    <code class="secret">{p}</code>
                </details>
                {move || {
                    let copy = copy.clone();
                    hydrated
                        .get()
                        .then(|| {
                            view! {
                                <button type="button" class="copy" aria-label=label.clone()
                                    on:click=move |_| copy_to_clipboard(&copy)>
                                    "Copy"
                                </button>
                            }
                        })
                }}
            }
            .into_any()
        }
    };
    let email = mailto(&u.name, &sign_in_url);
    view! {
        <tr>
            <td>{u.name.clone()}</td>
            <td>{password}</td>
            <td>
                <a href=email aria-label=format!("Email sign-in instructions to {}", u.name)>
                    "Email sign-in instructions"
                </a>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> RetrievedBatch {
        RetrievedBatch {
            sign_in_url: "http://127.0.0.1:3000/signin/123456789012".into(),
            users: vec![
                RetrievedUser {
                    name: "mary.major@examplecorp.com".into(),
                    console_access: true,
                    password: Some("Ab3$Ab3$Ab3$Ab3$Ab3$".into()),
                },
                RetrievedUser {
                    name: "robot".into(),
                    console_access: false,
                    password: None,
                },
            ],
        }
    }

    #[test]
    fn the_csv_has_aws_columns_and_console_users() {
        assert_eq!(
            credentials_csv(&batch()),
            "User name,Password,Console sign-in URL\nmary.major@examplecorp.com,Ab3$Ab3$Ab3$Ab3$Ab3$,http://127.0.0.1:3000/signin/123456789012\n"
        );
        assert_eq!(csv_field("a,\"b"), "\"a,\"\"b\"");
    }

    #[test]
    fn the_email_link_has_no_password() {
        let link = mailto(
            "mary.major@examplecorp.com",
            "http://127.0.0.1:3000/signin/123456789012",
        );
        assert!(link.starts_with("mailto:mary.major@examplecorp.com?subject="));
        assert!(link.contains("123456789012"));
        assert!(!link.contains("Ab3"));
        assert!(!link.to_lowercase().contains("password%3a"));
    }
}
