//! A labelled text input with its validation message, wired for screen readers.

use leptos::prelude::*;

/// What a control's `aria-describedby` names: its error message (`ID-error`) while there is
/// one, first, so a screen reader says what is wrong before the general advice; then its hint
/// (`ID-hint`) when it has one.
pub fn described_by(
    id: &'static str,
    error: Signal<Option<String>>,
    has_hint: bool,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let ids: Vec<String> = [
            error.with(Option::is_some).then(|| format!("{id}-error")),
            has_hint.then(|| format!("{id}-hint")),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A control's error message, under it, with the id [`described_by`] names.
#[component]
pub fn FieldError(id: &'static str, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="field-error" id=format!("{id}-error")>{move || error.get().unwrap_or_default()}</p>
        </Show>
    }
}

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
    let described = described_by(id, error, hint.is_some());
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
            <FieldError id=id error=error/>
            {hint.map(|text| view! { <p class="hint" id=format!("{id}-hint")>{text}</p> })}
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
    let described = described_by(id, error, true);
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
            <FieldError id=id error=error/>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
        </div>
    }
}
