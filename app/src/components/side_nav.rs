//! The side navigation bar, with what its owner passes (the avatar menu) at its foot.

use leptos::prelude::*;

#[component]
pub fn SideNav(
    /// Shown at the foot of the bar.
    children: Children,
) -> impl IntoView {
    view! {
        <nav class="sidenav" aria-label="Main">
            <a class="brand" href="/profile">
                <span class="brand-mark" inner_html=crate::brand::LOGO_SVG></span>
                <span class="brand-name">"Tessera"</span>
            </a>
            <a class="sidenav-link" href="/data">"Data"</a>
            <div class="sidenav-spacer"></div>
            {children()}
        </nav>
    }
}
