//! The Default source control: which of the user's groups their tokens' objects go to.

use leptos::prelude::*;

use crate::server_fns::GroupView;

#[component]
pub fn SourceSelect(
    /// The user's groups, in the order they joined them.
    groups: Vec<GroupView>,
    /// The chosen group's id, or empty for "Not set".
    value: RwSignal<String>,
    /// The server's refusal of the choice.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let not_set = match groups.first() {
        Some(first) => format!("Not set (the group you joined first: {})", first.name),
        None => "Not set".to_owned(),
    };
    view! {
        <div class="field">
            <label for="default_source">"Default source"</label>
            <select
                id="default_source"
                aria-describedby="default_source-hint"
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="">{not_set}</option>
                {groups
                    .into_iter()
                    .map(|g| view! { <option value=g.id.to_string()>{g.name}</option> })
                    .collect_view()}
            </select>
            <p class="hint-below" id="default_source-hint">
                "Entities and observables that API requests with your tokens create are attributed to this group."
            </p>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}
