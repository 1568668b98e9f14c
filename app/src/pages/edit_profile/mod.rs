//! `/profile/edit`: "Edit your profile": display name and email, and the API tokens section.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

mod tokens;

use crate::components::field::TextField;
use crate::domain::{DisplayName, Email};
use crate::error::AppError;
use crate::server_fns::profile::{set_default_source, update_profile};
use crate::shell::Auth;
use tokens::TokensSection;

#[component]
pub fn EditProfilePage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let current = auth.user.get_untracked();
    let display_name = RwSignal::new(current.as_ref().map(|u| u.display_name.clone()).unwrap_or_default());
    let email = RwSignal::new(current.as_ref().and_then(|u| u.email.clone()).unwrap_or_default());
    let saved_source = current
        .as_ref()
        .and_then(|u| u.default_source.as_ref())
        .map(|g| g.id.to_string())
        .unwrap_or_default();
    let default_source = RwSignal::new(saved_source.clone());
    let groups = current.as_ref().map(|u| u.groups.clone()).unwrap_or_default();
    let first_group = groups.first().map(|g| g.name.clone());
    let touched = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let server_error = RwSignal::new(None::<AppError>);

    let name_error = Signal::derive(move || {
        server_error
            .with(|e| {
                e.as_ref()
                    .filter(|e| e.field() == Some("display_name"))
                    .map(ToString::to_string)
            })
            .or_else(|| {
                touched
                    .get()
                    .then(|| DisplayName::parse(&display_name.get()).err().map(|e| e.0))
                    .flatten()
            })
    });
    let email_error = Signal::derive(move || {
        server_error
            .with(|e| {
                e.as_ref()
                    .filter(|e| e.field() == Some("email"))
                    .map(ToString::to_string)
            })
            .or_else(|| {
                let value = email.get();
                (touched.get() && !value.trim().is_empty())
                    .then(|| Email::parse(&value).err().map(|e| e.0))
                    .flatten()
            })
    });
    let source_error = move || {
        server_error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some("default_source"))
                .map(ToString::to_string)
        })
    };
    let form_error = move || server_error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(ToString::to_string));
    let on_edit = Callback::new(move |()| {
        touched.set(true);
        server_error.set(None);
    });

    let submit = {
        let navigate = navigate.clone();
        move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            touched.set(true);
            if pending.get_untracked() || name_error.get_untracked().is_some() || email_error.get_untracked().is_some()
            {
                return;
            }
            pending.set(true);
            let navigate = navigate.clone();
            let (name, mail) = (display_name.get_untracked(), email.get_untracked());
            let source = default_source.get_untracked();
            let source_changed = source != saved_source;
            spawn_local(async move {
                let mut result = update_profile(name, mail).await;
                if result.is_ok() && source_changed {
                    result = set_default_source(source).await;
                }
                match result {
                    Ok(user) => {
                        auth.user.set(Some(user));
                        navigate("/profile", Default::default());
                    }
                    Err(AppError::Unauthenticated) => auth.user.set(None),
                    Err(e) => server_error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };

    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h1 id="edit-heading">"Edit your profile"</h1>
            <form class="profile-form" on:submit=submit novalidate>
                <Show when=move || form_error().is_some()>
                    <p class="alert" role="alert">{form_error}</p>
                </Show>
                <TextField id="display_name" label="Display name" value=display_name error=name_error
                    autocomplete="name" required=true on_input=on_edit/>
                <TextField id="email" label="Email" value=email error=email_error kind="email"
                    autocomplete="email" on_input=on_edit/>
                <div class="field">
                    <label for="default_source">"Default source"</label>
                    <select
                        id="default_source"
                        aria-describedby="default_source-hint"
                        prop:value=move || default_source.get()
                        on:change=move |ev| default_source.set(event_target_value(&ev))
                    >
                        <option value="">
                            {match &first_group {
                                Some(name) => format!("Not set (the group you joined first: {name})"),
                                None => "Not set".to_owned(),
                            }}
                        </option>
                        {groups
                            .iter()
                            .map(|g| view! { <option value=g.id.to_string()>{g.name.clone()}</option> })
                            .collect_view()}
                    </select>
                    <p class="hint-below" id="default_source-hint">
                        "Entities and observables that API requests with your tokens create are attributed to this group."
                    </p>
                    <Show when=move || source_error().is_some()>
                        <p class="field-error">{source_error}</p>
                    </Show>
                </div>
                <div class="actions-end">
                    <a class="button" href="/profile">"Cancel"</a>
                    <button class="button primary" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </section>
        <TokensSection/>
    }
}
