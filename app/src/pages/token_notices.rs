//! What My profile and Edit your profile say first about the user's tokens: those that
//! expire soon (the expiry banner) and those found exposed in public and revoked, each until
//! the user dismisses it.

use leptos::prelude::*;

use crate::components::expiry_banner::ExpiryBanner;
use crate::contexts::auth::Auth;
use crate::dates::local_date_time;
use crate::server_fns::ExposedTokenView;
use crate::server_fns::leaks::DismissExposure;

/// "Your token NAME was found exposed in public and revoked on DATE."
pub fn exposure_notice(token: &ExposedTokenView) -> String {
    format!(
        "Your token {} was found exposed in public and revoked on {}.",
        token.name,
        local_date_time(token.revoked_at)
    )
}

#[component]
pub fn TokenNotices() -> impl IntoView {
    let auth = Auth::expect();
    let user = auth.user();
    let expiring =
        Signal::derive(move || user.with(|u| u.as_ref().map(|u| u.expiring_tokens.clone()).unwrap_or_default()));
    let exposed = move || user.with(|u| u.as_ref().map(|u| u.exposed_tokens.clone()).unwrap_or_default());
    let dismiss = ServerAction::<DismissExposure>::new();
    auth.watch(dismiss.value());
    Effect::watch(move || dismiss.version().get(), move |_, _, _| auth.refresh(), false);

    view! {
        <div class="banner banner-danger" role="alert">
            {move || {
                exposed()
                    .into_iter()
                    .map(|t| {
                        let id = t.id;
                        view! {
                            <p>
                                <strong>{exposure_notice(&t)}</strong>
                                " Scripts that used it stop working: create a new token for them, and check "
                                <a href=format!("/data?kind=entities&token={id}")>"what it created"</a>
                                "."
                                <button type="button" class="button banner-action"
                                    aria-label=format!("Dismiss the notice about {}", t.name)
                                    on:click=move |_| {
                                        dismiss.dispatch(DismissExposure { id });
                                    }>
                                    "Dismiss"
                                </button>
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
        <ExpiryBanner tokens=expiring/>
    }
}
