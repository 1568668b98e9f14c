//! The Edit your profile page: the profile form above the API tokens section.

use leptos::prelude::*;

use super::profile_form::ProfileForm;
use super::tokens::TokensSection;

#[component]
pub fn EditProfilePage() -> impl IntoView {
    view! {
        <ProfileForm/>
        <TokensSection/>
    }
}
