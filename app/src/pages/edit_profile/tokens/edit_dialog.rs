//! "Edit API token": a token's name and description. Its value, expiry and access stay.

use leptos::prelude::*;
use leptos::{ev, html};

use super::source_field::TokenSourceField;
use crate::components::alert::FormAlert;
use crate::components::field::{TextAreaField, TextField};
use crate::components::form_errors::{FormErrors, focus_first_problem, refusal};
use crate::components::modal::Modal;
use crate::domain::{TokenDescription, TokenName};
use crate::server_fns::TokenView;
use crate::server_fns::tokens::EditToken;

#[component]
pub fn EditTokenDialog(
    token: TokenView,
    /// The section's edit action; this dialog dispatches it and reads its answer.
    action: ServerAction<EditToken>,
    on_close: Callback<()>,
    /// Called with the token as saved.
    on_saved: Callback<TokenView>,
) -> impl IntoView {
    // An answer given to an earlier dialog is not this one's.
    action.clear();
    on_cleanup(move || action.clear());

    let name = RwSignal::new(token.name.clone());
    let description = RwSignal::new(token.description.clone().unwrap_or_default());
    let source = RwSignal::new(token.source.as_ref().map(|g| g.id.to_string()).unwrap_or_default());
    let can_write = token.access.can_write();
    let pending = action.pending();
    let answers = action.value();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<html::Form>::new();
    Effect::new(move || {
        if let Some(Ok(saved)) = answers.get() {
            on_saved.run(saved);
            on_close.run(());
        } else if answers.with(|a| refusal(a).is_some()) {
            focus_first_problem(form);
        }
    });

    let server_name_error = errors.field("name");
    let name_error = Signal::derive(move || {
        server_name_error
            .get()
            .or_else(|| TokenName::parse(&name.get()).err().map(|e| e.0))
    });
    let server_description_error = errors.field("description");
    let description_error = Signal::derive(move || {
        server_description_error
            .get()
            .or_else(|| description.with(|d| TokenDescription::parse_optional(d).err().map(|e| e.0)))
    });
    let on_edit = Callback::new(move |()| action.clear());
    let id = token.id;
    let save = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if name_error.get_untracked().is_some() || description_error.get_untracked().is_some() {
            focus_first_problem(form);
            return;
        }
        action.dispatch(EditToken {
            id,
            name: name.get_untracked(),
            description: description.get_untracked(),
            source: source.get_untracked(),
        });
    };

    view! {
        <Modal labelled_by="edit-token-heading" on_close=on_close>
            <form class="dialog-form" node_ref=form on:submit=save novalidate>
                <h2 id="edit-token-heading">"Edit API token"</h2>
                <FormAlert message=errors.form()/>
                <TextField id="edit-token-name" label="Name" value=name error=name_error required=true
                    autofocus=true on_input=on_edit/>
                <TextAreaField id="edit-token-description" label="Description (optional)" value=description
                    error=description_error on_input=on_edit
                    hint="What the token is for or where it runs; at most 500 characters."/>
                {can_write.then(|| view! { <TokenSourceField id="edit-token-source" value=source error=errors.field("source")/> })}
                <p class="muted">
                    "The token's value, expiration date and access cannot be changed. "
                    "For a different expiry or access, create a new token."
                </p>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
