//! "Create new API token", then the one-time confirmation that shows the token.
//!
//! The plaintext is only in the create action's answer while this dialog is open: closing
//! the dialog clears that answer and removes the component, so the token is kept nowhere
//! else (no storage, URL or history).

use leptos::prelude::*;

use super::create_form::CreateTokenForm;
use super::token_created::{TokenCreated, new_value_answer};
use crate::server_fns::tokens::CreateToken;

#[component]
pub fn CreateTokenDialog(
    /// The section's create action; this dialog dispatches it and owns its answer.
    action: ServerAction<CreateToken>,
    on_close: Callback<()>,
) -> impl IntoView {
    let (created, answer, finish) = new_value_answer(action, on_close);

    view! {
        <Show
            when=move || created.get()
            fallback=move || view! { <CreateTokenForm action=action on_close=on_close/> }
        >
            <TokenCreated created=answer on_done=finish/>
        </Show>
    }
}
