//! The JSON policy editor: a labelled, monospace textarea with line numbers, where Tab inserts
//! spaces, and the validation findings of the `policy` crate under it.
//!
//! Findings are computed where the component renders: on the server for the first page (and for
//! every page without JavaScript), then in the browser on every keystroke, from the same crate.
//! Clicking a finding puts the cursor on the element it is about.
//!
//! ```ignore
//! let document = RwSignal::new(String::new());
//! view! { <PolicyEditor id="policy-document" name="document" label="Policy editor" value=document error=error /> }
//! ```
//! The textarea is an ordinary form field called `name`, so the enclosing form (an `ActionForm` or
//! a plain `<form>`) submits the document with the rest of its fields.

use leptos::prelude::*;
use policy::validate::{Finding, FindingType, Validation};

use crate::components::form::ErrorSignal;
use crate::raw_text::textarea_text;

/// Spaces inserted by the Tab key.
const INDENT: &str = "  ";

/// A policy document editor with line numbers and live findings.
#[component]
pub fn PolicyEditor(
    /// The textarea's element id (the findings list uses `{id}-findings`).
    id: &'static str,
    /// The form field name the document is submitted as.
    name: &'static str,
    /// The visible label of the textarea.
    label: &'static str,
    /// The document text; the editor writes every change to it.
    value: RwSignal<String>,
    /// A server error; its message for the field `name` is shown under the editor.
    #[prop(optional, into)]
    error: Option<ErrorSignal>,
    /// Number of visible text rows.
    #[prop(default = 24)]
    rows: u32,
) -> impl IntoView {
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let gutter = NodeRef::<leptos::html::Pre>::new();
    let validation = Memo::new(move |_| policy::validate::validate(&value.read()));
    let line_numbers = move || {
        let lines = value.with(|v| v.split('\n').count());
        (1..=lines)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let field_error = move || error.and_then(|e| e.get()).and_then(|e| e.for_field(name));
    let error_id = format!("{id}-error");
    let findings_id = format!("{id}-findings");
    let described_by = {
        let (error_id, findings_id) = (error_id.clone(), findings_id.clone());
        move || {
            let mut ids = vec![findings_id.clone()];
            if field_error().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    // Escape, then Tab, leaves the editor (so keyboard users are not trapped in it).
    let escaped = StoredValue::new(false);

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            escaped.set_value(true);
            return;
        }
        if ev.key() != "Tab" || ev.shift_key() || ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
            escaped.set_value(false);
            return;
        }
        if escaped.get_value() {
            escaped.set_value(false);
            return;
        }
        ev.prevent_default();
        if let Some(el) = textarea.get_untracked() {
            let text = el.value();
            let start = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            let end = el.selection_end().ok().flatten().unwrap_or(0) as usize;
            let (start_byte, end_byte) = (
                utf16_to_byte(&text, start),
                utf16_to_byte(&text, end.max(start)),
            );
            let mut next = String::with_capacity(text.len() + INDENT.len());
            next.push_str(&text[..start_byte]);
            next.push_str(INDENT);
            next.push_str(&text[end_byte..]);
            el.set_value(&next);
            let caret = (start + INDENT.len()) as u32;
            let _ = el.set_selection_range(caret, caret);
            value.set(next);
        }
    };
    let on_scroll = move |_| {
        if let (Some(el), Some(g)) = (textarea.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(el.scroll_top());
        }
    };
    let go_to = move |finding: &Finding| {
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let text = el.value();
        let span = finding.location.span;
        let start = byte_to_utf16(&text, span.start.offset);
        let end = byte_to_utf16(&text, span.end.offset);
        let _ = el.focus();
        let _ = el.set_selection_range(start, end);
        // Bring the line into view: lines are of equal height in the monospace textarea.
        let lines = text.split('\n').count().max(1) as i32;
        let line_height = el.scroll_height() / lines;
        let target = (span.start.line as i32 - 1) * line_height - el.client_height() / 3;
        el.set_scroll_top(target.max(0));
        if let Some(g) = gutter.get_untracked() {
            g.set_scroll_top(el.scroll_top());
        }
    };

    view! {
        <div class="policy-editor" class:invalid=move || field_error().is_some()>
            <label for=id>{label}</label>
            <div class="editor-frame">
                <pre class="editor-gutter" aria-hidden="true" node_ref=gutter>
                    {line_numbers}
                </pre>
                <textarea
                    id=id
                    name=name
                    class="code editor-text"
                    rows=rows
                    wrap="off"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    aria-describedby=described_by
                    aria-invalid=move || field_error().is_some().then_some("true")
                    node_ref=textarea
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:keydown=on_keydown
                    on:scroll=on_scroll
                >
                    {textarea_text(value.get_untracked())}
                </textarea>
            </div>
            <p class="hint">"Tab inserts two spaces; press Escape, then Tab, to leave the editor."</p>
            {move || {
                field_error()
                    .map(|msg| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                {msg}
                            </p>
                        }
                    })
            }}
            <PolicyFindings id=findings_id validation=validation.into() on_select=go_to />
        </div>
    }
}

/// The findings of a validation, grouped as Errors, Security warnings, Warnings and Suggestions.
/// Each is a button (when `on_select` is given) that reports the finding it shows.
#[component]
pub fn PolicyFindings(
    /// The list's element id.
    #[prop(into)]
    id: String,
    validation: Signal<Validation>,
    /// Called with the finding the person clicked.
    on_select: impl Fn(&Finding) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    const GROUPS: [(FindingType, &str); 4] = [
        (FindingType::Error, "Errors"),
        (FindingType::SecurityWarning, "Security warnings"),
        (FindingType::Warning, "Warnings"),
        (FindingType::Suggestion, "Suggestions"),
    ];
    let count = move |t: FindingType| validation.with(|v| v.of_type(t).count());
    view! {
        <section class="findings" id=id aria-label="Policy validation" aria-live="polite">
            <p class="findings-counts">
                {GROUPS
                    .iter()
                    .map(|(t, label)| {
                        let t = *t;
                        view! {
                            <span class=format!("count count-{}", class_of(t))>
                                {*label} ": " {move || count(t)}
                            </span>
                        }
                    })
                    .collect_view()}
            </p>
            {GROUPS
                .iter()
                .map(|(t, label)| {
                    let t = *t;
                    let items = move || validation.with(|v| v.of_type(t).cloned().collect::<Vec<_>>());
                    view! {
                        <Show when=move || { count(t) > 0 }>
                            <h3 class=format!("findings-heading {}", class_of(t))>
                                {*label} " (" {move || count(t)} ")"
                            </h3>
                            <ul class=format!("finding-list {}", class_of(t))>
                                {move || {
                                    items()
                                        .into_iter()
                                        .map(|f| {
                                            let start = f.location.span.start;
                                            let position = format!("Ln {}, Col {}", start.line, start.column);
                                            let text = f.message.clone();
                                            let code = f.issue_code.clone();
                                            let finding = f.clone();
                                            view! {
                                                <li>
                                                    <button
                                                        type="button"
                                                        class="finding"
                                                        title="Go to this place in the policy"
                                                        on:click=move |_| on_select(&finding)
                                                    >
                                                        <span class="finding-position">{position}</span>
                                                        " "
                                                        <span class="finding-message">{text}</span>
                                                        " "
                                                        <span class="finding-code">{code}</span>
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </ul>
                        </Show>
                    }
                })
                .collect_view()}
        </section>
    }
}

fn class_of(t: FindingType) -> &'static str {
    match t {
        FindingType::Error => "error",
        FindingType::SecurityWarning => "security-warning",
        FindingType::Warning => "warning",
        FindingType::Suggestion => "suggestion",
    }
}

/// The byte offset of the UTF-16 index `index` in `text` (the textarea counts UTF-16 units).
fn utf16_to_byte(text: &str, index: usize) -> usize {
    let mut units = 0;
    for (byte, ch) in text.char_indices() {
        if units >= index {
            return byte;
        }
        units += ch.len_utf16();
    }
    text.len()
}

/// The UTF-16 index of the byte offset `offset` in `text`.
fn byte_to_utf16(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let prefix = text.get(..offset).unwrap_or(text);
    prefix.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_between_utf8_and_utf16() {
        let text = "a€b😀c";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 2), 4);
        assert_eq!(utf16_to_byte(text, 3), 5);
        assert_eq!(utf16_to_byte(text, 5), 9);
        assert_eq!(utf16_to_byte(text, 99), text.len());
        assert_eq!(byte_to_utf16(text, 4), 2);
        assert_eq!(byte_to_utf16(text, 9), 5);
    }
}
