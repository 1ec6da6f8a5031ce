//! A labelled form field whose errors are announced and linked to it.

use leptos::prelude::*;

use crate::domain::rules::problem::Problem;

/// A text input with its label (`*` when mandatory), hint and errors. The errors are linked by
/// `aria-describedby` and flip `aria-invalid`, so a screen reader hears them with the field.
#[component]
pub fn TextField(
    /// The element id, also the field name in error lists.
    id: String,
    /// The label.
    label: String,
    /// Whether the field is mandatory.
    #[prop(optional)]
    mandatory: bool,
    /// The HTML input type (`text`, `email`, `date`, `tel`).
    #[prop(default = "text")]
    kind: &'static str,
    /// A hint under the input.
    #[prop(optional, into)]
    hint: Option<String>,
    /// The value.
    value: RwSignal<String>,
    /// The problems to show for this field.
    #[prop(into)]
    problems: Signal<Vec<Problem>>,
    /// Whether the input is read-only.
    #[prop(optional, into)]
    readonly: Signal<bool>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let has_hint = hint.is_some();
    let described = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if !problems.get().is_empty() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}{mandatory.then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}</label>
            <input
                id=id.clone()
                name=id
                type=kind
                required=mandatory
                aria-required=mandatory.to_string()
                aria-invalid=move || (!problems.get().is_empty()).to_string()
                aria-describedby=described
                readonly=move || readonly.get()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
            {hint.map(|h| view! { <p id=hint_id class="hint">{h}</p> })}
            <Show when=move || !problems.get().is_empty()>
                <div id=error_id.clone() class="field-error">
                    {move || problems.get().into_iter().map(|p| view! { <p>{format!("{} ({})", p.message, p.code)}</p> }).collect_view()}
                </div>
            </Show>
        </div>
    }
}

/// The problems among `all` that concern `field`.
pub fn on_field(all: &[Problem], field: &str) -> Vec<Problem> {
    all.iter()
        .filter(|p| p.field.as_deref() == Some(field))
        .cloned()
        .collect()
}
