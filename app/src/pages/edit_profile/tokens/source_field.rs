//! "Source" of a token that may create: the profile default, or one of the user's groups.

use leptos::prelude::*;

use crate::components::field::{FieldError, described_by};
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
    let described = described_by(id, error, true);
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
            <FieldError id=id error=error/>
            <p class="hint" id=format!("{id}-hint")>
                "The group that entities and observables created with this token are attributed to. "
                "A token with a group of its own creates nothing while you are not in that group."
            </p>
        </div>
    }
}
