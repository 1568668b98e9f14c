//! A labelled text input with its validation message, wired for screen readers.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id (and the base of its message's id).
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The message under the input, when the value is refused.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    /// Advice shown under the input and read with it by screen readers.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Called on every keystroke, after `value` is updated.
    #[prop(optional, into)]
    on_input: Option<Callback<()>>,
) -> impl IntoView {
    let message_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // The error first, so a screen reader says what is wrong before the general advice.
    let described = {
        let (message_id, hint_id) = (message_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [
                error.with(Option::is_some).then_some(message_id.as_str()),
                hint.map(|_| hint_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                prop:value=move || value.get()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(cb) = on_input {
                        cb.run(());
                    }
                }
            />
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=message_id.clone()>{move || error.get().unwrap_or_default()}</p>
            </Show>
            {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
        </div>
    }
}

/// A labelled multi-line input with its validation message and a hint, wired like
/// [`TextField`].
#[component]
pub fn TextAreaField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Advice shown under the input and read with it by screen readers.
    hint: &'static str,
    #[prop(default = 3)] rows: u32,
    /// Called on every keystroke, after `value` is updated.
    #[prop(optional, into)]
    on_input: Option<Callback<()>>,
) -> impl IntoView {
    let message_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (message_id, hint_id) = (message_id.clone(), hint_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{message_id} {hint_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                name=id
                rows=rows
                prop:value=move || value.get()
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(cb) = on_input {
                        cb.run(());
                    }
                }
            ></textarea>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=message_id.clone()>{move || error.get().unwrap_or_default()}</p>
            </Show>
            <p class="hint" id=hint_id>{hint}</p>
        </div>
    }
}
