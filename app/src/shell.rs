//! The root component: provides the app-wide contexts and frames the page the address shows
//! (`router`). Nothing imports this module; state lives in `contexts`, frames in `layout`.
//! The layout is in the main wasm; every page's code is fetched when it is first shown (see
//! `pages::lazy`). `/login` is the server's own page, outside the client.

use std::task::{Context, Poll, Waker};

use leptos::prelude::*;

use crate::contexts::auth::provide_auth;
use crate::layout::{RequireSignIn, SignedInLayout};
use crate::pages::{NotFoundPage, page_view, preload_on_intent};
use crate::router::{Page, Route, Router, provide_router};

#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    let route = provide_router().route();
    preload_on_intent();
    // The page's code is fetched while the server is asked who is signed in, not after.
    Effect::new(move || {
        if let Some(page) = route.with(|r| r.page().cloned()) {
            leptos::task::spawn_local(async move { page.load().await });
        }
    });
    // The layout stays while the person goes from page to page.
    let framed = Memo::new(move |_| route.with(|r| *r != Route::NotFound));
    move || {
        if framed.get() {
            view! {
                <SignedInLayout>
                    <CurrentPage/>
                </SignedInLayout>
            }
            .into_any()
        } else {
            view! { <Fallback/> }.into_any()
        }
    }
}

/// The page the address shows. The page before stays, and keeps working, until the next
/// page's code is here; then the next one replaces it at once.
#[component]
fn CurrentPage() -> impl IntoView {
    let router = Router::expect();
    let route = router.route();
    let wanted = Memo::new(move |_| route.with(|r| r.page().cloned()));
    let shown = RwSignal::new(None::<Page>);
    Effect::new(move || {
        let Some(page) = wanted.get() else {
            shown.set(None);
            return;
        };
        leptos::task::spawn_local(async move {
            page.load().await;
            // Unless the person has gone on to another page meanwhile.
            if wanted.with_untracked(|w| w.as_ref() == Some(&page)) {
                shown.set(Some(page));
            }
        });
    });
    Effect::new(move || {
        if shown.with(Option::is_some) {
            router.page_shown();
        }
    });
    move || {
        shown.get().map(|page| match ready_now(page_view(page.clone())) {
            Some(view) => view,
            // Not reached: the page's code was loaded before it was shown.
            None => Suspend::new(page_view(page)).into_any(),
        })
    }
}

/// The output of `future` when it is ready at its first poll.
fn ready_now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// An unknown address: "Page not found" for a signed-in user, the sign-in page for others.
#[component]
fn Fallback() -> impl IntoView {
    view! {
        <RequireSignIn>
            <NotFoundPage/>
        </RequireSignIn>
    }
}
