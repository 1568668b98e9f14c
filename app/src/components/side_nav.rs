//! The side navigation bar, with the avatar menu at its foot.

use leptos::prelude::*;

use super::avatar_menu::AvatarMenu;

#[component]
pub fn SideNav() -> impl IntoView {
    view! {
        <nav class="sidenav" aria-label="Main">
            <a class="brand" href="/profile">
                <img src="/logo.svg" alt="" width="28" height="28"/>
                <span>"Tessera"</span>
            </a>
            <div class="sidenav-spacer"></div>
            <AvatarMenu/>
        </nav>
    }
}
