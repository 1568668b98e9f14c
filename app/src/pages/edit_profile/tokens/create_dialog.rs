//! "Create new API token", then the one-time confirmation that shows the token.
//!
//! The plaintext lives only in this component's own signal: closing the confirmation clears
//! it and removes the component, so it is kept nowhere else (no storage, URL or history).

use chrono::Utc;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast as _;

use crate::components::field::TextField;
use crate::components::modal::Modal;
use crate::components::source_warning::SourceWarning;
use crate::dates::{exact_local, local_date_input, local_to_utc};
use crate::domain::{ExpiryChoice, INTERVALS, MAX_MONTHS, TokenName, add_months};
use crate::error::AppError;
use crate::server_fns::tokens::create_token;
use crate::shell::Auth;

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
pub fn CreateTokenDialog(on_close: Callback<()>, on_created: Callback<()>) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let expire = RwSignal::new(false);
    let interval = RwSignal::new(INTERVALS[0].to_string());
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("09:00".to_owned());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let secret = RwSignal::new(None::<String>);
    let created_name = RwSignal::new(String::new());
    let copy_state = RwSignal::new(CopyState::Idle);

    let choice = move || -> Result<ExpiryChoice, String> {
        if !expire.get() {
            return Ok(ExpiryChoice::Never);
        }
        if interval.get() == "exact" {
            return local_to_utc(&date.get(), &time.get())
                .map(ExpiryChoice::Exact)
                .ok_or_else(|| "Choose a date and a time for the token to expire.".to_owned());
        }
        ExpiryChoice::parse(&interval.get(), "").map_err(|e| e.0)
    };
    let resolved = move || choice().and_then(|c| c.expires_at(Utc::now()).map_err(|e| e.0));
    let field_error = move |field: &'static str| {
        error.with(|e| e.as_ref().filter(|e| e.field() == Some(field)).map(ToString::to_string))
    };
    let name_error = Signal::derive(move || {
        field_error("name").or_else(|| {
            touched
                .get()
                .then(|| TokenName::parse(&name.get()).err().map(|e| e.0))
                .flatten()
        })
    });
    let expiry_error = move || field_error("expiry").or_else(|| resolved().err());
    let form_error = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(ToString::to_string));
    let on_name_input = Callback::new(move |()| {
        touched.set(true);
        if error.with(|e| e.as_ref().is_some_and(|e| e.field() == Some("name"))) {
            error.set(None);
        }
    });

    let generate = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if pending.get_untracked() || name_error.get_untracked().is_some() {
            return;
        }
        let Ok(choice) = choice() else { return };
        if resolved().is_err() {
            return;
        }
        let exact = match choice {
            ExpiryChoice::Exact(t) => t.to_rfc3339(),
            _ => String::new(),
        };
        pending.set(true);
        error.set(None);
        let typed = name.get_untracked();
        spawn_local(async move {
            match create_token(typed, choice.kind(), exact).await {
                Ok(created) => {
                    created_name.set(created.token.name.clone());
                    secret.set(Some(created.secret));
                    on_created.run(());
                }
                Err(AppError::Unauthenticated) => auth.user.set(None),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    let copy = move |_| {
        let Some(text) = secret.get_untracked() else { return };
        let Some(window) = web_sys::window() else { return };
        let navigator = window.navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        if !has_clipboard {
            select_token_text();
            copy_state.set(CopyState::Manual);
            return;
        }
        let promise = navigator.clipboard().write_text(&text);
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
    let finish = Callback::new(move |()| {
        secret.set(None);
        on_close.run(());
    });

    let form = move || {
        view! {
            <Modal labelled_by="create-token-heading" on_close=on_close>
                <form class="dialog-form" on:submit=generate novalidate>
                    <h2 id="create-token-heading">"Create new API token"</h2>
                    <Show when=move || form_error().is_some()>
                        <p class="alert" role="alert">{form_error}</p>
                    </Show>
                    <TextField id="token-name" label="Name" value=name error=name_error required=true
                        autofocus=true on_input=on_name_input/>
                    <p class="hint">"A name that tells you where the token is used, such as \"Nightly export\"."</p>
                    <div class="check">
                        <input
                            id="token-expires"
                            type="checkbox"
                            prop:checked=move || expire.get()
                            on:change=move |ev| {
                                let checked = ev.target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                    .is_some_and(|i| i.checked());
                                expire.set(checked);
                                error.set(None);
                            }
                        />
                        <label for="token-expires">"Select expiration date"</label>
                    </div>
                    <Show when=move || expire.get()>
                        <div class="field">
                            <label for="token-interval">"Expiration"</label>
                            <select
                                id="token-interval"
                                prop:value=move || interval.get()
                                on:change=move |ev| {
                                    interval.set(event_target_value(&ev));
                                    error.set(None);
                                }
                            >
                                {INTERVALS
                                    .iter()
                                    .map(|n| view! { <option value=n.to_string()>{format!("Expire in {n} months")}</option> })
                                    .collect_view()}
                                <option value="exact">"Specify exact date"</option>
                            </select>
                        </div>
                        <Show when=move || interval.get() == "exact">
                            <div class="field-row">
                                <div class="field">
                                    <label for="token-date">"Date"</label>
                                    <input id="token-date" type="date" min=local_date_input(Utc::now())
                                        max=local_date_input(add_months(Utc::now(), MAX_MONTHS))
                                        prop:value=move || date.get()
                                        on:input=move |ev| date.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for="token-time">"Time"</label>
                                    <input id="token-time" type="time" prop:value=move || time.get()
                                        on:input=move |ev| time.set(event_target_value(&ev))/>
                                </div>
                            </div>
                        </Show>
                    </Show>
                    <SourceWarning/>
                    <p class="expiry-preview" id="token-expiry-preview" aria-live="polite">
                        {move || match (expiry_error(), resolved()) {
                            (Some(message), _) => view! { <span class="field-error">{message}</span> }.into_any(),
                            (None, Ok(Some(at))) => view! {
                                <span>"The token will expire on " <strong>{exact_local(at)}</strong> "."</span>
                            }.into_any(),
                            _ => view! { <span>"The token will never expire."</span> }.into_any(),
                        }}
                    </p>
                    <div class="actions-end">
                        <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                        <button type="submit" class="button primary" disabled=move || pending.get()>
                            {move || if pending.get() { "Generating…" } else { "Generate token" }}
                        </button>
                    </div>
                </form>
            </Modal>
        }
    };

    let confirmation = move || {
        view! {
            <Modal labelled_by="token-created-heading" on_close=finish>
                <h2 id="token-created-heading">"Your new API token"</h2>
                <p>
                    "Copy the token " <strong>{move || created_name.get()}</strong> " now. "
                    <strong>"You won't be able to see it again"</strong> " once you close this dialog."
                </p>
                <div class="token-value">
                    <code id="new-token-value" class="token-secret" aria-label="Token value">
                        {move || secret.get().unwrap_or_default()}
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
                    <button type="button" class="button primary" on:click=move |_| finish.run(())>"Done"</button>
                </div>
            </Modal>
        }
    };

    move || {
        if secret.with(Option::is_none) {
            form().into_any()
        } else {
            confirmation().into_any()
        }
    }
}
