//! A filterable, paged check-box list (policies or users) inside a larger form.
//!
//! Without JavaScript the filter's **Search** button and the paging buttons submit the whole form
//! with `GET` to the page itself, so what was typed and checked comes back in the URL; check boxes
//! chosen on other pages travel as hidden inputs. With JavaScript the same buttons only change
//! the filter and page signals (the list filters as you type), and the selection lives in a signal.

use leptos::prelude::*;

use crate::api::groups::Choices;
use crate::components::form::ErrorSignal;
use crate::error::AppError;

/// The list's settings; `id` prefixes every element id.
#[derive(Clone, Copy)]
pub struct PickerSpec {
    pub id: &'static str,
    /// Fieldset legend, e.g. "Attach permissions policies - Optional".
    pub legend: &'static str,
    /// Check box field name, e.g. `policy_arns[]`.
    pub field: &'static str,
    /// The server function argument the errors name, e.g. `policy_arns`.
    pub error_field: &'static str,
    /// Query parameters of the filter text and of the first row shown.
    pub filter_param: &'static str,
    pub offset_param: &'static str,
    pub filter_label: &'static str,
    /// Header of the label column, then of the other columns.
    pub name_header: &'static str,
    pub headers: &'static [&'static str],
    /// The accessible name of the list of chosen values, e.g. "Selected policies".
    pub selected_label: &'static str,
    /// Shown when nothing exists at all.
    pub empty: &'static str,
    /// Shown when the filter matches nothing.
    pub no_match: &'static str,
    /// The page the Search and paging buttons load (the form's own page).
    pub page: &'static str,
    pub page_size: u32,
    /// At most this many may be chosen (counting `locked` ones), if set.
    pub max: Option<usize>,
}

#[component]
pub fn CheckboxPicker(
    spec: PickerSpec,
    /// The chosen values (policy ARNs or user names).
    selected: RwSignal<Vec<String>>,
    filter: RwSignal<String>,
    offset: RwSignal<u32>,
    choices: Resource<Result<Choices, AppError>>,
    #[prop(into)] error: ErrorSignal,
    /// Values already in place (e.g. policies attached to the group): shown checked and disabled.
    #[prop(optional, into)]
    locked: Signal<Vec<String>>,
) -> impl IntoView {
    let id = spec.id;
    let error_id = format!("{id}-error");
    let field_error = move || {
        let limit = spec.max.and_then(|max| {
            let chosen = selected.read().len() + locked.read().len();
            (chosen > max).then(|| format!("{chosen} chosen; choose at most {max}"))
        });
        error
            .get()
            .and_then(|e| e.for_field(spec.error_field))
            .or(limit)
    };
    let count = move || {
        let n = selected.read().len();
        match spec.max {
            Some(max) => format!(
                "{n} selected (at most {})",
                max - locked.read().len().min(max)
            ),
            None => format!("{n} selected"),
        }
    };
    let filter_id = format!("{id}-filter");

    view! {
        <fieldset
            class="picker"
            class:invalid=move || field_error().is_some()
            aria-describedby=move || field_error().map(|_| error_id.clone())
        >
            <legend>{spec.legend}</legend>
            <div class="picker-filter">
                <label for=filter_id.clone()>{spec.filter_label}</label>
                <input
                    type="search"
                    id=filter_id
                    name=spec.filter_param
                    value=move || Some(filter.get()).filter(|f| !f.is_empty())
                    on:input=move |ev| {
                        filter.set(event_target_value(&ev));
                        offset.set(0);
                    }
                />
                <button
                    type="submit"
                    formmethod="get"
                    formaction=spec.page
                    formnovalidate=true
                    on:click=move |ev| {
                        ev.prevent_default();
                        offset.set(0);
                    }
                >
                    "Search"
                </button>
            </div>
            <p class="hint" aria-live="polite">
                {count}
            </p>
            // What is chosen, on any page of the list.
            {move || {
                let chosen = selected.get();
                (!chosen.is_empty())
                    .then(|| {
                        view! {
                            <ul class="chosen" aria-label=spec.selected_label>
                                {chosen
                                    .into_iter()
                                    .map(|v| view! { <li>{display_name(&v).to_owned()}</li> })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
            {move || {
                field_error()
                    .map(|msg| {
                        view! {
                            <p class="field-error" id=format!("{id}-error")>
                                {msg}
                            </p>
                        }
                    })
            }}
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(page) => {
                            view! { <PickerRows spec page selected filter offset locked /> }
                                .into_any()
                        }
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
            </Transition>
        </fieldset>
    }
}

/// The name part of a policy ARN (after the last `/`); other values as they are.
fn display_name(value: &str) -> &str {
    if value.starts_with("arn:") {
        value.rsplit('/').next().unwrap_or(value)
    } else {
        value
    }
}

#[component]
fn PickerRows(
    spec: PickerSpec,
    page: Choices,
    selected: RwSignal<Vec<String>>,
    filter: RwSignal<String>,
    offset: RwSignal<u32>,
    locked: Signal<Vec<String>>,
) -> impl IntoView {
    // Choices made on other pages of the list travel as hidden inputs.
    let shown_values: Vec<String> = page.items.iter().map(|c| c.value.clone()).collect();
    let hidden = move || {
        selected
            .get()
            .into_iter()
            .filter(|v| !shown_values.contains(v))
            .map(|v| view! { <input type="hidden" name=spec.field value=v /> })
            .collect_view()
    };
    if page.items.is_empty() {
        let message = if filter.get_untracked().is_empty() && offset.get_untracked() == 0 {
            spec.empty
        } else {
            spec.no_match
        };
        return view! {
            <p class="empty">{message}</p>
            {hidden}
        }
        .into_any();
    }
    let first = offset.get_untracked();
    let shown = u32::try_from(page.items.len()).unwrap_or(u32::MAX);
    let range = format!(
        "{}-{} of {}",
        u64::from(first) + 1,
        u64::from(first) + u64::from(shown),
        page.total
    );
    let previous = (first > 0).then(|| first.saturating_sub(spec.page_size));
    let next = (u64::from(first) + u64::from(shown) < page.total).then(|| first + shown);
    let page_button = move |label: &'static str, to: Option<u32>| {
        to.map(|to| {
            view! {
                <button
                    type="submit"
                    formmethod="get"
                    formaction=spec.page
                    formnovalidate=true
                    name=spec.offset_param
                    value=to.to_string()
                    on:click=move |ev| {
                        ev.prevent_default();
                        // Read from the element: a re-rendered list may reuse this button with
                        // the handler of an earlier page.
                        if let Ok(to) = event_target_value(&ev).parse() {
                            offset.set(to);
                        }
                    }
                >
                    {label}
                </button>
            }
        })
    };
    let rows = page
        .items
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let box_id = format!("{}-{i}", spec.id);
            let value = choice.value.clone();
            let is_locked = locked.read_untracked().contains(&value);
            let checked = {
                let value = value.clone();
                move || is_locked || selected.read().contains(&value)
            };
            // The attribute for the server's HTML; the property for the browser, where a
            // re-rendered list reuses the check boxes of the previous page with their state.
            let checked_prop = checked.clone();
            // The value is read from the element: a re-rendered list reuses the check boxes of
            // the previous page, with their first handlers.
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                let value = event_target_value(&ev);
                selected.update(|s| {
                    s.retain(|v| v != &value);
                    if on {
                        s.push(value);
                    }
                });
            };
            view! {
                <tr>
                    <td class="check">
                        <input
                            type="checkbox"
                            id=box_id.clone()
                            name=(!is_locked).then_some(spec.field)
                            value=value
                            checked=checked
                            prop:checked=checked_prop
                            disabled=is_locked
                            on:change=toggle
                        />
                    </td>
                    <td>
                        <label for=box_id>{choice.label}</label>
                        {is_locked.then_some(" (attached)")}
                    </td>
                    {choice.columns.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th class="check">
                        <span class="visually-hidden">"Select"</span>
                    </th>
                    <th>{spec.name_header}</th>
                    {spec.headers.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="pager">
            <span>{range}</span>
            {page_button("Previous", previous)}
            {page_button("Next", next)}
        </div>
        {hidden}
    }
    .into_any()
}
