//! Lists the signed-in user's sessions, signs one of the others out, and opens the
//! "Sign out everywhere else" confirmation. The list is fetched again after every answer, and
//! each outcome is announced in a live region.

use chrono::Utc;
use leptos::prelude::*;

use super::confirm_dialog::{SignOutOthersDialog, other_sessions};
use super::table::SessionTable;
use crate::contexts::auth::Auth;
use crate::error::AppError;
use crate::server_fns::SessionView;
use crate::server_fns::sessions::{SignOutOtherSessions, SignOutSession, list_sessions};

/// The section's heading, where focus goes when the control that had it is gone.
const HEADING: &str = "sessions-heading";
/// The "Sign out everywhere else" button.
const OTHERS_BUTTON: &str = "sign-out-others";

/// Gives focus to the element with `id` on the next frame (once the list has changed or the
/// dialog has left the page).
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

#[component]
pub fn SessionsSection(
    /// Changes when something else on the page ended sessions (a new password): the list is
    /// fetched again.
    #[prop(into)]
    refresh: Signal<u32>,
) -> impl IntoView {
    let auth = Auth::expect();
    let sign_out_one = ServerAction::<SignOutSession>::new();
    let sign_out_others = ServerAction::<SignOutOtherSessions>::new();
    let (one_done, others_done) = (sign_out_one.version(), sign_out_others.version());
    let sessions = LocalResource::new(move || {
        one_done.track();
        others_done.track();
        refresh.track();
        list_sessions()
    });
    auth.watch(sessions);
    auth.watch(sign_out_one.value());
    auth.watch(sign_out_others.value());

    // Relative times ("3 minutes ago") are worked out anew every minute.
    let now = RwSignal::new(Utc::now());
    if let Ok(ticker) = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(60)) {
        on_cleanup(move || ticker.clear());
    }
    let confirming = RwSignal::new(false);
    // The summary of the session being signed out, for the announcement.
    let ending = RwSignal::new(String::new());
    let announcement = RwSignal::new(String::new());

    // A signed-out row is gone with its button: focus goes to the section's heading.
    let one_answers = sign_out_one.value();
    Effect::new(move || {
        let text = one_answers.with(|a| match a {
            Some(Ok(())) => Some(format!("Signed out the session on {}.", ending.get_untracked())),
            Some(Err(AppError::NotFound(_))) => Some("That session had already ended.".to_owned()),
            Some(Err(AppError::Unauthenticated)) | None => None,
            Some(Err(e)) => Some(e.to_string()),
        });
        if let Some(text) = text {
            announcement.set(text);
            focus_later(HEADING);
        }
    });
    let others_answers = sign_out_others.value();
    Effect::new(move || {
        if let Some(Ok(ended)) = others_answers.get() {
            announcement.set(match ended {
                0 => "You were signed in nowhere else.".to_owned(),
                n => format!("Signed out everywhere else: {} ended.", other_sessions(n)),
            });
        }
    });
    let on_sign_out = Callback::new(move |(session, summary): (SessionView, String)| {
        ending.set(summary);
        sign_out_one.dispatch(SignOutSession { handle: session.handle });
    });
    // After signing out everywhere else the button is gone: focus goes to the heading; after
    // Cancel, back to the button.
    let close_confirm = Callback::new(move |()| {
        confirming.set(false);
        if others_answers.with_untracked(|a| matches!(a, Some(Ok(_)))) {
            focus_later(HEADING);
        } else {
            focus_later(OTHERS_BUTTON);
        }
    });
    let others = move || {
        sessions.with(|s| match s {
            Some(Ok(list)) => list.iter().filter(|s| !s.current).count() as u64,
            _ => 0,
        })
    };

    let list = move || match sessions.get() {
        None => view! { <p class="muted" role="status">"Loading sessions…"</p> }.into_any(),
        // The session has ended: `Auth::watch` sends the person to sign in.
        Some(Err(AppError::Unauthenticated)) => ().into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
        Some(Ok(list)) => view! {
            <SessionTable sessions=list now=now.get() on_sign_out=on_sign_out pending=sign_out_one.pending()/>
        }
        .into_any(),
    };

    view! {
        <section class="card" aria-labelledby=HEADING>
            <div class="section-header">
                <h2 id=HEADING tabindex="-1">"Sessions"</h2>
                <Show
                    when=move || { others() > 0 }
                    fallback=|| view! { <p class="muted session-only">"You are signed in only here."</p> }
                >
                    <button id=OTHERS_BUTTON type="button" class="button danger" on:click=move |_| confirming.set(true)>
                        "Sign out everywhere else"
                    </button>
                </Show>
            </div>
            <p class="muted">
                "The browsers where you are signed in to Tessera. If you do not recognise one, sign it out and "
                "change your password."
            </p>
            {list}
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            <Show when=move || confirming.get()>
                <SignOutOthersDialog others=others() action=sign_out_others on_close=close_confirm/>
            </Show>
        </section>
    }
}
