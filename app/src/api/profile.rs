//! Editing one's own profile.

use leptos::prelude::*;

use super::UserView;
use crate::error::AppError;

/// Saves the signed-in user's display name and email (an empty email removes it).
#[server(prefix = "/rpc", endpoint = "update_profile")]
pub async fn update_profile(display_name: String, email: String) -> Result<UserView, AppError> {
    use crate::backend::{accounts, rpc, sessions};
    rpc::finish(
        async {
            let state = rpc::state()?;
            let session = rpc::session().await?;
            let user = sessions::require_user(&state, &session).await?;
            accounts::update_profile(&state, &user, &display_name, &email).await
        }
        .await,
    )
}
