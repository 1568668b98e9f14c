//! Admin commands: thin adapters around backend operations. Each writes a short report to
//! `out` and fails with a message that says what to fix.

use std::io::Write;

use app::backend::accounts::{self, NewAccount};
use app::backend::admin::{self as operations, Actor};
use app::backend::{AppState, Error, groups};

/// The demo account the run command loads.
pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "tessera-demo-password";
pub const DEMO_GROUPS: [&str; 2] = ["Threat Research", "SOC Analysts"];
/// The demo's administrator.
pub const DEMO_ADMIN_USERNAME: &str = "admin";
pub const DEMO_ADMIN_PASSWORD: &str = "tessera-admin-password";

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
    let group = operations::create_group(state, Actor::Command("tessera group create"), name)
        .await
        .map_err(plain)?;
    writeln!(out, "Created group \"{}\".", group.name)?;
    Ok(())
}

/// `tessera group rename NAME NEW_NAME`
pub async fn rename_group(state: &AppState, name: &str, new_name: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let group = groups::find(state, name)
        .await
        .map_err(|e| cli_error(e, Some("See `tessera group list`.")))?;
    let renamed = operations::rename_group(state, Actor::Command("tessera group rename"), group.id, new_name)
        .await
        .map_err(plain)?;
    writeln!(out, "Renamed group \"{}\" to \"{}\".", group.name, renamed.name)?;
    Ok(())
}

/// `tessera group list`: one line per group, tab-separated: name, then members.
pub async fn list_groups(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    let groups = operations::groups(state).await.map_err(plain)?;
    if groups.is_empty() {
        writeln!(out, "No groups yet. Create one with: tessera group create NAME")?;
    }
    for g in groups {
        writeln!(out, "{}\t{}", g.group.name, g.members.join(", "))?;
    }
    Ok(())
}

/// `tessera user create USERNAME … [--admin]`: prints a generated password once.
pub async fn create_user(
    state: &AppState,
    account: NewAccount,
    admin: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let created = operations::create_user(state, Actor::Command("tessera user create"), account, admin)
        .await
        .map_err(|e| cli_error(e, Some("Create it first with `tessera group create`.")))?;
    let role = if admin { "administrator" } else { "user" };
    writeln!(out, "Created {role} \"{}\".", created.user.username)?;
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
    operations::add_to_group(state, Actor::Command("tessera user add-to-group"), &user, &group)
        .await
        .map_err(plain)?;
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
    operations::remove_from_group(state, Actor::Command("tessera user remove-from-group"), &user, &group)
        .await
        .map_err(plain)?;
    writeln!(out, "Removed \"{}\" from \"{}\".", user.username, group.name)?;
    Ok(())
}

async fn existing_user(state: &AppState, username: &str) -> anyhow::Result<app::backend::store::User> {
    accounts::find(state, username)
        .await
        .map_err(|e| cli_error(e, Some("See `tessera user list`.")))
}

/// `tessera user deactivate USERNAME`
pub async fn deactivate(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    operations::deactivate(state, Actor::Command("tessera user deactivate"), &user)
        .await
        .map_err(plain)?;
    writeln!(
        out,
        "Deactivated \"{}\": they cannot sign in, and their sessions and API tokens have stopped working.",
        user.username
    )?;
    Ok(())
}

/// `tessera user reactivate USERNAME`
pub async fn reactivate(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    operations::reactivate(state, Actor::Command("tessera user reactivate"), &user)
        .await
        .map_err(plain)?;
    writeln!(
        out,
        "Reactivated \"{}\": they can sign in again. Their old API tokens stay revoked.",
        user.username
    )?;
    Ok(())
}

/// `tessera user grant-admin USERNAME`
pub async fn grant_admin(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    operations::grant_admin(state, Actor::Command("tessera user grant-admin"), &user)
        .await
        .map_err(plain)?;
    writeln!(out, "\"{}\" is now an administrator.", user.username)?;
    Ok(())
}

/// `tessera user revoke-admin USERNAME`
pub async fn revoke_admin(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    operations::revoke_admin(state, Actor::Command("tessera user revoke-admin"), &user)
        .await
        .map_err(plain)?;
    writeln!(out, "\"{}\" is no longer an administrator.", user.username)?;
    Ok(())
}

/// `tessera user tokens USERNAME`: the user's listed tokens, one line each, tab-separated:
/// id, name, expiry, last use. Never a value.
pub async fn list_tokens(state: &AppState, username: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    let detail = operations::user(state, &user.username).await.map_err(plain)?;
    if detail.tokens.is_empty() {
        writeln!(out, "\"{}\" has no API tokens.", user.username)?;
    }
    let at = |t: Option<chrono::DateTime<chrono::Utc>>, none: &str| {
        t.map_or_else(|| none.to_owned(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
    };
    for listed in detail.tokens {
        let t = listed.token;
        let expiry = match t.expires_at {
            Some(e) if e <= detail.now => format!("expired {}", at(Some(e), "")),
            e => at(e, "never expires"),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            t.id.0,
            t.name,
            expiry,
            at(t.last_used_at, "never used")
        )?;
    }
    Ok(())
}

/// `tessera user revoke-tokens USERNAME [--token ID]`: one token, or all of them.
pub async fn revoke_tokens(
    state: &AppState,
    username: &str,
    token: Option<i64>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let user = existing_user(state, username).await?;
    let actor = Actor::Command("tessera user revoke-tokens");
    match token {
        Some(id) => {
            operations::revoke_token(state, actor, &user, app::backend::store::TokenId(id))
                .await
                .map_err(|e| cli_error(e, Some("See `tessera user tokens`.")))?;
            writeln!(out, "Revoked token {id} of \"{}\".", user.username)?;
        }
        None => {
            let n = operations::revoke_all_tokens(state, actor, &user)
                .await
                .map_err(plain)?;
            writeln!(
                out,
                "Revoked {n} API token{} of \"{}\".",
                if n == 1 { "" } else { "s" },
                user.username
            )?;
        }
    }
    Ok(())
}

/// `tessera user list`: one line per user, tab-separated.
pub async fn list_users(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    let users = operations::all_users(state).await.map_err(plain)?;
    if users.is_empty() {
        writeln!(out, "No users yet. Create one with: tessera user create USERNAME")?;
    }
    for summary in users {
        let u = &summary.user;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            u.username,
            u.display_name,
            u.email.as_deref().unwrap_or("-"),
            if u.is_active() { "active" } else { "deactivated" },
            if u.admin_since.is_some() { "admin" } else { "user" },
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
    let demo = NewAccount {
        username: DEMO_USERNAME.into(),
        display_name: Some("Dana Demo".into()),
        email: Some("demo@example.org".into()),
        groups: DEMO_GROUPS.iter().map(|g| (*g).to_owned()).collect(),
        password: Some(DEMO_PASSWORD.into()),
    };
    let admin = NewAccount {
        username: DEMO_ADMIN_USERNAME.into(),
        display_name: Some("Ada Admin".into()),
        email: Some("admin@example.org".into()),
        groups: vec![DEMO_GROUPS[1].to_owned()],
        password: Some(DEMO_ADMIN_PASSWORD.into()),
    };
    for (account, is_admin) in [(demo, false), (admin, true)] {
        match accounts::find(state, &account.username).await {
            Ok(_) => writeln!(out, "The demo user \"{}\" already exists.", account.username)?,
            Err(Error::NotFound(_)) => create_user(state, account, is_admin, out).await?,
            Err(e) => return Err(plain(e)),
        }
    }
    remind_demo(state, out).await
}

/// Says how to sign in to the demo accounts that are there.
pub async fn remind_demo(state: &AppState, out: &mut impl Write) -> anyhow::Result<()> {
    if accounts::find(state, DEMO_USERNAME).await.is_ok_and(|u| u.is_active()) {
        writeln!(
            out,
            "Demo account: sign in as \"{DEMO_USERNAME}\" with password \"{DEMO_PASSWORD}\"."
        )?;
    }
    if accounts::find(state, DEMO_ADMIN_USERNAME)
        .await
        .is_ok_and(|u| u.is_admin())
    {
        writeln!(
            out,
            "Demo administrator: sign in as \"{DEMO_ADMIN_USERNAME}\" with password \"{DEMO_ADMIN_PASSWORD}\"."
        )?;
    }
    Ok(())
}

/// `--since`: a date (midnight UTC) or an RFC 3339 instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since(pub chrono::DateTime<chrono::Utc>);

impl std::str::FromStr for Since {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(Self(at.with_timezone(&chrono::Utc)));
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Self(t.and_utc()))
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a date: use YYYY-MM-DD (UTC) or an RFC 3339 instant such as 2026-11-28T09:30:00Z"
                )
            })
    }
}

/// How `tessera audit` writes events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// One JSON object per line, times in RFC 3339.
    Jsonl,
    /// Aligned columns for a person.
    Table,
}

/// Events read from the database at a time.
const AUDIT_BATCH: i64 = 1_000;

/// One event as `tessera audit --format jsonl` writes it.
#[derive(serde::Serialize)]
struct AuditLine<'a> {
    id: i64,
    at: String,
    kind: &'a str,
    user_id: Option<i64>,
    username: Option<&'a str>,
    token_id: Option<i64>,
    token_name: Option<&'a str>,
    client_addr: Option<&'a str>,
    user_agent: Option<&'a str>,
    detail: Option<&'a str>,
    /// The administrator who did it, when not the user (none for `tessera` commands).
    actor: Option<&'a str>,
}

/// `tessera audit [--user U] [--since DATE] [--format jsonl|table]`: the security log,
/// oldest first.
pub async fn audit(
    state: &AppState,
    user: Option<&str>,
    since: Option<Since>,
    format: AuditFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use app::backend::security_log::{self, AuditQuery};
    let user = match user {
        Some(name) => Some(
            accounts::find(state, name)
                .await
                .map_err(|e| cli_error(e, Some("See `tessera user list`.")))?
                .id,
        ),
        None => None,
    };
    let query = AuditQuery {
        user,
        since: since.map(|s| s.0),
    };
    if format == AuditFormat::Table {
        writeln!(
            out,
            "{:<20}  {:<22}  {:<16}  {:<20}  {:<15}  DETAIL",
            "TIME (UTC)", "EVENT", "USER", "TOKEN", "ADDRESS"
        )?;
    }
    let mut after = 0;
    loop {
        let batch = security_log::audit(state, query, after, AUDIT_BATCH)
            .await
            .map_err(plain)?;
        for e in &batch {
            match format {
                AuditFormat::Jsonl => {
                    let line = AuditLine {
                        id: e.id,
                        at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        kind: &e.kind,
                        user_id: e.user_id.map(|u| u.0),
                        username: e.username.as_deref(),
                        token_id: e.token_id.map(|t| t.0),
                        token_name: e.token_name.as_deref(),
                        client_addr: e.client_addr.as_deref(),
                        user_agent: e.user_agent.as_deref(),
                        detail: e.detail.as_deref(),
                        actor: e.actor_name.as_deref(),
                    };
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
                AuditFormat::Table => {
                    let token = match (e.token_id, e.token_name.as_deref()) {
                        (Some(id), Some(name)) => format!("{name} (#{})", id.0),
                        (Some(id), None) => format!("#{}", id.0),
                        _ => "-".to_owned(),
                    };
                    writeln!(
                        out,
                        "{:<20}  {:<22}  {:<16}  {:<20}  {:<15}  {}",
                        e.at.format("%Y-%m-%d %H:%M:%S"),
                        e.kind,
                        e.username.as_deref().unwrap_or("-"),
                        token,
                        e.client_addr.as_deref().unwrap_or("-"),
                        e.detail.as_deref().unwrap_or("")
                    )?;
                }
            }
        }
        match batch.last() {
            Some(last) if i64::try_from(batch.len()).unwrap_or(0) == AUDIT_BATCH => after = last.id,
            _ => break,
        }
    }
    Ok(())
}
