//! The Edit your profile page: the profile form above the API tokens section.

use leptos::prelude::*;

use super::password_form::PasswordForm;
use super::profile_form::ProfileForm;
use super::tokens::TokensSection;
use crate::components::expiry_banner::ExpiryBanner;
use crate::contexts::auth::Auth;

#[component]
pub fn EditProfilePage() -> impl IntoView {
    let user = Auth::expect().user();
    let expiring =
        Signal::derive(move || user.with(|u| u.as_ref().map(|u| u.expiring_tokens.clone()).unwrap_or_default()));
    view! {
        <ExpiryBanner tokens=expiring/>
        <ProfileForm/>
        <TokensSection/>
        <PasswordForm/>
        <crate::pages::SecurityLogLink/>
    }
}
