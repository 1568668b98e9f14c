//! `/login`: username and password; returns to `?next=` after signing in.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::field::TextField;
use crate::error::AppError;
use crate::navigation::safe_next;
use crate::server_fns::session::sign_in;
use crate::shell::Auth;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let next = move || safe_next(query.with_untracked(|q| q.get("next")).as_deref());

    // Someone already signed in goes straight on.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if auth.user.with(Option::is_some) {
                navigate(
                    &next(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let field_error = move |name: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().filter(|e| e.field() == Some(name)).map(ToString::to_string)))
    };
    let form_error = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(ToString::to_string));

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match sign_in(u, p).await {
                Ok(user) => {
                    password.set(String::new());
                    auth.user.set(Some(user));
                    auth.loaded.set(true);
                }
                Err(e) => {
                    password.set(String::new());
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };

    view! {
        <main class="centered">
            <form class="card narrow" on:submit=submit novalidate>
                <div class="brand brand-large">
                    <img src="/logo.svg" alt="" width="36" height="36"/>
                    <span>"Tessera"</span>
                </div>
                <h1>"Sign in"</h1>
                <Show when=move || form_error().is_some()>
                    <p class="alert" role="alert">{form_error}</p>
                </Show>
                <TextField id="username" label="Username" value=username error=field_error("username")
                    autocomplete="username" required=true autofocus=true/>
                <TextField id="password" label="Password" value=password error=field_error("password")
                    kind="password" autocomplete="current-password" required=true/>
                <button class="button primary wide" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
