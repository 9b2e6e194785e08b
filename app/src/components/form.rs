//! Form pieces: labelled inputs that show their field's error, and the form-level alert.

use leptos::prelude::*;

use crate::error::AppError;

/// The latest error of a server action, as a signal-like closure.
pub type ErrorSignal = Signal<Option<AppError>>;

/// A labelled input whose error, if any, is shown under it and linked with `aria-describedby`.
#[component]
pub fn Field(
    /// The element id; also used for the error's id.
    id: &'static str,
    /// The form field (server function argument) name.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(default = false)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: ErrorSignal,
) -> impl IntoView {
    let field_error = move || error.get().and_then(|e| e.for_field(name));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if field_error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || field_error().is_some()>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                required=required
                value=move || Some(value.get()).filter(|v| !v.is_empty())
                aria-invalid=move || field_error().is_some().then_some("true")
                aria-describedby=described_by
            />
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
        </div>
    }
}

/// A form-level error (one not tied to a field), announced to screen readers.
#[component]
pub fn FormAlert(
    #[prop(into)] error: ErrorSignal,
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| !fields.iter().any(|f| e.for_field(f).is_some()))
            .map(|e| e.to_string())
    };
    view! {
        {move || {
            message()
                .map(|m| {
                    view! {
                        <p class="alert" role="alert">
                            {m}
                        </p>
                    }
                })
        }}
    }
}
