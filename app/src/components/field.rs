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
    /// Called on every keystroke, after `value` is updated.
    #[prop(optional, into)]
    on_input: Option<Callback<()>>,
) -> impl IntoView {
    let message_id = format!("{id}-error");
    let described = message_id.clone();
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
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
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
        </div>
    }
}
