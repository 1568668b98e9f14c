//! "Confirm your password": asked before a sensitive action when the password was last
//! entered more than an hour ago ("sudo mode").

use leptos::prelude::*;
use leptos::{ev, html};

use crate::components::alert::FormAlert;
use crate::components::field::TextField;
use crate::components::form_errors::{FormErrors, focus_first_problem};
use crate::components::modal::Modal;
use crate::domain::SignInPassword;

#[component]
pub fn ConfirmPasswordDialog(
    /// Whether a confirmation is on its way to the server.
    #[prop(into)]
    pending: Signal<bool>,
    /// The server's refusal of the last confirmation (a wrong password, too many attempts).
    errors: FormErrors,
    /// Called with the password typed, once it is not empty.
    on_confirm: Callback<String>,
    /// Called on Cancel and on Escape.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    // "Enter your password." before any round trip, so an empty try is never counted.
    let empty = RwSignal::new(None::<String>);
    let server_error = errors.field("password");
    let error = Signal::derive(move || empty.get().or_else(|| server_error.get()));
    let form = NodeRef::<html::Form>::new();
    errors.focus_on_refusal(form);

    let confirm = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        match SignInPassword::parse(password.get_untracked()) {
            Ok(_) => {
                empty.set(None);
                on_confirm.run(password.get_untracked());
            }
            Err(e) => {
                empty.set(Some(e.0));
                focus_first_problem(form);
            }
        }
    };
    let on_input = Callback::new(move |()| empty.set(None));

    view! {
        <Modal labelled_by="confirm-password-heading" on_close=on_cancel>
            <form class="dialog-form" node_ref=form on:submit=confirm novalidate>
                <h2 id="confirm-password-heading">"Confirm your password"</h2>
                <FormAlert message=errors.form()/>
                <p>
                    "You're about to do something sensitive. Enter your password to continue; "
                    "you won't be asked again for an hour."
                </p>
                <TextField id="sudo-password" label="Password" value=password error=error kind="password"
                    autocomplete="current-password" required=true autofocus=true on_input=on_input/>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Confirming…" } else { "Confirm password" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
