//! The server secret ("pepper") under which token digests are computed. It never goes into
//! the database: a copy of the database alone cannot be used to check guessed tokens.

use std::fmt;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;

use super::plain::PlainToken;

const PEPPER_LEN: usize = 32;

/// 32 secret bytes; `Debug` never shows them.
#[derive(Clone)]
pub struct Pepper(Arc<[u8; PEPPER_LEN]>);

/// The HMAC-SHA256 of a token under the pepper, in hex: what the store keys on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenDigest(pub String);

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Pepper {
    /// A fresh random pepper (tests; a real server loads its file).
    pub fn generate() -> Self {
        let mut bytes = [0_u8; PEPPER_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(Arc::new(bytes))
    }

    /// Reads 64 hex characters.
    pub fn from_hex(text: &str) -> anyhow::Result<Self> {
        let bytes = from_hex(text).context("the pepper must be hex")?;
        let bytes: [u8; PEPPER_LEN] = bytes.try_into().map_err(|_| {
            anyhow::anyhow!(
                "the pepper must be {PEPPER_LEN} bytes ({} hex characters)",
                PEPPER_LEN * 2
            )
        })?;
        Ok(Self(Arc::new(bytes)))
    }

    /// Loads the pepper from `path`, creating it (mode 0600) with a random value when it does
    /// not exist. Every instance serving one database must use the same pepper.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                check_permissions(path)?;
                Self::from_hex(&text).with_context(|| format!("reading the pepper file {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating the folder {}", parent.display()))?;
                }
                let pepper = Self::generate();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options
                    .open(path)
                    .with_context(|| format!("creating the pepper file {}", path.display()))?;
                writeln!(file, "{}", to_hex(&pepper.0[..]))?;
                file.sync_all()?;
                tracing::info!(path = %path.display(), "generated a new token pepper");
                Ok(pepper)
            }
            Err(e) => Err(e).with_context(|| format!("reading the pepper file {}", path.display())),
        }
    }

    /// The digest the store keys on.
    pub fn digest(&self, token: &PlainToken) -> TokenDigest {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0[..]).unwrap_or_else(|_| unreachable!("any key length"));
        mac.update(token.expose().as_bytes());
        TokenDigest(to_hex(&mac.finalize().into_bytes()))
    }
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        bail!(
            "the pepper file {} is readable by others (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_: &Path) -> anyhow::Result<()> {
    Ok(())
}

impl fmt::Debug for Pepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pepper(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_depend_on_token_and_pepper() {
        let (a, b) = (Pepper::generate(), Pepper::generate());
        let token = PlainToken::generate();
        assert_eq!(a.digest(&token), a.digest(&token));
        assert_ne!(a.digest(&token), b.digest(&token));
        assert_ne!(a.digest(&token), a.digest(&PlainToken::generate()));
        assert_eq!(a.digest(&token).0.len(), 64);
        assert!(!a.digest(&token).0.contains(&token.expose()[4..20]));
    }

    #[test]
    fn the_pepper_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("tessera-pepper-{}", rand::random::<u64>()));
        let path = dir.join("data").join("tessera.pepper");
        let token = PlainToken::generate();
        let first = Pepper::load_or_create(&path).expect("create");
        let again = Pepper::load_or_create(&path).expect("read");
        assert_eq!(first.digest(&token), again.digest(&token));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert!(
                Pepper::load_or_create(&path)
                    .unwrap_err()
                    .to_string()
                    .contains("chmod 600")
            );
        }
        std::fs::write(&path, "abcd").expect("write");
        #[cfg(unix)]
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).expect("chmod");
        assert!(Pepper::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
