//! The Sessions section of Edit your profile: the signed-in user's own browser sessions, and
//! signing them out. Callable with the session cookie only (like every server function), so
//! the cross-site checks in front of `/rpc` apply.

use leptos::prelude::*;

use super::SessionView;
use crate::error::AppError;

/// The signed-in user's active sessions, latest activity first; the asking one is marked
/// `current`.
#[server(prefix = "/rpc", endpoint = "list_sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    use super::context;
    let (state, user) = context::signed_in().await?;
    let session = context::session().await?;
    let sessions = crate::backend::sessions::listing::list(&state, &session, &user).await?;
    Ok(sessions.into_iter().map(SessionView::from).collect())
}

/// Signs out one of the user's other sessions, named by the `handle` the list gave it.
#[server(prefix = "/rpc", endpoint = "sign_out_session")]
pub async fn sign_out_session(handle: String) -> Result<(), AppError> {
    use super::context;
    let (state, user) = context::signed_in().await?;
    let session = context::session().await?;
    Ok(crate::backend::sessions::listing::sign_out_one(&state, &session, &user, &handle).await?)
}

/// Signs out every session of the user but this one; answers how many ended.
#[server(prefix = "/rpc", endpoint = "sign_out_other_sessions")]
pub async fn sign_out_other_sessions() -> Result<u64, AppError> {
    use super::context;
    let (state, user) = context::signed_in().await?;
    let session = context::session().await?;
    Ok(crate::backend::sessions::listing::sign_out_others(&state, &session, &user).await?)
}
