//! The Edit your profile page: the profile form, the API tokens section, the password form
//! and the Sessions section, in that order.

use leptos::prelude::*;

use super::password_form::PasswordForm;
use super::profile_form::ProfileForm;
use super::sessions::SessionsSection;
use super::tokens::TokensSection;
use crate::pages::token_notices::TokenNotices;

#[component]
pub fn EditProfilePage() -> impl IntoView {
    // A new password ends every other session: the Sessions list is fetched again.
    let password_changes = RwSignal::new(0_u32);
    let on_password_changed = Callback::new(move |()| password_changes.update(|n| *n += 1));
    view! {
        <TokenNotices/>
        <ProfileForm/>
        <TokensSection/>
        <PasswordForm on_changed=on_password_changed/>
        <SessionsSection refresh=password_changes/>
        <crate::pages::SecurityLogLink/>
    }
}
