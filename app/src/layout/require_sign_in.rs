//! Shows a page only to someone signed in; visitors who are not are sent to sign in and
//! brought back afterwards.

use leptos::prelude::*;

use crate::contexts::auth::Auth;
use crate::router::Router;

/// Leaves the client for the sign-in page, the server's own (`target` is `/login…`), in place
/// of the current history entry: going back from it does not land on a page that only sends
/// the person to sign in again.
pub fn leave_for_sign_in(target: &str) {
    if let Err(error) = window().location().replace(target) {
        leptos::logging::error!("could not open the sign-in page: {error:?}");
    }
}

/// Sends a visitor who is not signed in to `/login?next=<this page>`, to come back here.
fn redirect_when_signed_out(auth: Auth) {
    let router = Router::expect();
    Effect::new(move |_| {
        if auth.is_signed_out() {
            let here = router.here();
            leave_for_sign_in(&format!(
                "/login?next={}",
                String::from(js_sys::encode_uri_component(&here))
            ));
        }
    });
}

/// Shows `children` once someone is signed in; "Loading…" until then, or, when the server
/// could not say who is signed in, why, with a button to ask again.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = Auth::expect();
    redirect_when_signed_out(auth);
    let waiting = move || match auth.unknown() {
        Some(why) => view! {
            <main class="centered">
                <div class="card narrow" role="alert">
                    <h1>"Your account could not be loaded"</h1>
                    <p>{why}</p>
                    <button class="button primary" type="button" on:click=move |_| auth.refresh()>"Try again"</button>
                </div>
            </main>
        }
        .into_any(),
        None => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
    };
    view! {
        <Show when=move || auth.is_signed_in() fallback=move || view! { {waiting} }>
            {children()}
        </Show>
    }
}
