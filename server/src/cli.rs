//! The `tessera` command line.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use app::backend::accounts::NewAccount;
use app::backend::store::DatabaseUrl;
use app::backend::tokens::Pepper;
use app::backend::{AppState, Clock, Store};
use clap::{Args, Parser, Subcommand};

use crate::access_log::AccessLog;
use crate::admin;
use crate::config::{DEFAULT_DATABASE_URL, DEFAULT_PEPPER_FILE, ServeConfig};
use crate::hosts::{HostPort, PublicUrl};
use crate::limits::{self, ConnectionLimits};
use crate::startup::{Application, ShutdownSignal};

#[derive(Debug, Parser)]
#[command(
    name = "tessera",
    version,
    about = "Personal API tokens for a threat-intelligence platform"
)]
pub struct Cli {
    /// Database to use: sqlite://path/to/file.db
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: DatabaseUrl,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Manage user groups (the sources objects are attributed to).
    #[command(subcommand)]
    Group(GroupCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the demo groups, user and administrator (skipped when they exist).
    Demo,
    /// Print the security log (sign-ins, token changes, refused requests), oldest first, for a SIEM.
    Audit(AuditArgs),
    /// Write the brotli and gzip copies of the built client's files that are missing or older
    /// than their file (`serve` does this itself at start).
    Precompress(PrecompressArgs),
}

#[derive(Debug, Args)]
pub struct PrecompressArgs {
    /// The built web client (Trunk's output folder).
    #[arg(long, env = "TESSERA_DIST", default_value = "dist")]
    pub dist: PathBuf,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this user's events.
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,
    /// Only events at or after this date (YYYY-MM-DD, UTC) or instant (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<admin::Since>,
    /// jsonl: one JSON object per line; table: columns for a person.
    #[arg(long, value_enum, default_value_t = admin::AuditFormat::Jsonl)]
    pub format: admin::AuditFormat,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "TESSERA_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The built web client (Trunk's output folder).
    #[arg(long, env = "TESSERA_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Serve the session cookie as Secure with the __Host- prefix (behind https).
    #[arg(long, env = "TESSERA_COOKIE_SECURE")]
    pub cookie_secure: bool,
    /// The token pepper file (created on first start). Every instance on one database needs the same.
    #[arg(long, env = "TESSERA_PEPPER_FILE", default_value = DEFAULT_PEPPER_FILE)]
    pub pepper_file: PathBuf,
    /// Load the demo data when the database has no users.
    #[arg(long)]
    pub seed_demo: bool,
    /// A reverse proxy or load balancer whose X-Forwarded-For header gives the client's address
    /// (repeatable; comma-separated in the environment variable).
    #[arg(long = "trusted-proxy", env = "TESSERA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Entities and observables one API token may create per minute (on each instance).
    #[arg(long, env = "TESSERA_OBJECTS_PER_MINUTE", default_value_t = app::backend::state::DEFAULT_OBJECTS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub objects_per_minute: u32,
    /// When a token's coming expiry is pointed out, in days: "Expires soon" within the first
    /// number, "Expires in N days" and a banner within the second.
    #[arg(
        long,
        env = "TESSERA_TOKEN_EXPIRY_WARNING_DAYS",
        default_value = "30,7",
        value_name = "SOON,URGENT"
    )]
    pub token_expiry_warning_days: app::domain::ExpiryWarning,
    /// The longest a new or rotated token value may last, in months (1 to 24); unset: 24.
    /// Tokens made before keep their expiry.
    #[arg(long, env = "TESSERA_MAX_TOKEN_LIFETIME_MONTHS", value_name = "MONTHS",
          value_parser = parse_max_months)]
    pub max_token_lifetime_months: Option<u32>,
    /// Refuse new and rotated token values that never expire. Tokens made before keep working.
    #[arg(long, env = "TESSERA_REQUIRE_TOKEN_EXPIRY",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub require_token_expiry: bool,
    /// The URL people open, e.g. https://tessera.example.org. Requests must name its host, and
    /// only its pages may call server functions; an https URL also means --cookie-secure.
    #[arg(long, env = "TESSERA_PUBLIC_URL")]
    pub public_url: Option<PublicUrl>,
    /// Another HOST[:PORT] clients address the server by (repeatable; comma-separated in the
    /// environment variable). On a loopback address, localhost, 127.0.0.1 and [::1] with the
    /// port are always served; on any other address this or --public-url is required.
    #[arg(long = "allowed-host", env = "TESSERA_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<HostPort>,
    /// Most connections served at once; more clients wait in the listen queue.
    #[arg(long, env = "TESSERA_MAX_CONNECTIONS", default_value_t = limits::MAX_CONNECTIONS as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Write no access log (one line per request otherwise; `RUST_LOG=tessera::access=off`
    /// does the same).
    #[arg(long, env = "TESSERA_NO_ACCESS_LOG")]
    pub no_access_log: bool,
    /// Milliseconds a client may take to send request headers (also the keep-alive idle time).
    #[arg(long, hide = true, default_value_t = millis(limits::HEADER_READ_TIMEOUT),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_ms: u64,
    /// Milliseconds shutdown waits for requests in flight before closing connections.
    #[arg(long, hide = true, default_value_t = millis(limits::SHUTDOWN_TIMEOUT))]
    pub shutdown_timeout_ms: u64,
}

fn parse_max_months(input: &str) -> Result<u32, String> {
    app::domain::TokenPolicy::parse_max_months(input).map_err(|e| e.0)
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a group.
    Create { name: String },
    /// Rename a group (objects keep it as their source under the new name).
    Rename { name: String, new_name: String },
    /// List groups with their members.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; without --password-stdin a strong password is generated and printed once.
    Create {
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Add the user to this group (repeatable; the first is the one joined first).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        /// Make the user an administrator (the admin area in the browser).
        #[arg(long)]
        admin: bool,
    },
    /// Add a user to a group.
    AddToGroup { username: String, group: String },
    /// Take a user out of a group (their objects there stay; new ones go to another source).
    RemoveFromGroup { username: String, group: String },
    /// Deactivate a user: no sign-in, sessions and tokens stop working at once.
    Deactivate { username: String },
    /// Let a deactivated user sign in again (their old tokens stay revoked).
    Reactivate { username: String },
    /// Make a user an administrator.
    GrantAdmin { username: String },
    /// Take the administrator role away (never from the last active administrator).
    RevokeAdmin { username: String },
    /// List a user's API tokens (never their values).
    Tokens { username: String },
    /// Revoke one of a user's API tokens (--token ID, from `tessera user tokens`), or all.
    RevokeTokens {
        username: String,
        #[arg(long, value_name = "ID")]
        token: Option<i64>,
    },
    /// List users.
    List,
}

/// Compresses the client's files in a child process, `tessera precompress`: brotli's working
/// memory (tens of MiB at its best quality) then goes back to the system as the child exits,
/// where in this process the allocator would keep much of it for good (the idle server was
/// 25 MiB after compressing, against 13 MiB). Start-up compresses whatever is left undone.
fn precompress_in_a_child(dist: &std::path::Path) {
    let child = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .arg("precompress")
            .arg("--dist")
            .arg(dist)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .status()
    });
    match child {
        Ok(status) if status.success() => {}
        Ok(status) => tracing::warn!(%status, "compressing the client's files in a child process failed"),
        Err(error) => tracing::warn!(%error, "could not start a child process to compress the client's files"),
    }
}

/// Runs one command. `input` is read only by `--password-stdin`; `out` gets the report.
pub async fn execute(cli: Cli, input: impl Read, out: &mut impl Write) -> anyhow::Result<()> {
    if let Command::Precompress(args) = &cli.command {
        let files = crate::assets::precompress(&args.dist)?;
        writeln!(out, "{}: compressed {files} new or changed files", args.dist.display())?;
        return Ok(());
    }
    if let Command::Serve(args) = cli.command {
        let config = ServeConfig {
            addr: args.addr,
            database_url: cli.database_url,
            pepper_file: args.pepper_file,
            dist: args.dist,
            cookie_secure: args.cookie_secure,
            seed_demo: args.seed_demo,
            trusted_proxies: args.trusted_proxies,
            objects_per_minute: args.objects_per_minute,
            expiry_warning: args.token_expiry_warning_days,
            token_policy: app::domain::TokenPolicy {
                max_months: args.max_token_lifetime_months,
                require_expiry: args.require_token_expiry,
            },
            public_url: args.public_url,
            allowed_hosts: args.allowed_hosts,
            access_log: if args.no_access_log {
                AccessLog::Off
            } else {
                AccessLog::On
            },
            connections: ConnectionLimits {
                header_read_timeout: std::time::Duration::from_millis(args.header_timeout_ms),
                max_connections: args.max_connections as usize,
                shutdown_timeout: std::time::Duration::from_millis(args.shutdown_timeout_ms),
                ..ConnectionLimits::default()
            },
        };
        // Settings that cannot work are refused before any work is done.
        config.check()?;
        precompress_in_a_child(&config.dist);
        let app = Application::build(config.clone()).await?;
        if !config.dist.join("index.html").exists() {
            tracing::warn!(dist = %config.dist.display(), "the web client is not built; only the API is served");
        }
        // Listening for signals before the address is announced: whoever starts the server
        // may stop it as soon as it reads that line.
        let shutdown = ShutdownSignal::install()?;
        let bound = SocketAddr::new(config.addr.ip(), app.port());
        writeln!(out, "Tessera is listening on http://{bound}")?;
        out.flush()?;
        return app.run_until(shutdown.received()).await;
    }
    // Admin commands never hash tokens, so they need no pepper of their own.
    let state = AppState::new(
        Store::connect(cli.database_url.expose()).await?,
        Clock::system(),
        Pepper::generate(),
    );
    let result = match cli.command {
        Command::Serve(_) | Command::Precompress(_) => Ok(()),
        Command::Demo => admin::load_demo(&state, out).await,
        Command::Group(GroupCommand::Create { name }) => admin::create_group(&state, &name, out).await,
        Command::Group(GroupCommand::Rename { name, new_name }) => {
            admin::rename_group(&state, &name, &new_name, out).await
        }
        Command::Group(GroupCommand::List) => admin::list_groups(&state, out).await,
        Command::User(UserCommand::Create {
            username,
            display_name,
            email,
            groups,
            password_stdin,
            admin: make_admin,
        }) => {
            let password = if password_stdin {
                Some(read_password(input)?)
            } else {
                None
            };
            let account = NewAccount {
                username,
                display_name,
                email,
                groups,
                password,
            };
            admin::create_user(&state, account, make_admin, out).await
        }
        Command::User(UserCommand::RemoveFromGroup { username, group }) => {
            admin::remove_from_group(&state, &username, &group, out).await
        }
        Command::User(UserCommand::AddToGroup { username, group }) => {
            admin::add_to_group(&state, &username, &group, out).await
        }
        Command::User(UserCommand::Deactivate { username }) => admin::deactivate(&state, &username, out).await,
        Command::User(UserCommand::Reactivate { username }) => admin::reactivate(&state, &username, out).await,
        Command::User(UserCommand::GrantAdmin { username }) => admin::grant_admin(&state, &username, out).await,
        Command::User(UserCommand::RevokeAdmin { username }) => admin::revoke_admin(&state, &username, out).await,
        Command::User(UserCommand::Tokens { username }) => admin::list_tokens(&state, &username, out).await,
        Command::User(UserCommand::RevokeTokens { username, token }) => {
            admin::revoke_tokens(&state, &username, token, out).await
        }
        Command::User(UserCommand::List) => admin::list_users(&state, out).await,
        Command::Audit(args) => admin::audit(&state, args.user.as_deref(), args.since, args.format, out).await,
    };
    state.store.close().await;
    result
}

fn read_password(mut input: impl Read) -> anyhow::Result<String> {
    let mut text = String::new();
    input.read_to_string(&mut text)?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> ServeArgs {
        let cli = Cli::try_parse_from([&["tessera", "serve"][..], args].concat()).expect("parsed");
        match cli.command {
            Command::Serve(args) => args,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn the_token_policy_is_off_unless_asked_for() {
        let none = serve(&[]);
        assert_eq!(
            (none.max_token_lifetime_months, none.require_token_expiry),
            (None, false)
        );
        let set = serve(&["--max-token-lifetime-months", "6", "--require-token-expiry"]);
        assert_eq!(
            (set.max_token_lifetime_months, set.require_token_expiry),
            (Some(6), true)
        );
        let error = Cli::try_parse_from(["tessera", "serve", "--max-token-lifetime-months", "0"])
            .expect_err("0 months")
            .to_string();
        assert!(error.contains("from 1 to 24"), "{error}");
    }
}
