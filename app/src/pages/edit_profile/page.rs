//! The Edit your profile page: the profile form above the API tokens section.

use leptos::prelude::*;

use super::password_form::PasswordForm;
use super::profile_form::ProfileForm;
use super::tokens::TokensSection;
use crate::pages::token_notices::TokenNotices;

#[component]
pub fn EditProfilePage() -> impl IntoView {
    view! {
        <TokenNotices/>
        <ProfileForm/>
        <TokensSection/>
        <PasswordForm/>
    }
}
