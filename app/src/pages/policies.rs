//! `/policies`: the Policies table (AWS and customer managed), filtered and paged on the server
//! through a plain GET form, so it works the same without JavaScript.

pub mod create;
pub mod create_draft;
pub mod details;
pub mod edit;
pub mod generate;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use policy::catalog::PolicySummary;

use crate::api::policies::{PolicyList, list_policies, url_encode};
use crate::components::denied::{ErrorNotice, IfPermitted};

/// Formats seconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC` (the same text on the server
/// and in the browser).
pub fn format_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// A time, or a dash when there is none.
pub fn time_or_dash(secs: Option<i64>) -> String {
    secs.map(format_time).unwrap_or_else(|| "-".to_owned())
}

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let q = use_query_map();
    let query = move || q.read().get("query").unwrap_or_default();
    let policy_type = move || q.read().get("type").unwrap_or_else(|| "all".to_owned());
    let page = move || {
        q.read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let notice = move || {
        let q = q.read();
        if let Some(name) = q.get("created") {
            Some(format!("Policy {name} created."))
        } else {
            q.get("deleted")
                .map(|name| format!("Policy {name} deleted."))
        }
    };
    let data = Resource::new_blocking(
        move || (query(), policy_type(), page()),
        |(query, policy_type, page)| list_policies(query, policy_type, page),
    );

    view! {
        <Title text="Policies" />
        <div class="page-header">
            <h1>"Policies"</h1>
            <IfPermitted allowed=|p| p.create_policies>
                <a class="button primary" href="/policies/create">
                    "Create policy"
                </a>
            </IfPermitted>
        </div>
        {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <form method="get" action="/policies" class="filters" role="search" aria-label="Filter policies">
            <div class="field">
                <label for="policy-filter">"Filter policies by name"</label>
                <input id="policy-filter" name="query" type="search" value=query />
            </div>
            <div class="field">
                <label for="policy-type">"Type"</label>
                <select id="policy-type" name="type">
                    <option value="all" selected=move || policy_type() == "all">
                        "All types"
                    </option>
                    <option value="aws" selected=move || policy_type() == "aws">
                        "AWS managed"
                    </option>
                    <option value="customer" selected=move || policy_type() == "customer">
                        "Customer managed"
                    </option>
                </select>
            </div>
            <button type="submit">"Apply filters"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => policy_table(list, query(), policy_type()).into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn policy_table(list: PolicyList, query: String, policy_type: String) -> impl IntoView {
    let PolicyList {
        items,
        total,
        page,
        page_size,
    } = list;
    let first = u64::from(page - 1) * u64::from(page_size) + 1;
    let last = (first + items.len() as u64).saturating_sub(1);
    let pages = total.div_ceil(u64::from(page_size)).max(1);
    let href = move |p: u64| {
        format!(
            "/policies?query={}&type={}&page={p}",
            url_encode(&query),
            url_encode(&policy_type)
        )
    };
    let previous = (page > 1).then(|| href(u64::from(page) - 1));
    let next = (u64::from(page) < pages).then(|| href(u64::from(page) + 1));
    view! {
        <table class="table policies">
            <caption>
                {if total == 0 {
                    "No policies match the filter.".to_owned()
                } else {
                    format!("Policies {first}-{last} of {total}")
                }}
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Policy name"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Used as"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col">"Creation time"</th>
                </tr>
            </thead>
            <tbody>
                {items
                    .into_iter()
                    .map(|p| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <a href=format!("/policies/details?arn={}", url_encode(&p.arn))>{p.name}</a>
                                </th>
                                <td>{if p.aws_managed { "AWS managed" } else { "Customer managed" }}</td>
                                <td>
                                    {if p.attachment_count == 0 {
                                        "None".to_owned()
                                    } else {
                                        format!("Permissions policy ({})", p.attachment_count)
                                    }}
                                </td>
                                <td>{p.description.unwrap_or_default()}</td>
                                <td>{time_or_dash(p.created_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <nav class="pagination" aria-label="Pages">
            {previous.map(|h| view! { <a href=h rel="prev">"Previous page"</a> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {next.map(|h| view! { <a href=h rel="next">"Next page"</a> })}
        </nav>
    }
}

/// The IAM console's policy summary: per service, the access level, resources and conditions.
#[component]
pub fn PolicySummaryTable(summary: PolicySummary) -> impl IntoView {
    let PolicySummary {
        allowed,
        denied,
        unrecognized_actions,
    } = summary;
    let section = |title: &'static str, services: Vec<policy::catalog::ServiceSummary>| {
        (!services.is_empty()).then(|| {
            let count = services.len();
            view! {
                <table class="table summary">
                    <caption>{format!("{title} ({count} services)")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Access level"</th>
                            <th scope="col">"Resource"</th>
                            <th scope="col">"Request condition"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {services
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <th scope="row">{s.name}</th>
                                        <td>{s.access}</td>
                                        <td>{s.resources}</td>
                                        <td>
                                            {if s.conditions.is_empty() {
                                                "None".to_owned()
                                            } else {
                                                s.conditions.join(", ")
                                            }}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        })
    };
    let unrecognized = (!unrecognized_actions.is_empty()).then(|| {
        view! {
            <p class="hint">
                "Actions that match no known service action: " {unrecognized_actions.join(", ")}
            </p>
        }
    });
    view! {
        <div class="policy-summary">
            {section("Allow", allowed)} {section("Deny", denied)} {unrecognized}
        </div>
    }
}

/// The summary of a document, when it parses.
pub fn summarize(document: &str) -> Option<PolicySummary> {
    policy::parse(document)
        .ok()
        .map(|d| policy::catalog::summarize(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_formatted_in_utc() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(1_795_866_708), "2026-11-28 11:51 UTC");
        assert_eq!(time_or_dash(None), "-");
    }
}
