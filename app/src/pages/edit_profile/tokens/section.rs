//! Lists the signed-in user's tokens and opens the create and delete dialogs.

use chrono::Utc;
use leptos::html;
use leptos::prelude::*;

use super::create_dialog::CreateTokenDialog;
use super::delete_dialog::DeleteTokenDialog;
use super::table::TokenTable;
use crate::error::AppError;
use crate::server_fns::TokenView;
use crate::server_fns::tokens::list_tokens;
use crate::shell::Auth;

#[component]
pub fn TokensSection() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let version = RwSignal::new(0_u32);
    let tokens = LocalResource::new(move || {
        version.get();
        list_tokens()
    });
    let creating = RwSignal::new(false);
    let deleting = RwSignal::new(None::<TokenView>);
    let create_button = NodeRef::<html::Button>::new();

    let just_deleted = RwSignal::new(false);
    let changed = Callback::new(move |()| {
        version.update(|v| *v += 1);
        auth.refresh();
    });
    let deleted = Callback::new(move |()| {
        just_deleted.set(true);
        changed.run(());
    });
    // After the dialog has left the page (the page behind a modal is inert until then).
    let give_focus_back = move || {
        request_animation_frame(move || {
            if let Some(b) = create_button.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    let close_create = Callback::new(move |()| {
        creating.set(false);
        give_focus_back();
    });
    // Cancel gives focus back to the row's delete button; after a deletion the row is gone,
    // so it goes to + Create API token.
    let close_delete = Callback::new(move |()| {
        let id = deleting.get_untracked().map(|t| t.id);
        deleting.set(None);
        if just_deleted.get_untracked() {
            just_deleted.set(false);
            give_focus_back();
            return;
        }
        request_animation_frame(move || {
            let button = id
                .and_then(|id| {
                    web_sys::window()?
                        .document()?
                        .get_element_by_id(&format!("delete-token-{id}"))
                })
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(button) = button {
                let _ = button.focus();
            }
        });
    });
    let on_delete = Callback::new(move |token: TokenView| deleting.set(Some(token)));

    let list = move || match tokens.get() {
        None => view! { <p class="muted" role="status">"Loading tokens…"</p> }.into_any(),
        Some(Err(AppError::Unauthenticated)) => {
            auth.user.set(None);
            ().into_any()
        }
        Some(Err(e)) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <div class="empty-state">
                <p><strong>"You have no API tokens yet."</strong></p>
                <p class="muted">
                    "An API token lets a script or an integration call the Tessera API as you, with "
                    "Authorization: Bearer <token>. What it creates is attributed to your default source."
                </p>
                <button type="button" class="button" on:click=move |_| creating.set(true)>
                    "Create your first API token"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(list)) => view! { <TokenTable tokens=list now=Utc::now() on_delete=on_delete/> }.into_any(),
    };

    view! {
        <section class="card" aria-labelledby="api-tokens-heading">
            <div class="section-header">
                <h2 id="api-tokens-heading">"API tokens"</h2>
                <button node_ref=create_button type="button" class="button primary" on:click=move |_| creating.set(true)>
                    "+ Create API token"
                </button>
            </div>
            <p class="muted">
                "Tokens authenticate API requests as you. Treat them like passwords: anyone holding one can act as you."
            </p>
            {list}
            <Show when=move || creating.get()>
                <CreateTokenDialog on_close=close_create on_created=changed/>
            </Show>
            {move || {
                deleting
                    .get()
                    .map(|token| view! { <DeleteTokenDialog token=token on_close=close_delete on_deleted=deleted/> })
            }}
        </section>
    }
}
