//! How `tessera serve` is configured (flags or environment).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::bail;
use app::backend::store::DatabaseUrl;

use crate::access_log::AccessLog;
use crate::hosts::{HostPort, PublicUrl};
use crate::limits::ConnectionLimits;

/// The default database: an SQLite file under `data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tessera.db";

/// The default pepper file, created with a random secret on first start.
pub const DEFAULT_PEPPER_FILE: &str = "data/tessera.pepper";

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    pub database_url: DatabaseUrl,
    /// The token pepper: 64 hex characters in a file readable only by the server.
    pub pepper_file: PathBuf,
    /// The built client (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Mark the session cookie `Secure` (and name it `__Host-…`); set when served over https.
    pub cookie_secure: bool,
    /// Load the demo groups and user when the database has no users.
    pub seed_demo: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Objects one token may create per minute.
    pub objects_per_minute: u32,
    /// When coming token expiries are pointed out.
    pub expiry_warning: app::domain::ExpiryWarning,
    /// What new token values may be (none by default); tokens made before are untouched.
    pub token_policy: app::domain::TokenPolicy,
    /// The URL people open; its host is served and its origin may call server functions.
    pub public_url: Option<PublicUrl>,
    /// Other hosts requests may name (besides the public URL's and, on loopback, the
    /// loopback names).
    pub allowed_hosts: Vec<HostPort>,
    /// Whether each request writes a line to the log.
    pub access_log: AccessLog,
    /// Timeouts and the connection limit.
    pub connections: ConnectionLimits,
}

impl ServeConfig {
    /// A config for tests: a free port on loopback, the given database, no demo.
    pub fn for_tests(database_url: impl Into<String>, dist: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: DatabaseUrl::new(database_url),
            pepper_file: std::env::temp_dir().join(format!("tessera-test-{}.pepper", rand::random::<u64>())),
            dist,
            cookie_secure: false,
            seed_demo: false,
            trusted_proxies: Vec::new(),
            objects_per_minute: app::backend::state::DEFAULT_OBJECTS_PER_MINUTE,
            expiry_warning: app::domain::ExpiryWarning::default(),
            token_policy: app::domain::TokenPolicy::default(),
            public_url: None,
            allowed_hosts: Vec::new(),
            access_log: AccessLog::On,
            connections: ConnectionLimits::default(),
        }
    }

    /// Refuses settings that cannot work together, before anything is opened or bound.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.cookie_secure
            && let Some(url) = self.public_url.as_ref().filter(|url| !url.is_https())
        {
            bail!(
                "--cookie-secure asks browsers to send the session cookie over https only, but the public URL \
                 {url} is http: use an https:// --public-url, or drop --cookie-secure"
            );
        }
        if !self.addr.ip().is_loopback() && self.public_url.is_none() && self.allowed_hosts.is_empty() {
            let port = match self.addr.port() {
                0 => "PORT".to_owned(),
                port => port.to_string(),
            };
            bail!(
                "tessera serve listens on {}, which is not a loopback address, so it must be told the names it is \
                 reached by (it refuses requests for any other Host, against DNS rebinding). Add \
                 --public-url https://tessera.example.org (or TESSERA_PUBLIC_URL) with the URL people open, \
                 and/or --allowed-host HOST:{port} (repeatable, or TESSERA_ALLOWED_HOSTS=host1:{port},host2:{port}) \
                 for each other name or address clients use",
                self.addr
            );
        }
        Ok(())
    }

    /// The hosts to serve once bound to `bound`: the configured ones and, on a loopback
    /// address, `localhost`, `127.0.0.1`, `[::1]` and the bound address itself with its port.
    pub fn hosts_to_serve(&self, bound: SocketAddr) -> Vec<HostPort> {
        let mut hosts = self.allowed_hosts.clone();
        if bound.ip().is_loopback() {
            let names = [
                "localhost".to_owned(),
                "127.0.0.1".to_owned(),
                "::1".to_owned(),
                bound.ip().to_string(),
            ];
            for name in names {
                if let Ok(host) = HostPort::new(&name, bound.port())
                    && !hosts.contains(&host)
                {
                    hosts.push(host);
                }
            }
        }
        hosts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(addr: &str) -> ServeConfig {
        ServeConfig {
            addr: addr.parse().expect("address"),
            ..ServeConfig::for_tests("sqlite::memory:", PathBuf::new())
        }
    }

    #[test]
    fn a_loopback_server_serves_the_loopback_names_with_its_port() {
        let hosts = config("127.0.0.2:0").hosts_to_serve("127.0.0.2:4321".parse().expect("address"));
        let hosts: Vec<String> = hosts.iter().map(ToString::to_string).collect();
        assert_eq!(
            hosts,
            ["localhost:4321", "127.0.0.1:4321", "[::1]:4321", "127.0.0.2:4321"]
        );
        assert!(config("[::1]:3000").check().is_ok());
    }

    #[test]
    fn a_public_server_needs_its_names_and_says_which_flags_give_them() {
        let public = config("0.0.0.0:3000");
        let error = public.check().expect_err("refused").to_string();
        assert!(error.contains("--public-url https://"), "{error}");
        assert!(error.contains("--allowed-host HOST:3000"), "{error}");
        assert!(
            public
                .hosts_to_serve("0.0.0.0:3000".parse().expect("address"))
                .is_empty()
        );

        let named = ServeConfig {
            allowed_hosts: vec!["10.0.0.5:3000".parse().expect("host")],
            ..public.clone()
        };
        assert!(named.check().is_ok());
        let with_url = ServeConfig {
            public_url: Some("https://tessera.example.org".parse().expect("url")),
            ..public
        };
        assert!(with_url.check().is_ok());
    }

    #[test]
    fn secure_cookies_need_an_https_public_url() {
        let mixed = ServeConfig {
            cookie_secure: true,
            public_url: Some("http://tessera.example.org".parse().expect("url")),
            ..config("127.0.0.1:3000")
        };
        let error = mixed.check().expect_err("refused").to_string();
        assert!(error.contains("--cookie-secure"), "{error}");
    }
}
