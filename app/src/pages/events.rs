//! `/events`: the Event history. The filter is a GET form and every page, row and download is a
//! plain link or `<details>`, so it works the same hydrated and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::events::{
    DEFAULT_TIME_RANGE, EventQuery, EventView, LOOKUP_ATTRIBUTES, TIME_RANGES, lookup_events,
};

/// The lookup the URL describes.
fn query_from_url() -> impl Fn() -> EventQuery + Copy {
    let map = use_query_map();
    move || {
        let m = map.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        EventQuery {
            attribute: get("attribute"),
            value: get("value"),
            range: get("range"),
            start: get("start"),
            end: get("end"),
            read_only: get("read_only"),
            token: get("token"),
        }
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let query = query_from_url();
    let events = Resource::new_blocking(query, lookup_events);

    view! {
        <Title text="Event history" />
        <div class="page-head">
            <h1>"Event history"</h1>
        </div>
        <p class="hint">
            "Management events and console sign-ins of the last 90 days (or the configured retention). Look up events by one attribute and a time range; times are UTC."
        </p>
        {move || view! { <FilterForm query=query() /> }}
        {move || {
            let q = query();
            let base = q.to_query_string(false);
            let sep = if base.is_empty() { "" } else { "&" };
            view! {
                <p class="downloads">
                    <a class="button" href=format!("/events/download?format=csv{sep}{base}") download="" rel="external">
                        "Download CSV"
                    </a>
                    " "
                    <a class="button" href=format!("/events/download?format=json{sep}{base}") download="" rel="external">
                        "Download JSON"
                    </a>
                </p>
            }
        }}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(list) => {
                        let q = query();
                        if list.items.is_empty() {
                            return view! { <p class="empty">"No events match the lookup."</p> }
                                .into_any();
                        }
                        let first = (!q.token.is_empty())
                            .then(|| {
                                view! { <a href=format!("/events?{}", q.to_query_string(false))>"First page"</a> }
                            });
                        let next = list
                            .next_token
                            .clone()
                            .map(|token| {
                                let next = EventQuery { token, ..q.clone() };
                                view! { <a href=format!("/events?{}", next.to_query_string(true))>"Next page"</a> }
                            });
                        view! {
                            <table class="list events" aria-label="Events">
                                <thead>
                                    <tr>
                                        <th>"Event name"</th>
                                        <th>"Event time"</th>
                                        <th>"User name"</th>
                                        <th>"Event source"</th>
                                        <th>"Resource type"</th>
                                        <th>"Resource name"</th>
                                        <th>"Error code"</th>
                                    </tr>
                                </thead>
                                <tbody>{list.items.into_iter().map(event_row).collect_view()}</tbody>
                            </table>
                            <div class="pager">{first}{next}</div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn event_row(e: EventView) -> impl IntoView {
    let types = e
        .resources
        .iter()
        .map(|r| r.resource_type.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let names = e
        .resources
        .iter()
        .map(|r| r.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let resources = (!e.resources.is_empty()).then(|| {
        view! {
            <table class="list" aria-label="Resources referenced">
                <thead>
                    <tr>
                        <th>"Resource type"</th>
                        <th>"Resource name"</th>
                    </tr>
                </thead>
                <tbody>
                    {e
                        .resources
                        .iter()
                        .map(|r| view! { <tr><td>{r.resource_type.clone()}</td><td>{r.name.clone()}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        }
    });
    view! {
        <tr>
            <td>
                <details class="event">
                    <summary>{e.event_name.clone()}</summary>
                    <h2>"Event record"</h2>
                    <pre aria-label="Event record">{e.json.clone()}</pre>
                    {resources}
                </details>
            </td>
            <td>{e.event_time}</td>
            <td>{e.user_name}</td>
            <td>{e.event_source}</td>
            <td>{types}</td>
            <td>{names}</td>
            <td>{e.error_code}</td>
        </tr>
    }
}

#[component]
fn FilterForm(query: EventQuery) -> impl IntoView {
    let range = if query.range.is_empty() {
        DEFAULT_TIME_RANGE.to_owned()
    } else {
        query.range.clone()
    };
    let custom = range == "custom";
    view! {
        <form method="get" action="/events" class="event-filter" role="search" aria-label="Look up events">
            <div class="field">
                <label for="event-attribute">"Lookup attribute"</label>
                <select id="event-attribute" name="attribute">
                    <option value="" selected=query.attribute.is_empty()>"All events"</option>
                    {LOOKUP_ATTRIBUTES
                        .iter()
                        .map(|(value, label)| {
                            view! { <option value=*value selected=query.attribute == *value>{*label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="event-value">"Lookup value"</label>
                <input type="text" id="event-value" name="value" value=query.value.clone() />
            </div>
            <div class="field">
                <label for="event-range">"Time range"</label>
                <select id="event-range" name="range">
                    {TIME_RANGES
                        .iter()
                        .map(|(value, label, _)| {
                            view! { <option value=*value selected=range == *value>{*label}</option> }
                        })
                        .collect_view()}
                    <option value="custom" selected=custom>"Custom range"</option>
                </select>
            </div>
            <div class="field">
                <label for="event-start">"Start (UTC, custom range)"</label>
                <input type="datetime-local" id="event-start" name="start" value=query.start.clone() />
            </div>
            <div class="field">
                <label for="event-end">"End (UTC, custom range)"</label>
                <input type="datetime-local" id="event-end" name="end" value=query.end.clone() />
            </div>
            <div class="field switch">
                <input type="checkbox" role="switch" id="event-read-only" name="read_only" value="true"
                    checked=query.include_read_only() />
                <label for="event-read-only">"Read-only events"</label>
            </div>
            <button type="submit" class="primary">"Look up events"</button>
        </form>
    }
}
