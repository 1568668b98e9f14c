//! Shows a page only to someone signed in; visitors who are not are sent to sign in and
//! brought back afterwards.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::contexts::auth::Auth;

/// Sends a visitor who is not signed in to `/login?next=<this page>`, to come back here.
fn redirect_when_signed_out(auth: Auth) {
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.is_signed_out() {
            let path = location.pathname.get_untracked();
            // Signing out navigates to /login itself; there is nothing to come back to.
            let target = if path.starts_with("/login") {
                "/login".to_owned()
            } else {
                let here = format!("{path}{}", location.search.get_untracked());
                format!("/login?next={}", String::from(js_sys::encode_uri_component(&here)))
            };
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}

/// Shows `children` once someone is signed in; "Loading…" until then.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = Auth::expect();
    redirect_when_signed_out(auth);
    view! {
        <Show
            when=move || auth.is_signed_in()
            fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }
        >
            {children()}
        </Show>
    }
}
