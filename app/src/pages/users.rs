//! `/users`: the Users page (filter and pages in the URL, served by the server, so it works
//! without JavaScript and stays fast with many users), and the user pages under it.

pub mod access_keys;
pub mod add_permissions;
pub mod create;
pub mod created;
pub mod delete;
pub mod details;
pub mod review;
pub mod wizard_form;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{details_url as group_url, query_string};
use crate::api::users::details::user_url;
use crate::api::users::{USERS_PER_PAGE, list_users};
use crate::components::datetime::format_time;
use crate::components::denied::{ErrorNotice, IfPermitted};

/// "12 days", "1 day", "Today"; "None" without a console password.
pub fn password_age(days: Option<i64>) -> String {
    match days {
        None => "None".to_owned(),
        Some(0) => "Today".to_owned(),
        Some(1) => "1 day".to_owned(),
        Some(n) => format!("{n} days"),
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("q").unwrap_or_default();
    let offset = move || {
        query
            .read()
            .get("offset")
            .and_then(|o| o.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let users = Resource::new_blocking(move || (filter(), offset()), |(q, o)| list_users(q, o));

    let deleted = move || {
        query
            .read()
            .get("deleted")
            .map(|name| format!("User {name} deleted."))
    };
    view! {
        <Title text="Users" />
        {move || deleted().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <div class="page-head">
            <h1>"Users"</h1>
            <IfPermitted allowed=|p| p.create_users>
                <a class="button primary" href="/users/create">
                    "Add users"
                </a>
            </IfPermitted>
        </div>
        <p class="hint">
            "An IAM user is an identity with long-term credentials that is used to interact with the console."
        </p>
        <form method="get" action="/users" class="toolbar" role="search" aria-label="Filter users">
            <label for="users-filter">"Filter users"</label>
            <input type="search" id="users-filter" name="q" value=move || Some(filter()).filter(|f| !f.is_empty()) />
            <button type="submit">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(page) => {
                        let q = filter();
                        let first = offset();
                        let shown = u32::try_from(page.items.len()).unwrap_or(u32::MAX);
                        let link = {
                            let q = q.clone();
                            move |label: &'static str, to: u32| {
                                let mut pairs = vec![];
                                if !q.is_empty() {
                                    pairs.push(("q", q.as_str()));
                                }
                                let to = to.to_string();
                                if to != "0" {
                                    pairs.push(("offset", to.as_str()));
                                }
                                let href = format!("/users?{}", query_string(&pairs));
                                view! { <a href=href>{label}</a> }
                            }
                        };
                        let previous = (first > 0)
                            .then(|| link("Previous page", first.saturating_sub(USERS_PER_PAGE)));
                        let next = (u64::from(first) + u64::from(shown) < page.total)
                            .then(|| link("Next page", first + shown));
                        if page.items.is_empty() {
                            let message = if q.is_empty() && first == 0 {
                                "No users yet. Choose Add users to create one."
                            } else {
                                "No users match the filter."
                            };
                            return view! { <p class="empty">{message}</p> }.into_any();
                        }
                        view! {
                            <table class="list" aria-label="Users">
                                <thead>
                                    <tr>
                                        <th>"User name"</th>
                                        <th>"Groups"</th>
                                        <th>"Last console sign-in"</th>
                                        <th>"Password age"</th>
                                        <th>"Console access"</th>
                                        <th>"Creation time"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.items.into_iter().map(user_row).collect_view()}
                                </tbody>
                            </table>
                            <div class="pager">
                                <span>
                                    {format!(
                                        "{}-{} of {}",
                                        u64::from(first) + 1,
                                        u64::from(first) + u64::from(shown),
                                        page.total,
                                    )}
                                </span>
                                {previous}
                                {next}
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn user_row(u: crate::api::users::UserRow) -> impl IntoView {
    let groups = if u.groups.is_empty() {
        view! { "None" }.into_any()
    } else {
        let last = u.groups.len() - 1;
        u.groups
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                view! {
                    <a href=group_url(&g, None, None)>{g.clone()}</a>
                    {(i < last).then_some(", ")}
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <tr>
            <td>
                <a href=user_url(&u.name, None)>{u.name.clone()}</a>
            </td>
            <td>{groups}</td>
            <td>{u.last_console_sign_in.map(format_time).unwrap_or_else(|| "Never".to_owned())}</td>
            <td>{password_age(u.password_age_days)}</td>
            <td>{if u.console_access { "Enabled" } else { "Disabled" }}</td>
            <td>{format_time(u.created_at)}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_ages() {
        assert_eq!(password_age(None), "None");
        assert_eq!(password_age(Some(0)), "Today");
        assert_eq!(password_age(Some(1)), "1 day");
        assert_eq!(password_age(Some(12)), "12 days");
    }
}
