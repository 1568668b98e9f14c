//! The root component: provides the app-wide contexts and frames the page the address shows
//! (`router`). Nothing imports this module; state lives in `contexts`, frames in `layout`.
//! The layout is in the main wasm; every page's code is fetched when it is first shown (see
//! `pages::lazy`). `/login` is the server's own page, outside the client.

use leptos::prelude::*;

use crate::contexts::auth::provide_auth;
use crate::layout::{RequireSignIn, SignedInLayout};
use crate::pages::{NotFoundPage, page_view, preload_on_intent};
use crate::router::{Route, Router, provide_router};

#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    let route = provide_router().route();
    preload_on_intent();
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

/// The page the address shows. While the next page's code is fetched the one before stays.
#[component]
fn CurrentPage() -> impl IntoView {
    let route = Router::expect().route();
    let page = Memo::new(move |_| route.with(|r| r.page().cloned()));
    move || page.get().map(|page| Suspend::new(page_view(page)))
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
