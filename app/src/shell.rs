//! The root component: provides the app-wide contexts and composes the routes with their
//! layouts. Nothing imports this module; state lives in `contexts`, frames in `layout`.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::contexts::auth::provide_auth;
use crate::layout::{RequireSignIn, SignedInLayout};
use crate::pages::{
    AdminGroupsPage, AdminUserPage, AdminUsersPage, DataPage, EditProfilePage, LoginPage, NotFoundPage, ProfilePage,
    SecurityLogPage,
};

#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    view! {
        <Router>
            <Routes fallback=|| view! { <Fallback/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=SignedInLayout>
                    <Route path=path!("/") view=|| view! { <Redirect path="/profile"/> }/>
                    <Route path=path!("/profile") view=ProfilePage/>
                    <Route path=path!("/profile/edit") view=EditProfilePage/>
                    <Route path=path!("/data") view=DataPage/>
                    <Route path=path!("/profile/security") view=SecurityLogPage/>
                    <Route path=path!("/admin") view=|| view! { <Redirect path="/admin/users"/> }/>
                    <Route path=path!("/admin/users") view=AdminUsersPage/>
                    <Route path=path!("/admin/users/:username") view=AdminUserPage/>
                    <Route path=path!("/admin/groups") view=AdminGroupsPage/>
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
