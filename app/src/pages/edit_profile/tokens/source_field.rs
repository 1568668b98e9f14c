//! "Source" of a token that may create: the profile default, or one of the user's groups.

use leptos::prelude::*;

use crate::contexts::auth::Auth;

#[component]
pub fn TokenSourceField(
    /// The control's id (and the base of its hint's and message's ids).
    id: &'static str,
    /// The chosen group's id, or empty for the profile default.
    value: RwSignal<String>,
    /// The refusal of the choice, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let user = Auth::expect().user();
    let hint_id = format!("{id}-hint");
    let message_id = format!("{id}-error");
    let described = {
        let (hint_id, message_id) = (hint_id.clone(), message_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{message_id} {hint_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    // "Profile default (now: SOC Analysts)": what the default means at this moment.
    let default_label = move || {
        let now = user.with(|u| {
            u.as_ref()
                .and_then(|u| u.effective_source.as_ref().map(|g| g.name.clone()))
        });
        match now {
            Some(name) => format!("Profile default (now: {name})"),
            None => "Profile default (now: none, you are in no group)".to_owned(),
        }
    };
    let groups = move || user.with(|u| u.as_ref().map(|u| u.groups.clone()).unwrap_or_default());
    view! {
        <div class="field">
            <label for=id>"Source"</label>
            <select
                id=id
                aria-describedby=described
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="">{default_label}</option>
                {move || {
                    groups()
                        .into_iter()
                        .map(|g| view! { <option value=g.id.to_string()>{g.name}</option> })
                        .collect_view()
                }}
            </select>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=message_id.clone()>{move || error.get().unwrap_or_default()}</p>
            </Show>
            <p class="hint" id=hint_id>
                "The group that entities and observables created with this token are attributed to. "
                "A token with a group of its own creates nothing while you are not in that group."
            </p>
        </div>
    }
}
