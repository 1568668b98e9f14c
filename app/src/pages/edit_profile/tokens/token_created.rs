//! "Your new API token": the token, shown once, with a Copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::modal::Modal;

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// No Clipboard API (a non-secure origin) or it refused: the text is selected instead.
    Manual,
}

fn select_token_text() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Some(el), Ok(Some(selection))) = (document.get_element_by_id("new-token-value"), document.get_selection()) {
        let _ = selection.select_all_children(&el);
    }
}

#[component]
pub fn TokenCreated(
    /// The new token's name.
    name: Signal<String>,
    /// The token in plain text.
    secret: Signal<String>,
    /// Called on Done and on Escape; the token cannot be seen again after.
    on_done: Callback<()>,
) -> impl IntoView {
    let copy_state = RwSignal::new(CopyState::Idle);
    let copy = move |_| {
        let Some(window) = web_sys::window() else { return };
        let navigator = window.navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        if !has_clipboard {
            select_token_text();
            copy_state.set(CopyState::Manual);
            return;
        }
        let promise = secret.with_untracked(|text| navigator.clipboard().write_text(text));
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => copy_state.set(CopyState::Copied),
                Err(_) => {
                    select_token_text();
                    copy_state.set(CopyState::Manual);
                }
            }
        });
    };

    view! {
        <Modal labelled_by="token-created-heading" on_close=on_done>
            <h2 id="token-created-heading">"Your new API token"</h2>
            <p>
                "Copy the token " <strong>{move || name.get()}</strong> " now. "
                <strong>"You won't be able to see it again"</strong> " once you close this dialog."
            </p>
            <div class="token-value">
                <code id="new-token-value" class="token-secret" aria-label="Token value">
                    {move || secret.get()}
                </code>
                <button type="button" class="button" on:click=copy>"Copy"</button>
            </div>
            <p class="copy-status" role="status" aria-live="polite">
                {move || match copy_state.get() {
                    CopyState::Idle => "",
                    CopyState::Copied => "Copied",
                    CopyState::Manual => "The token is selected: press Ctrl+C (⌘C on a Mac) to copy it.",
                }}
            </p>
            <div class="actions-end">
                <button type="button" class="button primary" on:click=move |_| on_done.run(())>"Done"</button>
            </div>
        </Modal>
    }
}
