//! A form's message that belongs to no single field, announced when it appears.

use leptos::prelude::*;

/// Shows `message`, when there is one, as an alert.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.with(Option::is_some)>
            // Focusable from script only: a refused form moves focus here.
            <p class="alert" role="alert" tabindex="-1">{move || message.get()}</p>
        </Show>
    }
}
