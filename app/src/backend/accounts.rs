//! Accounts: signing in, the profile a user sees and edits, and creating and finding users
//! (for `admin`).

use super::error::invalid_at;
use super::invalidation::{self, Invalidation};
use super::passwords;
use super::security_log::{self, Failed, Origin};
use super::sources::{self, Sources};
use super::store::{GroupId, NewUser, StoreError, TokenRecord, User};
use super::{AppState, Error, Result, groups, throttle};
use crate::domain::{DisplayName, Email, NewPassword, SignInPassword, Username};

/// A user as the profile pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub user: User,
    pub sources: Sources,
    /// How many of the user's tokens work now.
    pub active_tokens: i64,
    /// The user's working tokens that expire within the urgent warning threshold, soonest
    /// first, and the instant this was worked out.
    pub expiring: Vec<TokenRecord>,
    /// The user's tokens recently revoked because they were found exposed, whose notice
    /// they have not dismissed.
    pub exposed: Vec<super::store::ExposedToken>,
    pub now: chrono::DateTime<chrono::Utc>,
    /// What new token values may be.
    pub token_policy: crate::domain::TokenPolicy,
}

/// Checks a username and password. Unknown users and wrong passwords get the same error
/// after the same work; failures count towards the throttle for account and address.
pub async fn authenticate(state: &AppState, username: &str, password: String, origin: &Origin) -> Result<User> {
    let addr = origin.ip();
    if username.trim().is_empty() {
        return Err(Error::invalid("username", "Enter your username."));
    }
    let password = SignInPassword::parse(password).map_err(invalid_at("password"))?;
    let name = Username::parse(username).ok();
    // Names that cannot exist share one throttle bucket, so junk cannot grow the throttle.
    let account_key = name
        .as_ref()
        .map_or_else(|| "(not a username)".to_owned(), Username::to_string);
    let attempt = throttle::attempt(&state.store, &account_key, addr, state.clock.now())
        .await?
        .map_err(|retry_after_secs| Error::Throttled { retry_after_secs });
    if attempt.is_err() {
        security_log::sign_in_throttled(state, name.as_ref(), username, origin).await;
    }
    let attempt = attempt?;

    let (credentials, verified) = verify_password(state, name.as_ref(), &password).await?;
    match credentials {
        // A deactivated account gets the wrong-password answer, and the attempt still counts,
        // so sign-in tells nobody which accounts exist or were deactivated.
        Some(credentials) if verified && credentials.user.is_active() => {
            throttle::succeeded(&state.store, &attempt).await?;
            state
                .store
                .set_last_signed_in(credentials.user.id, state.clock.now())
                .await?;
            security_log::signed_in(state, &credentials.user, origin).await;
            Ok(credentials.user)
        }
        Some(credentials) if verified => {
            tracing::info!(%addr, user_id = credentials.user.id.0, "sign-in refused: the account is deactivated");
            security_log::sign_in_failed(state, Some(&credentials.user), username, origin, Failed::Deactivated).await;
            Err(Error::BadCredentials)
        }
        credentials => {
            tracing::info!(%addr, "failed sign-in");
            let user = credentials.map(|c| c.user);
            security_log::sign_in_failed(state, user.as_ref(), username, origin, Failed::WrongPassword).await;
            Err(Error::BadCredentials)
        }
    }
}

/// The user with their sources and active token count, as the database has them now.
pub async fn profile(state: &AppState, user: &User) -> Result<Profile> {
    let sources = sources::sources_of(state, user).await?;
    let now = state.clock.now();
    let active_tokens = state.store.count_active_tokens(user.id, now).await?;
    let until = now + chrono::Duration::days(i64::from(state.expiry_warning.urgent_days));
    let expiring = state.store.tokens_expiring(user.id, now, until).await?;
    let exposed = super::tokens::exposure::notices(state, user, now).await?;
    Ok(Profile {
        user: user.clone(),
        sources,
        active_tokens,
        expiring,
        exposed,
        now,
        token_policy: state.token_policy,
    })
}

/// What changing one's password takes, as typed.
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// Changes the signed-in user's password after checking the current one. Wrong current
/// passwords count towards the sign-in throttle (for the account and the address), like
/// failed sign-ins. Every session of the user ends, so the caller must start a fresh one for
/// the person who changed it; answers how many sessions ended.
pub async fn change_password(state: &AppState, user: &User, change: PasswordChange, origin: &Origin) -> Result<u64> {
    let addr = origin.ip();
    if change.current.is_empty() {
        return Err(Error::invalid("current_password", "Enter your current password."));
    }
    let new = NewPassword::parse(change.new).map_err(invalid_at("new_password"))?;
    if change.confirm != new.expose() {
        return Err(Error::invalid(
            "confirm_password",
            "The two new passwords differ: type the same new password twice.",
        ));
    }
    if change.current == new.expose() {
        return Err(Error::invalid(
            "new_password",
            "The new password is the current one: choose a different password.",
        ));
    }
    let current = SignInPassword::parse(change.current).map_err(invalid_at("current_password"))?;
    if !check_password(state, user, &current, origin).await? {
        tracing::info!(%addr, user_id = user.id.0, "password change refused: wrong current password");
        return Err(Error::invalid(
            "current_password",
            "The current password is not correct.",
        ));
    }
    let hash = state.passwords.hash(new.expose()).await?;
    state.store.set_password_hash(user.id, &hash).await?;
    let ended = state.store.delete_sessions_of(user.id).await?;
    tracing::info!(
        user_id = user.id.0,
        ended,
        "changed the password; ended the user's sessions"
    );
    security_log::password_changed(state, user.id, ended, origin).await;
    Ok(ended)
}

/// Whether `password` is the signed-in `user`'s own, for an action that asks for it again
/// (changing the password, confirming it for a sensitive action). Each check counts towards
/// the sign-in throttle for the account and the address, like a sign-in, and is taken back
/// when the password is right; past the limit the answer is `Throttled` and nothing is checked.
pub async fn check_password(state: &AppState, user: &User, password: &SignInPassword, origin: &Origin) -> Result<bool> {
    let attempt = throttle::attempt(&state.store, &user.username, origin.ip(), state.clock.now())
        .await?
        .map_err(|retry_after_secs| Error::Throttled { retry_after_secs })?;
    let name = Username::parse(&user.username).map_err(|e| anyhow::anyhow!("a stored username does not parse: {e}"))?;
    let (_, verified) = verify_password(state, Some(&name), password).await?;
    if verified {
        throttle::succeeded(&state.store, &attempt).await?;
    }
    Ok(verified)
}

/// The account named `name` (none when there is no such name) and whether `password` is its
/// password. Without an account the same hashing work is done, so the time taken tells
/// nothing.
async fn verify_password(
    state: &AppState,
    name: Option<&Username>,
    password: &SignInPassword,
) -> Result<(Option<super::store::Credentials>, bool)> {
    let credentials = match name {
        Some(name) => state.store.credentials(name).await?,
        None => None,
    };
    let verified = state
        .passwords
        .verify(
            password.expose(),
            credentials.as_ref().map(|c| c.password_hash.as_str()),
        )
        .await?;
    Ok((credentials, verified))
}

/// Saves a new display name and email (an empty email removes it).
pub async fn update_profile(state: &AppState, user: &User, display_name: &str, email: &str) -> Result<Profile> {
    let display_name = DisplayName::parse(display_name).map_err(invalid_at("display_name"))?;
    let email = match email.trim() {
        "" => None,
        email => Some(Email::parse(email).map_err(invalid_at("email"))?),
    };
    state
        .store
        .update_profile(user.id, &display_name, email.as_ref())
        .await?;
    invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
    let updated = User {
        display_name: display_name.to_string(),
        email: email.map(String::from),
        ..user.clone()
    };
    profile(state, &updated).await
}

/// Sets the default source to one of the user's groups, or clears it (`None`).
pub async fn set_default_source(state: &AppState, user: &User, group: Option<GroupId>) -> Result<Profile> {
    if let Some(id) = group {
        let groups = state.store.groups_of(user.id).await?;
        if !groups.iter().any(|g| g.id == id) {
            return Err(Error::invalid(
                "default_source",
                "Choose one of your own groups as default source.",
            ));
        }
    }
    state.store.set_default_source(user.id, group).await?;
    invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
    let updated = User {
        default_source: group,
        ..user.clone()
    };
    profile(state, &updated).await
}

/// What creating an account takes; everything is checked here. `Debug` hides the password.
#[derive(Default)]
pub struct NewAccount {
    pub username: String,
    /// Defaults to the username.
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// Group names, joined in this order.
    pub groups: Vec<String>,
    /// `None`: a strong password is generated and returned once.
    pub password: Option<String>,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("groups", &self.groups)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A created account, with the generated password when none was given.
#[derive(Debug)]
pub struct CreatedAccount {
    pub user: User,
    pub generated_password: Option<NewPassword>,
}

/// Creates an account in the given groups (each must exist).
pub async fn create(state: &AppState, account: NewAccount) -> Result<CreatedAccount> {
    let username = Username::parse(&account.username).map_err(invalid_at("username"))?;
    let display_name = DisplayName::parse(account.display_name.as_deref().unwrap_or(username.as_str()))
        .map_err(invalid_at("display_name"))?;
    let email = account
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(invalid_at("email"))?;
    let mut joined = Vec::with_capacity(account.groups.len());
    for name in &account.groups {
        joined.push(groups::find(state, name).await?);
    }
    let (password, generated) = match account.password {
        Some(p) => (NewPassword::parse(p).map_err(invalid_at("password"))?, false),
        None => (
            NewPassword::parse(passwords::generate_password()).map_err(invalid_at("password"))?,
            true,
        ),
    };
    let password_hash = state.passwords.hash(password.expose()).await?;
    let now = state.clock.now();
    let new = NewUser {
        username: username.clone(),
        display_name,
        email,
        password_hash,
        created_at: now,
    };
    let id = match state.store.insert_user(&new).await {
        Ok(id) => id,
        Err(StoreError::Duplicate) => {
            return Err(Error::conflict(
                "username",
                format!("A user named \"{username}\" already exists."),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    for (i, group) in joined.iter().enumerate() {
        // One millisecond apart, so "the group joined first" follows the order given.
        let at = now + chrono::Duration::milliseconds(i64::try_from(i).unwrap_or(0));
        state.store.add_membership(id, group.id, at).await?;
    }
    let user = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created user cannot be read back"))?;
    Ok(CreatedAccount {
        user,
        generated_password: generated.then_some(password),
    })
}

/// The user with this username.
pub async fn find(state: &AppState, username: &str) -> Result<User> {
    let name = Username::parse(username).map_err(invalid_at("username"))?;
    state
        .store
        .user_by_username(&name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("There is no user named \"{name}\".")))
}

/// Whether no account exists yet (a fresh installation).
pub async fn none_yet(state: &AppState) -> Result<bool> {
    Ok(state.store.count_users().await? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_password() {
        let account = NewAccount {
            username: "alice".into(),
            password: Some("correct horse battery staple".into()),
            ..NewAccount::default()
        };
        let shown = format!("{account:?}");
        assert!(shown.contains("alice") && !shown.contains("horse"), "{shown}");
    }
}
