//! The avatar image: initials on a colour derived from the username.

use leptos::prelude::*;

/// Up to two initials from the display name (first letters of the first two words), in
/// upper case.
pub fn initials(display_name: &str) -> String {
    let firsts: String = display_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    upper_case(&firsts)
}

/// Upper case by Unicode's rules. In the browser these are the browser's own
/// (`String.prototype.toUpperCase`), so the main module carries no case tables of its own
/// (about 14 KB); natively, the standard library's, which follow the same rules.
#[cfg(target_arch = "wasm32")]
fn upper_case(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_upper_case())
}

#[cfg(not(target_arch = "wasm32"))]
fn upper_case(text: &str) -> String {
    text.to_uppercase()
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

#[cfg(test)]
mod tests {
    use super::{colour_index, initials};

    #[test]
    fn initials_are_the_first_letters_of_the_first_two_words_in_upper_case() {
        assert_eq!(initials("Dana Demo"), "DD");
        assert_eq!(initials("  ada   lovelace byron "), "AL");
        assert_eq!(initials("élodie"), "É");
        assert_eq!(initials("ßtraße weg"), "SSW");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn usernames_spread_over_the_whole_palette() {
        let mut used = [false; 8];
        for n in 0..64 {
            let index = colour_index(&format!("user{n}"));
            used[usize::try_from(index).expect("a small index")] = true;
        }
        assert_eq!(used, [true; 8]);
    }
}
