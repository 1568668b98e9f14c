//! The layout of every signed-in page: the side navigation with the account menu, and the
//! page itself. It owns signing out and the password prompt of sensitive actions.

use super::RequireSignIn;
use super::require_sign_in::leave_for_sign_in;
use crate::components::avatar_menu::AvatarMenu;
use crate::components::side_nav::SideNav;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::{SudoPrompt, provide_sudo};
use crate::server_fns::session::SignOut;
use leptos::prelude::*;
use leptos_router::components::Outlet;

#[component]
pub fn SignedInLayout() -> impl IntoView {
    let auth = Auth::expect();
    provide_sudo();
    let sign_out = ServerAction::<SignOut>::new();
    let signed_out = sign_out.value();
    // Once the server has answered, the client is left for the sign-in page, which the
    // server shows only when the session has ended (it sends someone still signed in back).
    Effect::new(move || {
        if signed_out.with(Option::is_some) {
            leave_for_sign_in("/login");
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
