//! Admin commands on the database. Each writes a short report to `out` and fails with a
//! message that says what to fix.

use std::io::Write;

use anyhow::{Context as _, anyhow, bail};
use app::backend::store::{NewUser, StoreError, User};
use app::backend::{AppState, accounts, passwords};
use app::domain::{DisplayName, Email, GroupName, NewPassword, Username};

/// The demo account the run command loads.
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "tessera-demo-password";
pub const DEMO_GROUPS: [&str; 2] = ["Threat Research", "SOC Analysts"];

/// Input of `tessera user create`.
#[derive(Debug, Default)]
pub struct CreateUser {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub groups: Vec<String>,
    /// `None`: generate one and print it once.
    pub password: Option<String>,
}

pub async fn create_group(state: &AppState, name: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let name = GroupName::parse(name).map_err(|e| anyhow!("invalid group name: {e}"))?;
    match state.store.insert_group(&name, state.clock.now()).await {
        Ok(_) => Ok(writeln!(out, "Created group \"{name}\".")?),
        Err(StoreError::Duplicate) => bail!("a group named \"{name}\" already exists"),
        Err(e) => Err(e).context("creating the group"),
    }
}

pub async fn create_user(state: &AppState, request: CreateUser, out: &mut impl Write) -> anyhow::Result<()> {
    let username = Username::parse(&request.username).map_err(|e| anyhow!("invalid username: {e}"))?;
    let display_name = DisplayName::parse(request.display_name.as_deref().unwrap_or(username.as_str()))
        .map_err(|e| anyhow!("invalid display name: {e}"))?;
    let email = request
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(|e| anyhow!("invalid email: {e}"))?;
    let mut groups = Vec::new();
    for name in &request.groups {
        groups.push(find_group(state, name).await?);
    }
    let (password, generated) = match request.password {
        Some(p) => (
            NewPassword::parse(p).map_err(|e| anyhow!("invalid password: {e}"))?,
            false,
        ),
        None => (
            NewPassword::parse(passwords::generate_password()).map_err(|e| anyhow!("{e}"))?,
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
        Err(StoreError::Duplicate) => bail!("a user named \"{username}\" already exists"),
        Err(e) => return Err(e).context("creating the user"),
    };
    for (i, group) in groups.iter().enumerate() {
        let joined = now + chrono::Duration::milliseconds(i64::try_from(i).unwrap_or(0));
        state
            .store
            .add_membership(id, group.id, joined)
            .await
            .context("adding the user to a group")?;
    }
    writeln!(out, "Created user \"{username}\".")?;
    if generated {
        writeln!(out, "Password (shown once, store it now): {}", password.expose())?;
    }
    Ok(())
}

pub async fn add_to_group(state: &AppState, username: &str, group: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = find_user(state, username).await?;
    let group = find_group(state, group).await?;
    match state.store.add_membership(user.id, group.id, state.clock.now()).await {
        Ok(()) => Ok(writeln!(out, "Added \"{}\" to \"{}\".", user.username, group.name)?),
        Err(StoreError::Duplicate) => bail!("\"{}\" is already in \"{}\"", user.username, group.name),
        Err(e) => Err(e).context("adding the membership"),
    }
}

pub async fn remove_from_group(
    state: &AppState,
    username: &str,
    group: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let user = find_user(state, username).await?;
    let group = find_group(state, group).await?;
    if !state
        .store
        .remove_membership(user.id, group.id)
        .await
        .context("removing the membership")?
    {
        bail!("\"{}\" is not in \"{}\"", user.username, group.name);
    }
    writeln!(out, "Removed \"{}\" from \"{}\".", user.username, group.name)?;
    Ok(())
}

pub async fn deactivate(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = find_user(state, username).await?;
    if !user.active {
        bail!("\"{}\" is already deactivated", user.username);
    }
    accounts::deactivate(state, &user)
        .await
        .context("deactivating the user")?;
    writeln!(
        out,
        "Deactivated \"{}\": they cannot sign in, and their sessions and API tokens have stopped working.",
        user.username
    )?;
    Ok(())
}

pub async fn list_users(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    let users = state.store.list_users().await.context("listing users")?;
    if users.is_empty() {
        writeln!(out, "No users yet. Create one with: tessera user create USERNAME")?;
    }
    for summary in users {
        let u = &summary.user;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            u.username,
            u.display_name,
            u.email.as_deref().unwrap_or("-"),
            if u.active { "active" } else { "deactivated" },
            summary.groups.join(", ")
        )?;
    }
    Ok(())
}

/// Loads the demo groups and user; a no-op for what already exists.
pub async fn load_demo(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    for name in DEMO_GROUPS {
        let parsed = GroupName::parse(name).map_err(|e| anyhow!("{e}"))?;
        if state.store.group_by_name(&parsed).await?.is_none() {
            create_group(state, name, out).await?;
        }
    }
    let demo = Username::parse(DEMO_USERNAME).map_err(|e| anyhow!("{e}"))?;
    if state.store.user_by_username(&demo).await?.is_some() {
        writeln!(out, "The demo user already exists.")?;
        return Ok(());
    }
    let request = CreateUser {
        username: DEMO_USERNAME.into(),
        display_name: Some("Dana Demo".into()),
        email: Some("demo@example.org".into()),
        groups: DEMO_GROUPS.iter().map(|g| (*g).to_owned()).collect(),
        password: Some(DEMO_PASSWORD.into()),
    };
    create_user(state, request, out).await?;
    writeln!(
        out,
        "Demo loaded: sign in as \"{DEMO_USERNAME}\" with password \"{DEMO_PASSWORD}\"."
    )?;
    Ok(())
}

/// Says how to sign in to the demo account, when it is there.
pub async fn remind_demo(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    let demo = Username::parse(DEMO_USERNAME).map_err(|e| anyhow!("{e}"))?;
    if state.store.user_by_username(&demo).await?.is_some_and(|u| u.active) {
        writeln!(
            out,
            "Demo account: sign in as \"{DEMO_USERNAME}\" with password \"{DEMO_PASSWORD}\"."
        )?;
    }
    Ok(())
}

async fn find_user(state: &AppState, username: &str) -> anyhow::Result<User> {
    let name = Username::parse(username).map_err(|e| anyhow!("invalid username: {e}"))?;
    state
        .store
        .user_by_username(&name)
        .await?
        .ok_or_else(|| anyhow!("no user named \"{name}\" (see `tessera user list`)"))
}

async fn find_group(state: &AppState, name: &str) -> anyhow::Result<app::backend::store::Group> {
    let parsed = GroupName::parse(name).map_err(|e| anyhow!("invalid group name: {e}"))?;
    state
        .store
        .group_by_name(&parsed)
        .await?
        .ok_or_else(|| anyhow!("no group named \"{parsed}\" (create it with `tessera group create`)"))
}
