//! Confirms "Sign out everywhere else": every other session ends at once; this one goes on.

use leptos::prelude::*;

use crate::components::alert::FormAlert;
use crate::components::form_errors::FormErrors;
use crate::components::modal::Modal;
use crate::server_fns::sessions::SignOutOtherSessions;

/// "1 other session", "3 other sessions".
pub fn other_sessions(n: u64) -> String {
    format!("{n} other session{}", if n == 1 { "" } else { "s" })
}

#[component]
pub fn SignOutOthersDialog(
    /// How many other sessions the list shows.
    others: u64,
    /// The section's action; this dialog dispatches it and reads its answer.
    action: ServerAction<SignOutOtherSessions>,
    on_close: Callback<()>,
) -> impl IntoView {
    // An answer given to an earlier dialog is not this one's.
    action.clear();
    let pending = action.pending();
    let answers = action.value();
    Effect::new(move || {
        if answers.with(|a| matches!(a, Some(Ok(_)))) {
            on_close.run(());
        }
    });
    let error = FormErrors::from_answers(answers).any();
    let confirm = move |_| {
        action.dispatch(SignOutOtherSessions {});
    };

    view! {
        <Modal labelled_by="sign-out-others-heading" on_close=on_close>
            <h2 id="sign-out-others-heading">"Sign out everywhere else?"</h2>
            <p>
                "This ends " <strong>{other_sessions(others)}</strong>
                ": every browser where you are signed in, except this one, has to sign in again. "
                "API tokens keep working."
            </p>
            <FormAlert message=error/>
            <div class="actions-end">
                <button type="button" class="button" autofocus on:click=move |_| on_close.run(())>"Cancel"</button>
                <button type="button" class="button danger-solid" disabled=move || pending.get() on:click=confirm>
                    {move || if pending.get() { "Signing out…" } else { "Sign out everywhere else" }}
                </button>
            </div>
        </Modal>
    }
}
