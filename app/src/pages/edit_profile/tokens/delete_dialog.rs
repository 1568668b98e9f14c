//! Confirms deleting a token; confirming revokes it at once.

use leptos::prelude::*;

use crate::components::alert::FormAlert;
use crate::components::form_errors::FormErrors;
use crate::components::modal::Modal;
use crate::error::AppError;
use crate::server_fns::TokenView;
use crate::server_fns::tokens::DeleteToken;

#[component]
pub fn DeleteTokenDialog(
    token: TokenView,
    /// The section's delete action; this dialog dispatches it and reads its answer.
    action: ServerAction<DeleteToken>,
    on_close: Callback<()>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    // An answer given to an earlier dialog is not this one's.
    action.clear();
    on_cleanup(move || action.clear());

    let pending = action.pending();
    let answers = action.value();
    // A token that is already gone counts as deleted.
    Effect::new(move || {
        if answers.with(|a| matches!(a, Some(Ok(()) | Err(AppError::NotFound(_))))) {
            on_deleted.run(());
            on_close.run(());
        }
    });
    let error = FormErrors::from_answers(answers).any();
    let id = token.id;
    let confirm = move |_| {
        action.dispatch(DeleteToken { id });
    };

    view! {
        <Modal labelled_by="delete-token-heading" on_close=on_close>
            <h2 id="delete-token-heading">"Delete API token?"</h2>
            <p>
                "Scripts and integrations using " <strong>{token.name.clone()}</strong>
                " will stop working immediately. This cannot be undone."
            </p>
            <FormAlert message=error/>
            <div class="actions-end">
                <button type="button" class="button" autofocus on:click=move |_| on_close.run(())>"Cancel"</button>
                <button type="button" class="button danger-solid" disabled=move || pending.get() on:click=confirm>
                    {move || if pending.get() { "Deleting…" } else { "Delete token" }}
                </button>
            </div>
        </Modal>
    }
}
