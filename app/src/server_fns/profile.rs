//! Editing one's own profile.

use leptos::prelude::*;

use super::UserView;
use crate::error::AppError;

/// Saves the signed-in user's display name and email (an empty email removes it).
#[server(prefix = "/rpc", endpoint = "update_profile")]
pub async fn update_profile(display_name: String, email: String) -> Result<UserView, AppError> {
    let (state, user) = super::context::signed_in().await?;
    Ok(
        crate::backend::accounts::update_profile(&state, &user, &display_name, &email)
            .await?
            .into(),
    )
}

/// Chooses the group that objects created with the user's tokens are attributed to; an empty
/// `group_id` clears the choice (the group joined first is used then).
#[server(prefix = "/rpc", endpoint = "set_default_source")]
pub async fn set_default_source(group_id: String) -> Result<UserView, AppError> {
    use crate::backend::store::GroupId;
    let (state, user) = super::context::signed_in().await?;
    let group = match group_id.trim() {
        "" => None,
        id => Some(GroupId(id.parse().map_err(|_| {
            AppError::invalid("default_source", "Choose one of your groups.")
        })?)),
    };
    Ok(crate::backend::accounts::set_default_source(&state, &user, group)
        .await?
        .into())
}

/// Changes the signed-in user's password. Every other session of the user ends; this one goes
/// on under a fresh session id.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    current_password: super::Secret,
    new_password: super::Secret,
    confirm_password: super::Secret,
) -> Result<(), AppError> {
    use super::context;
    use crate::backend::{accounts, sessions};
    let (state, user) = context::signed_in().await?;
    let change = accounts::PasswordChange {
        current: current_password.into_inner(),
        new: new_password.into_inner(),
        confirm: confirm_password.into_inner(),
    };
    accounts::change_password(&state, &user, change, &context::origin().await).await?;
    sessions::begin(&context::session().await?, &user, state.clock.now()).await?;
    Ok(())
}
