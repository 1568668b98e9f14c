//! Account operations shared by the server functions and the admin commands.

use std::net::IpAddr;

use super::AppState;
use super::store::{Group, GroupId, StoreError, User};
use super::{sources, throttle};
use crate::domain::{DisplayName, Email, SignInPassword, Username};
use crate::error::AppError;
use crate::server_fns::context::internal;
use crate::server_fns::{GroupView, UserView};

/// Checks a username and password. Unknown users and wrong passwords get the same error
/// after the same work; failures count towards the throttle for account and address.
pub async fn authenticate(state: &AppState, username: &str, password: String, addr: IpAddr) -> Result<User, AppError> {
    if username.trim().is_empty() {
        return Err(AppError::invalid("username", "Enter your username."));
    }
    let password = SignInPassword::parse(password).map_err(|e| AppError::invalid("password", e.0))?;
    let name = Username::parse(username).ok();
    // Names that cannot exist share one throttle bucket, so junk cannot grow the throttle.
    let account_key = name
        .as_ref()
        .map_or_else(|| "(not a username)".to_owned(), Username::to_string);
    let started = state.clock.now();
    throttle::attempt(&state.store, &account_key, addr, started)
        .await
        .map_err(internal)?
        .map_err(|retry_after_secs| AppError::Throttled { retry_after_secs })?;

    let credentials = match &name {
        Some(name) => state.store.credentials(name).await.map_err(internal)?,
        None => None,
    };
    let verified = state
        .passwords
        .verify(
            password.expose(),
            credentials.as_ref().map(|c| c.password_hash.as_str()),
        )
        .await
        .map_err(internal)?;
    match credentials {
        Some(credentials) if verified => {
            if !credentials.user.active {
                return Err(AppError::Deactivated);
            }
            throttle::succeeded(&state.store, &account_key, addr, started)
                .await
                .map_err(internal)?;
            Ok(credentials.user)
        }
        _ => {
            tracing::info!(%addr, "failed sign-in");
            Err(AppError::BadCredentials)
        }
    }
}

/// The user as the profile pages show them.
pub async fn profile(state: &AppState, user: &User) -> Result<UserView, AppError> {
    let sources = sources::sources_of(state, user).await.map_err(internal)?;
    let active = state
        .store
        .count_active_tokens(user.id, state.clock.now())
        .await
        .map_err(internal)?;
    let view = |g: Group| GroupView {
        id: g.id.0,
        name: g.name,
    };
    Ok(UserView {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        groups: sources.groups.into_iter().map(view).collect(),
        default_source: sources.default.map(view),
        effective_source: sources.effective.map(view),
        active_tokens: u32::try_from(active).unwrap_or(u32::MAX),
    })
}

/// Saves a new display name and email (empty email removes it).
pub async fn update_profile(
    state: &AppState,
    user: &User,
    display_name: &str,
    email: &str,
) -> Result<UserView, AppError> {
    let display_name = DisplayName::parse(display_name).map_err(|e| AppError::invalid("display_name", e.0))?;
    let email = if email.trim().is_empty() {
        None
    } else {
        Some(Email::parse(email).map_err(|e| AppError::invalid("email", e.0))?)
    };
    state
        .store
        .update_profile(user.id, &display_name, email.as_ref())
        .await
        .map_err(internal)?;
    let updated = User {
        display_name: display_name.to_string(),
        email: email.map(String::from),
        ..user.clone()
    };
    profile(state, &updated).await
}

/// Sets the default source to one of the user's groups (by id), or clears it (`None`).
pub async fn set_default_source(state: &AppState, user: &User, group: Option<i64>) -> Result<UserView, AppError> {
    if let Some(id) = group {
        let groups = state.store.groups_of(user.id).await.map_err(internal)?;
        if !groups.iter().any(|g| g.id.0 == id) {
            return Err(AppError::invalid(
                "default_source",
                "Choose one of your own groups as default source.",
            ));
        }
    }
    let group = group.map(GroupId);
    state.store.set_default_source(user.id, group).await.map_err(internal)?;
    profile(
        state,
        &User {
            default_source: group,
            ..user.clone()
        },
    )
    .await
}

/// Deactivates an account: it can no longer sign in, and its sessions and API tokens stop
/// working at once.
pub async fn deactivate(state: &AppState, user: &User) -> Result<(), StoreError> {
    state.store.deactivate_user(user.id, state.clock.now()).await?;
    state.store.delete_sessions_of(user.id).await?;
    state.store.revoke_tokens_of(user.id, state.clock.now()).await?;
    state.verifier.evict_user(user.id);
    Ok(())
}
