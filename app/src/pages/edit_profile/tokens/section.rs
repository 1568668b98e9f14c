//! Lists the signed-in user's tokens and opens the create, edit, rotate and delete dialogs.
//! The list is fetched again after every answer to one of them.

use chrono::Utc;
use leptos::html;
use leptos::prelude::*;

use super::check_dialog::CheckTokenDialog;
use super::create_dialog::CreateTokenDialog;
use super::delete_dialog::DeleteTokenDialog;
use super::edit_dialog::EditTokenDialog;
use super::rotate_dialog::RotateTokenDialog;
use super::table::TokenTable;
use crate::contexts::auth::Auth;
use crate::dates::exact_local;
use crate::error::AppError;
use crate::router::Router;
use crate::server_fns::TokenView;
use crate::server_fns::tokens::{CreateToken, DeleteToken, EditToken, RotateToken, list_tokens};

/// How many frames (about two seconds) to wait for a new token's row to be listed.
const FRAMES_FOR_ROW: u32 = 120;

fn element(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
}

/// Gives focus to the element with `id` once a dialog has left the page (the page behind a
/// modal is inert until then) and the element is there: a new token's row appears when the
/// list has been fetched again. After `frames` frames without it, focus goes to `fallback`.
fn focus_after_dialog(id: String, frames: u32, fallback: NodeRef<html::Button>) {
    request_animation_frame(move || match element(&id) {
        Some(element) => {
            let _ = element.focus();
        }
        None if frames > 0 => focus_after_dialog(id, frames - 1, fallback),
        None => {
            if let Some(b) = fallback.get_untracked() {
                let _ = b.focus();
            }
        }
    });
}

#[component]
pub fn TokensSection() -> impl IntoView {
    let auth = Auth::expect();
    let create = ServerAction::<CreateToken>::new();
    let delete = ServerAction::<DeleteToken>::new();
    let edit = ServerAction::<EditToken>::new();
    let rotate = ServerAction::<RotateToken>::new();
    let (created, deleted, edited, rotated) = (create.version(), delete.version(), edit.version(), rotate.version());
    let tokens = LocalResource::new(move || {
        created.track();
        deleted.track();
        edited.track();
        rotated.track();
        list_tokens()
    });
    auth.watch(tokens);
    auth.watch(create.value());
    auth.watch(delete.value());
    auth.watch(edit.value());
    auth.watch(rotate.value());
    // The token count on My profile changes too, and a rotation may end an expiry warning.
    Effect::watch(
        move || (created.get(), deleted.get(), rotated.get()),
        move |_, _, _| auth.refresh(),
        false,
    );

    // Relative times ("in 5 days", "3 minutes ago") are worked out anew every minute.
    let now = RwSignal::new(Utc::now());
    if let Ok(ticker) = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(60)) {
        on_cleanup(move || ticker.clear());
    }
    let creating = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let check_button = NodeRef::<html::Button>::new();
    let deleting = RwSignal::new(None::<TokenView>);
    let editing = RwSignal::new(None::<TokenView>);
    let rotating = RwSignal::new(None::<TokenView>);
    let just_deleted = RwSignal::new(false);
    let create_button = NodeRef::<html::Button>::new();
    // What the live region says after a token is created or deleted.
    let announcement = RwSignal::new(String::new());
    // A token whose dialog was cancelled before it arrived is never shown: forget it at once.
    let answers = create.value();
    Effect::new(move || {
        if answers.with(|a| matches!(a, Some(Ok(_)))) && !creating.get_untracked() {
            create.clear();
        }
    });
    let rotations = rotate.value();
    Effect::new(move || {
        if rotations.with(|a| matches!(a, Some(Ok(_)))) && rotating.with_untracked(Option::is_none) {
            rotate.clear();
        }
    });

    let give_focus_back = move || {
        request_animation_frame(move || {
            if let Some(b) = create_button.get_untracked() {
                let _ = b.focus();
            }
        });
    };
    // After a token was created, focus goes to its row in the list; after a cancel, back to
    // + Create API token.
    let close_create = Callback::new(move |()| {
        let created = answers.with_untracked(|a| match a {
            Some(Ok(created)) => Some((created.token.id, created.token.name.clone())),
            _ => None,
        });
        creating.set(false);
        match created {
            Some((id, name)) => {
                announcement.set(format!("Token {name} created and added to the list."));
                focus_after_dialog(format!("token-row-{id}"), FRAMES_FOR_ROW, create_button);
            }
            None => give_focus_back(),
        }
    });
    // Cancel gives focus back to the row's delete button; after a deletion the row is gone,
    // so it goes to + Create API token.
    let close_delete = Callback::new(move |()| {
        let token = deleting.get_untracked();
        deleting.set(None);
        if just_deleted.get_untracked() {
            just_deleted.set(false);
            if let Some(token) = token {
                announcement.set(format!("Token {} deleted.", token.name));
            }
            give_focus_back();
        } else if let Some(token) = token {
            focus_after_dialog(format!("delete-token-{}", token.id), 0, create_button);
        }
    });
    let on_deleted = Callback::new(move |()| just_deleted.set(true));
    // Closing the edit dialog gives focus back to the row's Edit button.
    let close_edit = Callback::new(move |()| {
        if let Some(token) = editing.get_untracked() {
            editing.set(None);
            focus_after_dialog(format!("edit-token-{}", token.id), FRAMES_FOR_ROW, create_button);
        }
    });
    // Closing the rotate dialog gives focus back to the row's Rotate button.
    let close_rotate = Callback::new(move |()| {
        let answer = rotations.with_untracked(|a| match a {
            Some(Ok(rotated)) => Some((rotated.token.name.clone(), rotated.old_value_until)),
            _ => None,
        });
        if let Some((name, until)) = answer {
            announcement.set(match until {
                Some(until) if until > Utc::now() => {
                    format!(
                        "Token {name} rotated. The old value works until {}.",
                        exact_local(until)
                    )
                }
                _ => format!("Token {name} rotated. The old value no longer works."),
            });
        }
        if let Some(token) = rotating.get_untracked() {
            rotating.set(None);
            focus_after_dialog(format!("rotate-token-{}", token.id), FRAMES_FOR_ROW, create_button);
        }
    });
    let on_rotate = Callback::new(move |token: TokenView| rotating.set(Some(token)));
    // `?rotate=ID` (the expiry banner's Rotate link) opens that token's Rotate dialog once the
    // list is here, and leaves the address without it, so closing the dialog is final.
    let router = Router::expect();
    let query = router.query();
    Effect::new(move || {
        let Some(id) = query.with(|q| q.get("rotate")).and_then(|id| id.parse::<i64>().ok()) else {
            return;
        };
        let Some(Ok(list)) = tokens.get() else { return };
        if let Some(token) = list.into_iter().find(|t| t.id == id && !t.expired) {
            rotating.set(Some(token));
        }
        router.replace("/profile/edit");
    });
    let close_check = Callback::new(move |()| {
        checking.set(false);
        request_animation_frame(move || {
            if let Some(b) = check_button.get_untracked() {
                let _ = b.focus();
            }
        });
    });
    let on_saved = Callback::new(move |token: TokenView| announcement.set(format!("Token {} saved.", token.name)));
    let on_edit = Callback::new(move |token: TokenView| editing.set(Some(token)));
    let on_delete = Callback::new(move |token: TokenView| deleting.set(Some(token)));

    let list = move || match tokens.get() {
        None => view! { <p class="muted" role="status">"Loading tokens…"</p> }.into_any(),
        // The session has ended: `Auth::watch` sends the person to sign in.
        Some(Err(AppError::Unauthenticated)) => ().into_any(),
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
        Some(Ok(list)) => {
            view! { <TokenTable tokens=list now=now.get() on_edit=on_edit on_rotate=on_rotate on_delete=on_delete/> }
                .into_any()
        }
    };

    // The administrator's token policy, when there is one.
    let signed_in = Auth::expect().user();
    let policy_note = Signal::derive(move || signed_in.with(|u| u.as_ref().and_then(|u| u.token_policy.summary())));
    view! {
        <section class="card" aria-labelledby="api-tokens-heading">
            <div class="section-header">
                <h2 id="api-tokens-heading">"API tokens"</h2>
                <div class="section-actions">
                    <button node_ref=create_button type="button" class="button primary" on:click=move |_| creating.set(true)>
                        "+ Create API token"
                    </button>
                    <button node_ref=check_button type="button" class="button" on:click=move |_| checking.set(true)>
                        "Check a token…"
                    </button>
                </div>
            </div>
            <p class="muted">
                "Tokens authenticate API requests as you. Treat them like passwords: anyone holding one can act as you."
            </p>
            {move || policy_note.get().map(|why| view! {
                <p class="muted" id="token-policy-note">{why} " Tokens made before keep their expiry."</p>
            })}
            {list}
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            <Show when=move || creating.get()>
                <CreateTokenDialog action=create on_close=close_create/>
            </Show>
            <Show when=move || checking.get()>
                <CheckTokenDialog delete=delete on_close=close_check/>
            </Show>
            {move || {
                editing.get().map(|token| {
                    view! { <EditTokenDialog token=token action=edit on_close=close_edit on_saved=on_saved/> }
                })
            }}
            {move || {
                rotating.get().map(|token| view! { <RotateTokenDialog token=token action=rotate on_close=close_rotate/> })
            }}
            {move || {
                deleting.get().map(|token| {
                    view! { <DeleteTokenDialog token=token action=delete on_close=close_delete on_deleted=on_deleted/> }
                })
            }}
        </section>
    }
}
