//! How `tessera serve` is configured (flags or environment).

use std::net::SocketAddr;
use std::path::PathBuf;

use app::backend::store::DatabaseUrl;

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
        }
    }
}
