//! `/groups`: the User groups page (filter and pages in the URL, so it works without JavaScript),
//! and the group pages under it.

pub mod attach;
pub mod create;
pub mod details;
pub mod edit;
pub mod inline;
pub mod members;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::groups::{GROUPS_PER_PAGE, details_url, list_groups, query_string};
use crate::components::datetime::format_time;
use crate::components::denied::{ErrorNotice, IfPermitted};

#[component]
pub fn GroupsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("q").unwrap_or_default();
    let offset = move || {
        query
            .read()
            .get("offset")
            .and_then(|o| o.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let groups = Resource::new_blocking(move || (filter(), offset()), |(q, o)| list_groups(q, o));
    let notice = move || {
        let q = query.read();
        if let Some(name) = q.get("created") {
            Some(format!("User group {name} created."))
        } else {
            q.get("deleted")
                .map(|name| format!("User group {name} deleted."))
        }
    };

    view! {
        <Title text="User groups" />
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <div class="page-head">
            <h1>"User groups"</h1>
            <IfPermitted allowed=|p| p.create_groups>
                <a class="button primary" href="/groups/create">
                    "Create group"
                </a>
            </IfPermitted>
        </div>
        <p class="hint">
            "A user group is a collection of IAM users. Use groups to specify permissions for a collection of users."
        </p>
        <form method="get" action="/groups" class="toolbar" role="search" aria-label="Filter user groups">
            <label for="groups-filter">"Filter user groups"</label>
            <input type="search" id="groups-filter" name="q" value=move || Some(filter()).filter(|f| !f.is_empty()) />
            <button type="submit">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
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
                                let href = format!("/groups?{}", query_string(&pairs));
                                view! { <a href=href>{label}</a> }
                            }
                        };
                        let previous = (first > 0)
                            .then(|| link("Previous page", first.saturating_sub(GROUPS_PER_PAGE)));
                        let next = (u64::from(first) + u64::from(shown) < page.total)
                            .then(|| link("Next page", first + shown));
                        if page.items.is_empty() {
                            let message = if q.is_empty() && first == 0 {
                                "No user groups yet. Choose Create group to add one."
                            } else {
                                "No user groups match the filter."
                            };
                            return view! { <p class="empty">{message}</p> }.into_any();
                        }
                        view! {
                            <table class="list" aria-label="User groups">
                                <thead>
                                    <tr>
                                        <th>"Group name"</th>
                                        <th>"Users"</th>
                                        <th>"Permissions"</th>
                                        <th>"Creation time"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|g| {
                                            view! {
                                                <tr>
                                                    <td>
                                                        <a href=details_url(&g.name, None, None)>{g.name.clone()}</a>
                                                    </td>
                                                    <td>{g.member_count}</td>
                                                    <td>{g.policy_count}</td>
                                                    <td>{format_time(g.created_at)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
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
