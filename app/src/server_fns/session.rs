//! Sign-in, sign-out, "who am I" and confirming the password before a sensitive action.

use leptos::prelude::*;

use super::{Secret, UserView};
use crate::error::AppError;

/// The signed-in user, or `None` when nobody is signed in.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use super::context;
    use crate::backend::{accounts, sessions};
    let state = context::state()?;
    let Some(user) = sessions::current_user(&state, &context::session().await?).await? else {
        return Ok(None);
    };
    Ok(Some(accounts::profile(&state, &user).await?.into()))
}

/// Signs in with username and password; starts a new session on success. The sign-in page
/// posts a plain form to `/login` instead (the server's `login_page`); this answer in JSON
/// is for scripts and tests.
#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(username: String, password: Secret) -> Result<UserView, AppError> {
    use super::context;
    use crate::backend::{accounts, sessions};
    let state = context::state()?;
    let session = context::session().await?;
    let origin = context::origin().await;
    let user = sessions::sign_in(&state, &session, &username, password.into_inner(), &origin).await?;
    Ok(accounts::profile(&state, &user).await?.into())
}

/// Ends the current session.
#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::context;
    use crate::backend::{security_log, sessions};
    let (state, session) = (context::state()?, context::session().await?);
    // Who is signing out, for their security log; signing out works whatever this answers.
    let user = sessions::current_user(&state, &session).await.ok().flatten();
    sessions::end(&session).await?;
    security_log::signed_out(&state, user.as_ref(), &context::origin().await).await;
    Ok(())
}

/// Confirms the signed-in user's password before a sensitive action ("sudo mode"): once it
/// is right, actions that answered `ReauthRequired` go ahead for the next hour. A wrong
/// password is refused at the `password` field and counts towards the sign-in throttle.
#[server(prefix = "/rpc", endpoint = "confirm_password")]
pub async fn confirm_password(password: Secret) -> Result<(), AppError> {
    use super::context;
    use crate::backend::sessions;
    let (state, user) = context::signed_in().await?;
    let session = context::session().await?;
    let origin = context::origin().await;
    sessions::confirm_password(&state, &session, &user, password.into_inner(), &origin).await?;
    tracing::info!(user_id = user.id.0, "confirmed the password for sensitive actions");
    Ok(())
}
