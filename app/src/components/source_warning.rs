//! The warning shown when no default source is set: where objects will go instead.

use leptos::prelude::*;

use crate::server_fns::UserView;

/// The warning's text for a user, if one applies.
pub fn source_warning(user: &UserView) -> Option<String> {
    if user.default_source.is_some() {
        return None;
    }
    Some(match &user.effective_source {
        Some(group) => format!(
            "No default source set — objects created with your tokens are attributed to {}",
            group.name
        ),
        None => "No default source set — you belong to no group, so requests made with your tokens cannot create \
                 objects. Ask an administrator to add you to a group."
            .to_owned(),
    })
}

#[component]
pub fn SourceWarning(
    /// The signed-in user, whose default source the warning is about.
    #[prop(into)]
    user: Signal<Option<UserView>>,
) -> impl IntoView {
    let text = move || user.with(|u| u.as_ref().and_then(source_warning));
    view! {
        <Show when=move || text().is_some()>
            <p class="warning" role="note">{text}</p>
        </Show>
    }
}
