//! Sign-in, sign-out and "who am I".

use leptos::prelude::*;

use super::UserView;
use crate::error::AppError;

/// The signed-in user, or `None` when nobody is signed in.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use super::context as rpc;
    use crate::backend::{accounts, sessions};
    let state = rpc::state()?;
    let session = rpc::session().await?;
    match sessions::current_user(&state, &session).await? {
        Some(user) => Ok(Some(accounts::profile(&state, &user).await?)),
        None => Ok(None),
    }
}

/// Signs in with username and password; starts a new session on success.
#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<UserView, AppError> {
    use super::context as rpc;
    use crate::backend::{accounts, sessions};
    let state = rpc::state()?;
    let session = rpc::session().await?;
    let addr = rpc::client_addr().await;
    let user = accounts::authenticate(&state, &username, password, addr).await?;
    sessions::begin(&session, &user, state.clock.now()).await?;
    tracing::info!(user_id = user.id.0, "signed in");
    accounts::profile(&state, &user).await
}

/// Ends the current session.
#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::context as rpc;
    use crate::backend::sessions;
    let session = rpc::session().await?;
    sessions::end(&session).await
}
