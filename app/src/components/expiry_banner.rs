//! The banner on My profile and Edit your profile while any token expires soon.

use leptos::prelude::*;

use crate::dates::local_date_time;
use crate::domain::days_left;
use crate::server_fns::ExpiringToken;

/// "Nightly export expires in 3 days (Mar 4, 2027, 09:00). Rotate it or create a new token."
/// The banner follows it with a "Rotate NAME" link to that token's Rotate dialog.
pub fn expiry_notice(token: &ExpiringToken) -> String {
    format!(
        "{} expires {} ({}). Rotate it or create a new token.",
        token.name,
        days_left(token.days_left),
        local_date_time(token.expires_at)
    )
}

#[component]
pub fn ExpiryBanner(
    /// The user's tokens that expire within the urgent threshold.
    #[prop(into)]
    tokens: Signal<Vec<ExpiringToken>>,
) -> impl IntoView {
    view! {
        <div class="banner" role="status">
            {move || {
                tokens
                    .get()
                    .iter()
                    .map(|t| {
                        // Opens the token's Rotate dialog in Edit your profile.
                        let href = format!("/profile/edit?rotate={}", t.id);
                        view! {
                            <p>
                                {expiry_notice(t)} " "
                                <a class="button banner-action" href=href>{format!("Rotate {}", t.name)}</a>
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// "1 API token expires soon", for the avatar button's name; none when none does.
pub fn expiring_summary(count: usize) -> Option<String> {
    match count {
        0 => None,
        1 => Some("1 API token expires soon".to_owned()),
        n => Some(format!("{n} API tokens expire soon")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_expiring_tokens() {
        assert_eq!(expiring_summary(0), None);
        assert_eq!(expiring_summary(1).as_deref(), Some("1 API token expires soon"));
        assert_eq!(expiring_summary(3).as_deref(), Some("3 API tokens expire soon"));
    }
}
