//! "Your new API token": the token, shown once, with a Copy button; after a rotation, also
//! when the replaced value stops working.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast as _;

use crate::components::modal::Modal;
use crate::dates::exact_local;
use crate::server_fns::CreatedToken;

/// What a dialog that ends in "Your new API token" needs from its action (creating or
/// rotating a token): whether the new value came, the answer, and a close that forgets it.
/// An answer given to an earlier dialog is not this one's, and this one's dies with it.
pub fn new_value_answer<S>(
    action: ServerAction<S>,
    on_close: Callback<()>,
) -> (Memo<bool>, Signal<Option<CreatedToken>>, Callback<()>)
where
    S: leptos::server_fn::ServerFn<Output = CreatedToken, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    action.clear();
    on_cleanup(move || action.clear());
    let answers = action.value();
    let arrived = Memo::new(move |_| answers.with(|a| matches!(a, Some(Ok(_)))));
    let answer = Signal::derive(move || answers.with(|a| a.clone().and_then(Result::ok)));
    let finish = Callback::new(move |()| {
        on_close.run(());
        action.clear();
    });
    (arrived, answer, finish)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// The curl example, not the token, was copied.
    ExampleCopied,
    /// No Clipboard API (a non-secure origin) or it refused: the text is selected instead.
    Manual,
}

/// How long "Copied" stays before the status empties again.
const COPIED_FOR: Duration = Duration::from_secs(4);

/// Focuses the token's field and selects all of it, for copying by hand.
fn select_token_text() {
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("new-token-value"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
        field.select();
    }
}

#[component]
pub fn TokenCreated(
    /// The answer to creating or rotating the token (none while it has not come).
    created: Signal<Option<CreatedToken>>,
    /// Called on Done and on Escape; the token cannot be seen again after.
    on_done: Callback<()>,
) -> impl IntoView {
    let name = move || created.with(|c| c.as_ref().map(|c| c.token.name.clone()).unwrap_or_default());
    let access = move || created.with(|c| c.as_ref().map(|c| c.token.access).unwrap_or_default());
    let secret = Signal::derive(move || created.with(|c| c.as_ref().map(|c| c.secret.clone()).unwrap_or_default()));
    let old_value_until = move || created.with(|c| c.as_ref().and_then(|c| c.old_value_until));
    let copy_state = RwSignal::new(CopyState::Idle);
    // Each copy gets a new status element, so a screen reader announces it again; an old
    // copy's timer does not clear a newer one's "Copied".
    let copies = RwSignal::new(0_u32);
    let manual = move || {
        select_token_text();
        copies.update(|n| *n += 1);
        copy_state.set(CopyState::Manual);
    };
    // Whether the token was copied at all (by Copy, or by hand from the field), and whether
    // closing without it was already questioned once.
    let copied_once = RwSignal::new(false);
    let asked = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let go_back = NodeRef::<leptos::html::Button>::new();
    let copy_button = NodeRef::<leptos::html::Button>::new();
    let copied = move |what: CopyState| {
        copies.update(|n| *n += 1);
        if what == CopyState::Copied {
            copied_once.set(true);
            asking.set(false);
        }
        copy_state.set(what);
        let this = copies.get_untracked();
        set_timeout(
            move || {
                if copies.try_get_untracked() == Some(this) {
                    copy_state.set(CopyState::Idle);
                }
            },
            COPIED_FOR,
        );
    };
    // Writes `text` to the clipboard; without a Clipboard API (or when it refuses), the token
    // is selected for copying by hand.
    let write = move |text: String, what: CopyState| {
        spawn_local(async move {
            if crate::components::clipboard::copy_text(&text).await {
                copied(what);
            } else {
                manual();
            }
        });
    };
    let copy = move |_| write(secret.get_untracked(), CopyState::Copied);
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    // The example names an environment variable, never the value: it can be pasted anywhere.
    let example = format!("curl -H \"Authorization: Bearer $TESSERA_TOKEN\" {origin}/api/v1/me");
    let example_text = example.clone();
    let copy_example = move |_| write(example_text.clone(), CopyState::ExampleCopied);
    // Done and Escape close at once after a copy; before one, they ask once.
    let close = Callback::new(move |()| {
        if copied_once.get_untracked() || asked.get_untracked() {
            on_done.run(());
        } else {
            asked.set(true);
            asking.set(true);
            request_animation_frame(move || {
                if let Some(b) = go_back.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    });

    view! {
        <Modal labelled_by="token-created-heading" on_close=close>
            <h2 id="token-created-heading">"Your new API token"</h2>
            <p>
                "Copy the token " <strong>{name}</strong> " now. "
                <strong>"You won't be able to see it again"</strong> " once you close this dialog."
            </p>
            <p class="token-created-access">
                "Access: " <strong>{move || access().label()}</strong> " — "
                {move || access().explanation().to_ascii_lowercase()} "."
            </p>
            {move || {
                old_value_until().map(|until| {
                    let now = chrono::Utc::now();
                    let text = if until <= now {
                        "The old value has stopped working.".to_owned()
                    } else {
                        format!("The old value keeps working until {}, then stops.", exact_local(until))
                    };
                    view! { <p class="token-created-grace"><strong>{text}</strong></p> }
                })
            }}
            <label class="token-value-label" for="new-token-value">"Token value"</label>
            <div class="token-value">
                <textarea id="new-token-value" class="token-secret" readonly rows="2" spellcheck="false"
                    autocomplete="off" autocapitalize="off" prop:value=move || secret.get()
                    on:copy=move |_| copied_once.set(true)></textarea>
                <button type="button" class="button" autofocus node_ref=copy_button on:click=copy>"Copy"</button>
            </div>
            <p class="token-example-label" id="token-example-label">
                "Keep it in an environment variable, " <code>"TESSERA_TOKEN"</code> ", then try it:"
            </p>
            <div class="token-value">
                <pre class="token-example" aria-labelledby="token-example-label"><code>{example}</code></pre>
                <button type="button" class="button" on:click=copy_example>"Copy example"</button>
            </div>
            <p class="copy-status" role="status" aria-live="polite">
                // Keyed by the copy's number: each copy's message is a new element.
                <For
                    each=move || {
                        let message = match copy_state.get() {
                            CopyState::Idle => None,
                            CopyState::Copied => Some("Copied"),
                            CopyState::ExampleCopied => Some("Example copied"),
                            CopyState::Manual => Some("The token is selected: press Ctrl+C (⌘C on a Mac) to copy it."),
                        };
                        message.map(|m| (copies.get(), m))
                    }
                    key=|(n, _)| *n
                    children=|(_, message)| view! { <span>{message}</span> }
                />
            </p>
            <Show when=move || asking.get()>
                <div class="unsaved-guard" role="alert">
                    <p><strong>"You haven't copied the token. Close anyway?"</strong></p>
                    <div class="actions-end">
                        <button type="button" class="button" node_ref=go_back on:click=move |_| {
                            asking.set(false);
                            if let Some(b) = copy_button.get_untracked() {
                                let _ = b.focus();
                            }
                        }>"Go back"</button>
                        <button type="button" class="button danger" on:click=move |_| on_done.run(())>"Close anyway"</button>
                    </div>
                </div>
            </Show>
            <div class="actions-end">
                <button type="button" class="button primary" on:click=move |_| close.run(())>"Done"</button>
            </div>
        </Modal>
    }
}
