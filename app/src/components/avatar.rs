//! The avatar image: initials on a colour derived from the username.

use leptos::prelude::*;

/// Up to two initials from the display name (first letters of the first two words).
pub fn initials(display_name: &str) -> String {
    display_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// One of eight palette entries, stable for a username.
pub fn colour_index(username: &str) -> u32 {
    username
        .bytes()
        .fold(2_166_136_261_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619))
        % 8
}

#[component]
pub fn Avatar(
    #[prop(into)] display_name: Signal<String>,
    #[prop(into)] username: Signal<String>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let class = move || {
        format!(
            "avatar avatar-c{}{}",
            colour_index(&username.get()),
            if large { " avatar-large" } else { "" }
        )
    };
    view! {
        <span class=class aria-hidden="true">{move || initials(&display_name.get())}</span>
    }
}
