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
                // Drawn in the page, not fetched: an image file would be revalidated on every load.
                <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
                    <rect width="32" height="32" rx="7" fill="#2f5bd3"></rect>
                    <path d="M7 7h8v8H7zM17 7h8v8h-8zM7 17h8v8H7z" fill="#fff"></path>
                    <path d="M17 17h8v8h-8z" fill="#9db4f2"></path>
                </svg>
                <span>"Tessera"</span>
            </a>
            <a class="sidenav-link" href="/data">"Data"</a>
            <div class="sidenav-spacer"></div>
            {children()}
        </nav>
    }
}
