//! The root component: routes, the signed-in user shared app-wide, and the layout with the
//! side navigation bar for signed-in pages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{NavigateOptions, path};

use crate::components::side_nav::SideNav;
use crate::pages::{EditProfilePage, LoginPage, NotFoundPage, ProfilePage};
use crate::server_fns::UserView;
use crate::server_fns::session::current_user;

/// Who is signed in, shared by every page.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user, once known.
    pub user: RwSignal<Option<UserView>>,
    /// Whether the first "who am I" answer has arrived.
    pub loaded: RwSignal<bool>,
}

impl Auth {
    /// Asks the server again who is signed in (after a page change or an edit elsewhere).
    pub fn refresh(self) {
        spawn_local(async move {
            let user = current_user().await.ok().flatten();
            self.user.set(user);
            self.loaded.set(true);
        });
    }
}

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth {
        user: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    provide_context(auth);
    auth.refresh();

    view! {
        <Router>
            <Routes fallback=|| view! { <Fallback/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=SignedIn>
                    <Route path=path!("/") view=|| view! { <Redirect path="/profile"/> }/>
                    <Route path=path!("/profile") view=ProfilePage/>
                    <Route path=path!("/profile/edit") view=EditProfilePage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Sends a visitor who is not signed in to `/login?next=<this page>`, to come back here.
fn redirect_when_signed_out(auth: Auth) {
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.loaded.get() && auth.user.with(Option::is_none) {
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

/// Shows `children` once someone is signed in; visitors who are not are sent to sign in.
#[component]
fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = expect_context::<Auth>();
    redirect_when_signed_out(auth);
    view! {
        <Show
            when=move || auth.user.with(Option::is_some)
            fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }
        >
            {children()}
        </Show>
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

/// The layout of every signed-in page.
#[component]
fn SignedIn() -> impl IntoView {
    view! {
        <RequireSignIn>
            <div class="layout">
                <SideNav/>
                <main class="content" id="main">
                    <Outlet/>
                </main>
            </div>
        </RequireSignIn>
    }
}
