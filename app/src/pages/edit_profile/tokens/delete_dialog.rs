//! Confirms deleting a token; confirming revokes it at once.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::modal::Modal;
use crate::error::AppError;
use crate::server_fns::TokenView;
use crate::server_fns::tokens::delete_token;

#[component]
pub fn DeleteTokenDialog(token: TokenView, on_close: Callback<()>, on_deleted: Callback<()>) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let id = token.id;
    let confirm = move |_| {
        pending.set(true);
        spawn_local(async move {
            match delete_token(id).await {
                Ok(()) | Err(AppError::NotFound(_)) => {
                    on_deleted.run(());
                    on_close.run(());
                }
                Err(e) => {
                    error.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <Modal labelled_by="delete-token-heading" on_close=on_close>
            <h2 id="delete-token-heading">"Delete API token?"</h2>
            <p>
                "Scripts and integrations using " <strong>{token.name.clone()}</strong>
                " will stop working immediately. This cannot be undone."
            </p>
            <Show when=move || error.with(Option::is_some)>
                <p class="alert" role="alert">{move || error.get().map(|e| e.to_string())}</p>
            </Show>
            <div class="actions-end">
                <button type="button" class="button" autofocus on:click=move |_| on_close.run(())>"Cancel"</button>
                <button type="button" class="button danger-solid" disabled=move || pending.get() on:click=confirm>
                    {move || if pending.get() { "Deleting…" } else { "Delete token" }}
                </button>
            </div>
        </Modal>
    }
}
