//! The profile form of Edit your profile: display name and email are saved first, then the
//! default source when it changed; then back to My profile.

use leptos::prelude::*;
use leptos::{ev, html};

use super::source_select::SourceSelect;
use crate::components::alert::FormAlert;
use crate::components::field::TextField;
use crate::components::form_errors::{FormErrors, focus_first_problem, refusal};
use crate::contexts::auth::Auth;
use crate::domain::{DisplayName, Email};
use crate::router::Router;
use crate::server_fns::UserView;
use crate::server_fns::profile::{SetDefaultSource, UpdateProfile};

#[component]
pub fn ProfileForm() -> impl IntoView {
    let auth = Auth::expect();
    let current = auth.user().get_untracked();
    let display_name = RwSignal::new(current.as_ref().map(|u| u.display_name.clone()).unwrap_or_default());
    let email = RwSignal::new(current.as_ref().and_then(|u| u.email.clone()).unwrap_or_default());
    let saved_source = current
        .as_ref()
        .and_then(|u| u.default_source.as_ref())
        .map(|g| g.id.to_string())
        .unwrap_or_default();
    let default_source = RwSignal::new(saved_source.clone());
    let groups = current.map(|u| u.groups).unwrap_or_default();
    let touched = RwSignal::new(false);

    let update = ServerAction::<UpdateProfile>::new();
    let set_source = ServerAction::<SetDefaultSource>::new();
    let (updated, source_set) = (update.value(), set_source.value());
    auth.watch(updated);
    auth.watch(source_set);
    let (updating, setting_source) = (update.pending(), set_source.pending());
    let saving = Signal::derive(move || updating.get() || setting_source.get());
    // The group to save once the profile is saved, when the choice changed.
    let source_to_save = StoredValue::new(None::<String>);

    // Saved: the new profile is the signed-in user's, and My profile shows it.
    let done = {
        let router = Router::expect();
        move |user: UserView| {
            auth.set_signed_in(user);
            router.go("/profile");
        }
    };
    Effect::new(move || {
        let Some(Ok(user)) = updated.get() else { return };
        match source_to_save.get_value() {
            Some(group_id) => {
                set_source.dispatch(SetDefaultSource { group_id });
            }
            None => done(user),
        }
    });
    Effect::new(move || {
        if let Some(Ok(user)) = source_set.get() {
            done(user);
        }
    });

    let errors = FormErrors::new(Signal::derive(move || {
        updated.with(refusal).or_else(|| source_set.with(refusal))
    }));
    let form = NodeRef::<html::Form>::new();
    Effect::new(move || {
        if updated.with(|a| refusal(a).is_some()) || source_set.with(|a| refusal(a).is_some()) {
            focus_first_problem(form);
        }
    });
    let server_name_error = errors.field("display_name");
    let name_error = Signal::derive(move || {
        server_name_error.get().or_else(|| {
            touched
                .get()
                .then(|| DisplayName::parse(&display_name.get()).err().map(|e| e.0))
                .flatten()
        })
    });
    let server_email_error = errors.field("email");
    let email_error = Signal::derive(move || {
        server_email_error.get().or_else(|| {
            let value = email.get();
            (touched.get() && !value.trim().is_empty())
                .then(|| Email::parse(&value).err().map(|e| e.0))
                .flatten()
        })
    });
    let on_edit = Callback::new(move |()| {
        touched.set(true);
        update.clear();
        set_source.clear();
    });

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if saving.get_untracked() {
            return;
        }
        if name_error.get_untracked().is_some() || email_error.get_untracked().is_some() {
            focus_first_problem(form);
            return;
        }
        let source = default_source.get_untracked();
        source_to_save.set_value((source != saved_source).then_some(source));
        update.dispatch(UpdateProfile {
            display_name: display_name.get_untracked(),
            email: email.get_untracked(),
        });
    };

    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h1 id="edit-heading">"Edit your profile"</h1>
            <form class="profile-form" node_ref=form on:submit=submit novalidate>
                <FormAlert message=errors.form()/>
                <TextField id="display_name" label="Display name" value=display_name error=name_error
                    autocomplete="name" required=true on_input=on_edit/>
                <TextField id="email" label="Email" value=email error=email_error kind="email"
                    autocomplete="email" on_input=on_edit/>
                <SourceSelect groups=groups value=default_source error=errors.field("default_source")/>
                <div class="actions-end">
                    <a class="button" href="/profile">"Cancel"</a>
                    <button class="button primary" type="submit" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
