//! The Access Advisor tab of user, group and policy details: the services the entity's policies
//! allow and when they were last accessed. The filter is a set of links (`&filter=`) and each
//! accessed service opens its action-level report in a `<details>`, so it all works without
//! JavaScript. Group and policy reports add how many users accessed each service and action while
//! the group or policy applied to them ("Members accessed", "Entities accessed"). Groups and
//! policies also offer "Generate a policy from access activity" (a GET
//! form to `/policies/generate`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::access_advisor::{
    DEFAULT_PERIOD, EntityKind, PERIODS, ServiceRow, service_last_accessed,
};
use crate::components::datetime::format_time;
use crate::error::AppError;

/// Which services the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFilter {
    All,
    Accessed,
    NotAccessed,
}

impl AccessFilter {
    /// From the `filter` query parameter; anything else is `All`.
    pub fn parse(value: Option<&str>) -> AccessFilter {
        match value {
            Some("accessed") => AccessFilter::Accessed,
            Some("not-accessed") => AccessFilter::NotAccessed,
            _ => AccessFilter::All,
        }
    }

    fn keeps(self, row: &ServiceRow) -> bool {
        match self {
            AccessFilter::All => true,
            AccessFilter::Accessed => row.last_accessed_at.is_some(),
            AccessFilter::NotAccessed => row.last_accessed_at.is_none(),
        }
    }
}

/// A customer managed policy a proposal can be generated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateTarget {
    pub name: String,
    pub arn: String,
}

/// The report behind the tab.
pub type AdvisorReport = Resource<Result<Vec<ServiceRow>, AppError>>;

/// The report of the entity `id` names (the user or group name, or the policy ARN; `None` while
/// another tab is open). A page makes it at its top level, outside its `Suspense`: a resource made
/// inside the tab was made again each time the page's `Suspense` ran, and each copy was fetched
/// and serialized into the HTML (up to three copies of a 220 KiB report).
pub fn advisor_report(
    kind: EntityKind,
    id: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> AdvisorReport {
    Resource::new_blocking(id, move |id| async move {
        match id {
            Some(id) => service_last_accessed(kind, id).await,
            None => Ok(Vec::new()),
        }
    })
}

/// The Access Advisor tab; the `filter` query parameter chooses the rows.
#[component]
pub fn AccessAdvisor(
    kind: EntityKind,
    /// From [`advisor_report`], made by the page.
    report: AdvisorReport,
    /// The tab's own address, without the filter (e.g. `/groups/details?name=x&tab=access-advisor`).
    base_url: String,
    /// The policies "Generate a policy" can reduce (customer managed); empty: not offered.
    #[prop(optional)]
    targets: Vec<GenerateTarget>,
) -> impl IntoView {
    let grouped = kind != EntityKind::User;
    let count = count_column(kind);
    let query = use_query_map();
    let filter = Memo::new(move |_| AccessFilter::parse(query.read().get("filter").as_deref()));
    let filters = [
        (AccessFilter::All, "all", "All"),
        (AccessFilter::Accessed, "accessed", "Accessed"),
        (AccessFilter::NotAccessed, "not-accessed", "Not accessed"),
    ]
    .into_iter()
    .map(|(f, key, label)| {
        // `try_get`: leaving the tab disposes the memo while the route's new query still
        // reaches these closures once; they then render nothing instead of panicking.
        let current = move || filter.try_get() == Some(f);
        view! {
            <a href=format!("{base_url}&filter={key}") class:selected=current aria-current=move || current().then_some("page")>
                {label}
            </a>
        }
    })
    .collect_view();
    let generate = (kind != EntityKind::User).then(|| generate_form(kind, targets));
    view! {
        <section class="panel" aria-labelledby="access-advisor-heading">
            <h2 id="access-advisor-heading">"Access Advisor"</h2>
            <p class="hint">
                "The services this entity's policies allow, and when they were last accessed. Attempts count whether they were allowed or denied. The tracking period is 400 days."
                {count.map(|c| format!(" {} {}", c.0, c.1))}
            </p>
            <nav class="tabs filter" aria-label="Filter services">{filters}</nav>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(rows) => {
                            view! {
                                {move || {
                                    filter
                                        .try_get()
                                        .map(|f| services_table(rows.clone(), f, grouped, count))
                                }}
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        {generate}
    }
}

/// The count column of a group's or policy's report: its heading and what it counts.
fn count_column(kind: EntityKind) -> Option<(&'static str, &'static str)> {
    match kind {
        EntityKind::User => None,
        EntityKind::Group => Some((
            "Members accessed",
            "counts the users who tried the service while in the group, including any who have left.",
        )),
        EntityKind::Policy => Some((
            "Entities accessed",
            "counts the users who tried the service while the policy applied to them, directly or through a group.",
        )),
    }
}

fn services_table(
    rows: Vec<ServiceRow>,
    filter: AccessFilter,
    grouped: bool,
    count: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let count_heading = count.map(|(heading, _)| heading);
    let rows: Vec<ServiceRow> = rows.into_iter().filter(|r| filter.keeps(r)).collect();
    if rows.is_empty() {
        return view! { <p class="empty">"No services match the filter."</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|s| {
            let last = match (&s.last_accessed_at, &s.last_accessed_ago) {
                (Some(at), Some(ago)) => {
                    let by = s
                        .last_accessed_by
                        .as_ref()
                        .filter(|_| grouped)
                        .map(|u| format!(" by {u}"))
                        .unwrap_or_default();
                    view! { <span title=format_time(*at)>{format!("{ago}{by}")}</span> }.into_any()
                }
                _ => "Not accessed in the tracking period".into_any(),
            };
            let service_cell = if s.actions.is_empty() {
                view! { {s.service_name.clone()} }.into_any()
            } else {
                let actions = s.actions.clone();
                let label = format!("Actions of {}", s.service_name);
                view! {
                    <details>
                        <summary>{s.service_name.clone()}</summary>
                        <table class="list" aria-label=label>
                            <thead>
                                <tr>
                                    <th scope="col">"Action"</th>
                                    <th scope="col">"Last accessed"</th>
                                    <th scope="col">"Result"</th>
                                    <th scope="col">"Attempts"</th>
                                    {count_heading.map(|h| view! { <th scope="col">{h}</th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {actions
                                    .into_iter()
                                    .map(|a| {
                                        let by = format!("{} by {}", a.last_accessed_ago, a.last_accessed_by);
                                        view! {
                                            <tr>
                                                <td><code>{a.action}</code></td>
                                                <td title=format_time(a.last_accessed_at)>{by}</td>
                                                <td>{if a.allowed { "Allowed" } else { "Denied" }}</td>
                                                <td>{a.attempts}</td>
                                                {count_heading.map(|_| view! { <td>{a.entities_accessed}</td> })}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </details>
                }
                .into_any()
            };
            view! {
                <tr>
                    <th scope="row" data-service=s.service.clone()>{service_cell}</th>
                    <td>{s.policies.join(", ")}</td>
                    <td>{last}</td>
                    {count_heading.map(|_| view! { <td>{s.entities_accessed}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list" aria-label="Services">
            <thead>
                <tr>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Policies granting permissions"</th>
                    <th scope="col">"Last accessed"</th>
                    {count_heading.map(|h| view! { <th scope="col">{h}</th> })}
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

/// "Generate a policy from access activity": choose the policy (for a group), the period and the
/// granularity; a GET form, so the choices travel in the address.
fn generate_form(kind: EntityKind, targets: Vec<GenerateTarget>) -> AnyView {
    if targets.is_empty() {
        let reason = if kind == EntityKind::Group {
            "This group has no customer managed policy to reduce. Attach one, or create a policy from an AWS managed one first."
        } else {
            "Only customer managed policies can be generated from access activity."
        };
        return view! {
            <section class="panel" aria-labelledby="generate-heading">
                <h2 id="generate-heading">"Generate a policy from access activity"</h2>
                <p class="hint">{reason}</p>
            </section>
        }
        .into_any();
    }
    let choice = if kind == EntityKind::Group {
        view! {
            <div class="field">
                <label for="generate-policy">"Policy to reduce"</label>
                <select id="generate-policy" name="arn">
                    {targets
                        .into_iter()
                        .map(|t| view! { <option value=t.arn>{t.name}</option> })
                        .collect_view()}
                </select>
            </div>
        }
        .into_any()
    } else {
        let arn = targets
            .into_iter()
            .next()
            .map(|t| t.arn)
            .unwrap_or_default();
        view! { <input type="hidden" name="arn" value=arn /> }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="generate-heading">
            <h2 id="generate-heading">"Generate a policy from access activity"</h2>
            <p class="hint">
                "Proposes a new version that allows only what was used in the period, keeping the statements it cannot judge. You review and edit it before saving."
            </p>
            <form method="get" action="/policies/generate" class="inline-form" aria-label="Generate a policy">
                {choice}
                <PeriodAndGranularity period=DEFAULT_PERIOD by_action=false />
                <button type="submit">"Generate policy"</button>
            </form>
        </section>
    }
    .into_any()
}

/// The period select and the Services/Actions choice, shared by the tab and the generate page.
#[component]
pub fn PeriodAndGranularity(period: u32, by_action: bool) -> impl IntoView {
    view! {
        <div class="field">
            <label for="generate-period">"Access activity period"</label>
            <select id="generate-period" name="period">
                {PERIODS
                    .into_iter()
                    .map(|d| {
                        view! { <option value=d.to_string() selected=d == period>{format!("{d} days")}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
        <fieldset class="field">
            <legend>"Allow"</legend>
            <div>
                <input type="radio" id="granularity-services" name="granularity" value="services" checked=!by_action />
                <label for="granularity-services">"Services used"</label>
            </div>
            <div>
                <input type="radio" id="granularity-actions" name="granularity" value="actions" checked=by_action />
                <label for="granularity-actions">"Actions used"</label>
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_show_everything() {
        assert_eq!(
            AccessFilter::parse(Some("accessed")),
            AccessFilter::Accessed
        );
        assert_eq!(
            AccessFilter::parse(Some("not-accessed")),
            AccessFilter::NotAccessed
        );
        assert_eq!(AccessFilter::parse(Some("x")), AccessFilter::All);
        assert_eq!(AccessFilter::parse(None), AccessFilter::All);
    }
}
