//! Admin commands: thin adapters around backend operations. Each writes a short report to
//! `out` and fails with a message that says what to fix.

use std::io::Write;

use app::backend::accounts::{self, NewAccount};
use app::backend::{AppState, Error, groups};

/// The demo account the run command loads.
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "tessera-demo-password";
pub const DEMO_GROUPS: [&str; 2] = ["Threat Research", "SOC Analysts"];

/// A backend error as the command line says it: the field named, a hint where one helps.
fn cli_error(error: Error, hint: Option<&str>) -> anyhow::Error {
    match error {
        Error::Internal(e) => e,
        Error::Invalid { field, message } => anyhow::anyhow!("invalid {}: {message}", field.replace('_', " ")),
        other => match hint {
            Some(hint) if matches!(other, Error::NotFound(_)) => anyhow::anyhow!("{other} {hint}"),
            _ => anyhow::anyhow!("{other}"),
        },
    }
}

fn plain(error: Error) -> anyhow::Error {
    cli_error(error, None)
}

/// `tessera group create NAME`
pub async fn create_group(state: &AppState, name: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let group = groups::create(state, name).await.map_err(plain)?;
    writeln!(out, "Created group \"{}\".", group.name)?;
    Ok(())
}

/// `tessera user create USERNAME …`: prints a generated password once.
pub async fn create_user(state: &AppState, account: NewAccount, out: &mut impl Write) -> anyhow::Result<()> {
    let created = accounts::create(state, account)
        .await
        .map_err(|e| cli_error(e, Some("Create it first with `tessera group create`.")))?;
    writeln!(out, "Created user \"{}\".", created.user.username)?;
    if let Some(password) = created.generated_password {
        writeln!(out, "Password (shown once, store it now): {}", password.expose())?;
    }
    Ok(())
}

async fn user_and_group(
    state: &AppState,
    username: &str,
    group: &str,
) -> anyhow::Result<(app::backend::store::User, app::backend::store::Group)> {
    let user = accounts::find(state, username)
        .await
        .map_err(|e| cli_error(e, Some("See `tessera user list`.")))?;
    let group = groups::find(state, group)
        .await
        .map_err(|e| cli_error(e, Some("Create it with `tessera group create`.")))?;
    Ok((user, group))
}

/// `tessera user add-to-group USERNAME GROUP`
pub async fn add_to_group(state: &AppState, username: &str, group: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let (user, group) = user_and_group(state, username, group).await?;
    groups::add_member(state, &user, &group).await.map_err(plain)?;
    writeln!(out, "Added \"{}\" to \"{}\".", user.username, group.name)?;
    Ok(())
}

/// `tessera user remove-from-group USERNAME GROUP`
pub async fn remove_from_group(
    state: &AppState,
    username: &str,
    group: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (user, group) = user_and_group(state, username, group).await?;
    groups::remove_member(state, &user, &group).await.map_err(plain)?;
    writeln!(out, "Removed \"{}\" from \"{}\".", user.username, group.name)?;
    Ok(())
}

/// `tessera user deactivate USERNAME`
pub async fn deactivate(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = accounts::find(state, username)
        .await
        .map_err(|e| cli_error(e, Some("See `tessera user list`.")))?;
    accounts::deactivate(state, &user).await.map_err(plain)?;
    writeln!(
        out,
        "Deactivated \"{}\": they cannot sign in, and their sessions and API tokens have stopped working.",
        user.username
    )?;
    Ok(())
}

/// `tessera user list`: one line per user, tab-separated.
pub async fn list_users(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    let users = accounts::list(state).await.map_err(plain)?;
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
            if u.is_active() { "active" } else { "deactivated" },
            summary.groups.join(", ")
        )?;
    }
    Ok(())
}

/// `tessera demo`: loads the demo groups and user; a no-op for what already exists.
pub async fn load_demo(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    for name in DEMO_GROUPS {
        match groups::create(state, name).await {
            Ok(group) => writeln!(out, "Created group \"{}\".", group.name)?,
            Err(Error::Conflict { .. }) => {}
            Err(e) => return Err(plain(e)),
        }
    }
    match accounts::find(state, DEMO_USERNAME).await {
        Ok(_) => {
            writeln!(out, "The demo user already exists.")?;
            return Ok(());
        }
        Err(Error::NotFound(_)) => {}
        Err(e) => return Err(plain(e)),
    }
    let account = NewAccount {
        username: DEMO_USERNAME.into(),
        display_name: Some("Dana Demo".into()),
        email: Some("demo@example.org".into()),
        groups: DEMO_GROUPS.iter().map(|g| (*g).to_owned()).collect(),
        password: Some(DEMO_PASSWORD.into()),
    };
    create_user(state, account, out).await?;
    writeln!(
        out,
        "Demo loaded: sign in as \"{DEMO_USERNAME}\" with password \"{DEMO_PASSWORD}\"."
    )?;
    Ok(())
}

/// Says how to sign in to the demo account, when it is there.
pub async fn remind_demo(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    if accounts::find(state, DEMO_USERNAME).await.is_ok_and(|u| u.is_active()) {
        writeln!(
            out,
            "Demo account: sign in as \"{DEMO_USERNAME}\" with password \"{DEMO_PASSWORD}\"."
        )?;
    }
    Ok(())
}
