//! The layout of every signed-in page: the side navigation with the account menu, and the
//! page itself. It owns signing out and the password prompt of sensitive actions.

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_navigate;

use super::RequireSignIn;
use crate::components::avatar_menu::AvatarMenu;
use crate::components::side_nav::SideNav;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::{SudoPrompt, provide_sudo};
use crate::server_fns::session::SignOut;

#[component]
pub fn SignedInLayout() -> impl IntoView {
    let auth = Auth::expect();
    provide_sudo();
    let navigate = use_navigate();
    let sign_out = ServerAction::<SignOut>::new();
    let signed_out = sign_out.value();
    // Whatever the server answers, the client forgets the user and shows the sign-in page.
    Effect::new(move || {
        if signed_out.with(Option::is_some) {
            auth.set_signed_out();
            navigate("/login", Default::default());
        }
    });

    let user = auth.user();
    let display_name = Signal::derive(move || {
        user.with(|u| u.as_ref().map(|u| u.display_name.clone()))
            .unwrap_or_default()
    });
    let username = Signal::derive(move || {
        user.with(|u| u.as_ref().map(|u| u.username.clone()))
            .unwrap_or_default()
    });
    let is_admin = Signal::derive(move || user.with(|u| u.as_ref().is_some_and(|u| u.is_admin)));
    let expiring = Signal::derive(move || user.with(|u| u.as_ref().map_or(0, |u| u.expiring_tokens.len())));
    let on_sign_out = Callback::new(move |()| {
        sign_out.dispatch(SignOut {});
    });

    view! {
        <RequireSignIn>
            <div class="layout">
                <SideNav>
                    <AvatarMenu display_name=display_name username=username expiring=expiring is_admin=is_admin on_sign_out=on_sign_out/>
                </SideNav>
                <main class="content" id="main">
                    <Outlet/>
                </main>
            </div>
            <SudoPrompt/>
        </RequireSignIn>
    }
}
