//! `/login`: username and password; returns to `?next=` after signing in.

use leptos::prelude::*;
use leptos::{ev, html};
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::alert::FormAlert;
use crate::components::field::TextField;
use crate::components::form_errors::FormErrors;
use crate::contexts::auth::Auth;
use crate::navigation::safe_next;
use crate::server_fns::session::SignIn;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = Auth::expect();
    let query = use_query_map();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = ServerAction::<SignIn>::new();
    let pending = sign_in.pending();
    let answers = sign_in.value();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<html::Form>::new();
    errors.focus_on_refusal(form);
    let next = move || safe_next(query.with_untracked(|q| q.get("next")).as_deref());

    // Every answer empties the password; a welcome one signs the person in.
    Effect::new(move || {
        answers.with(|answer| {
            if let Some(answer) = answer {
                password.set(String::new());
                if let Ok(user) = answer {
                    auth.set_signed_in(user.clone());
                }
            }
        });
    });
    // Someone signed in (now or already) goes straight on.
    Effect::new(move || {
        if auth.is_signed_in() {
            navigate(
                &next(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sign_in.clear();
        sign_in.dispatch(SignIn {
            username: username.get_untracked(),
            password: password.get_untracked().into(),
        });
    };

    view! {
        <main class="centered">
            <form class="card narrow" node_ref=form on:submit=submit novalidate>
                <div class="brand brand-large">
                    <img src="/logo.svg" alt="" width="36" height="36"/>
                    <span>"Tessera"</span>
                </div>
                <h1>"Sign in"</h1>
                <FormAlert message=errors.form()/>
                <TextField id="username" label="Username" value=username error=errors.field("username")
                    autocomplete="username" required=true autofocus=true/>
                <TextField id="password" label="Password" value=password error=errors.field("password")
                    kind="password" autocomplete="current-password" required=true/>
                <button class="button primary wide" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
