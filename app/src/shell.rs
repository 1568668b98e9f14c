//! The root component: provides the app-wide contexts and composes the routes with their
//! layouts. Nothing imports this module; state lives in `contexts`, frames in `layout`.
//! The layout is in the main wasm; every page is `Lazy`, its code fetched when the route is
//! first entered (see `pages::lazy`). `/login` is the server's own page, outside the client.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::contexts::auth::provide_auth;
use crate::layout::{RequireSignIn, SignedInLayout};
use crate::pages::{
    AdminGroupsRoute, AdminUserRoute, AdminUsersRoute, DataRoute, EditProfileRoute, NotFoundPage, ProfileRoute,
    SecurityLogRoute, preload_on_intent,
};

#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    preload_on_intent();
    view! {
        <Router>
            <Routes fallback=|| view! { <Fallback/> }>
                <ParentRoute path=path!("") view=SignedInLayout>
                    <Route path=path!("/") view=|| view! { <Redirect path="/profile"/> }/>
                    <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()}/>
                    <Route path=path!("/profile/edit") view={Lazy::<EditProfileRoute>::new()}/>
                    <Route path=path!("/data") view={Lazy::<DataRoute>::new()}/>
                    <Route path=path!("/profile/security") view={Lazy::<SecurityLogRoute>::new()}/>
                    <Route path=path!("/admin") view=|| view! { <Redirect path="/admin/users"/> }/>
                    <Route path=path!("/admin/users") view={Lazy::<AdminUsersRoute>::new()}/>
                    <Route path=path!("/admin/users/:username") view={Lazy::<AdminUserRoute>::new()}/>
                    <Route path=path!("/admin/groups") view={Lazy::<AdminGroupsRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
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
