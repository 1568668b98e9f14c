//! "Change password" in Edit your profile: the current password, the new one twice. Every
//! other session of the user ends; this one goes on.

use leptos::prelude::*;
use leptos::{ev, html};

use crate::components::alert::FormAlert;
use crate::components::field::TextField;
use crate::components::form_errors::{FormErrors, focus_first_problem, refusal};
use crate::contexts::auth::Auth;
use crate::domain::NewPassword;
use crate::server_fns::profile::ChangePassword;

#[component]
pub fn PasswordForm(
    /// Called once the password was changed (every other session has ended).
    #[prop(optional)]
    on_changed: Option<Callback<()>>,
) -> impl IntoView {
    let auth = Auth::expect();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let action = ServerAction::<ChangePassword>::new();
    let answers = action.value();
    auth.watch(answers);
    let pending = action.pending();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<html::Form>::new();
    let done = RwSignal::new(false);
    Effect::new(move || {
        if answers.with(|a| matches!(a, Some(Ok(())))) {
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
            touched.set(false);
            done.set(true);
            if let Some(on_changed) = on_changed {
                on_changed.run(());
            }
        } else if answers.with(|a| refusal(a).is_some()) {
            focus_first_problem(form);
        }
    });

    let server_new_error = errors.field("new_password");
    let new_error = Signal::derive(move || {
        server_new_error.get().or_else(|| {
            (touched.get() && !new.with(String::is_empty))
                .then(|| NewPassword::parse(new.get()).err().map(|e| e.0))
                .flatten()
        })
    });
    let server_confirm_error = errors.field("confirm_password");
    let confirm_error = Signal::derive(move || {
        server_confirm_error.get().or_else(|| {
            (touched.get() && !confirm.with(String::is_empty) && confirm.get() != new.get())
                .then(|| "The two new passwords differ: type the same new password twice.".to_owned())
        })
    });
    let on_edit = Callback::new(move |()| {
        touched.set(true);
        done.set(false);
        action.clear();
    });

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if pending.get_untracked() {
            return;
        }
        if new_error.get_untracked().is_some() || confirm_error.get_untracked().is_some() {
            focus_first_problem(form);
            return;
        }
        action.dispatch(ChangePassword {
            current_password: current.get_untracked().into(),
            new_password: new.get_untracked().into(),
            confirm_password: confirm.get_untracked().into(),
        });
    };

    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <form node_ref=form on:submit=submit novalidate>
                <FormAlert message=errors.form()/>
                <TextField id="current_password" label="Current password" value=current
                    error=errors.field("current_password") kind="password" autocomplete="current-password"
                    required=true on_input=on_edit/>
                <TextField id="new_password" label="New password" value=new error=new_error kind="password"
                    autocomplete="new-password" required=true on_input=on_edit
                    hint="At least 12 characters. Other places where you are signed in are signed out."/>
                <TextField id="confirm_password" label="Confirm new password" value=confirm error=confirm_error
                    kind="password" autocomplete="new-password" required=true on_input=on_edit/>
                <p class="muted" role="status">
                    {move || done.get().then_some("Your password was changed. You were signed out everywhere else.")}
                </p>
                <div class="actions-end">
                    <button class="button primary" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { "Changing…" } else { "Change password" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
