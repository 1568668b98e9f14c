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

use super::digest::{TokenDigest, TokenMac, from_hex, to_hex};
use super::plain::PlainToken;
use crate::backend::store::Store;

const PEPPER_LEN: usize = 32;

/// 32 secret bytes; `Debug` never shows them.
#[derive(Clone)]
pub struct Pepper {
    bytes: Arc<[u8; PEPPER_LEN]>,
    /// An HMAC that has already taken the pepper as its key: every digest starts from a copy,
    /// which saves hashing the key's two pads again on each verification.
    keyed: Hmac<Sha256>,
}

impl Pepper {
    fn from_bytes(bytes: [u8; PEPPER_LEN]) -> Self {
        let keyed = Hmac::<Sha256>::new_from_slice(&bytes).unwrap_or_else(|_| unreachable!("any key length"));
        Self {
            bytes: Arc::new(bytes),
            keyed,
        }
    }

    /// A fresh random pepper (tests; a real server loads its file).
    pub fn generate() -> Self {
        let mut bytes = [0_u8; PEPPER_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self::from_bytes(bytes)
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
        Ok(Self::from_bytes(bytes))
    }

    /// Reads the pepper file at `path`; `None` when there is none.
    pub fn load(path: &Path) -> anyhow::Result<Option<Self>> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                check_permissions(path)?;
                Self::from_hex(&text)
                    .with_context(|| format!("reading the pepper file {}", path.display()))
                    .map(Some)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading the pepper file {}", path.display())),
        }
    }

    /// Writes this pepper to a new file at `path` (mode 0600), creating its folder (0700).
    pub fn write_new(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::backend::files::create_private_dir(parent)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .with_context(|| format!("creating the pepper file {}", path.display()))?;
        writeln!(file, "{}", to_hex(&self.bytes[..]))?;
        file.sync_all()?;
        Ok(())
    }

    /// The pepper for a server on `store`, checked against the fingerprint the database
    /// recorded, so an instance never runs with a pepper the stored tokens were not made with:
    /// - no file: a new pepper is made and recorded, unless the database already recorded one
    ///   or holds tokens (then the file must be copied from the instance that made it);
    /// - a file the database has no record of (an installation from before the record): recorded;
    /// - a file whose fingerprint differs: refused while the database holds tokens, otherwise
    ///   recorded in place of the old one.
    pub async fn open(path: &Path, store: &Store) -> anyhow::Result<Self> {
        let tokens = store.count_all_tokens().await?;
        let Some(pepper) = Self::load(path)? else {
            if store.pepper_fingerprint().await?.is_some() || tokens > 0 {
                bail!(
                    "the pepper file {} is missing, but the database's {tokens} token(s) were made with a pepper; \
                     copy the pepper file from an instance that serves this database (every instance needs the same one). \
                     Starting with a new pepper would make every existing token stop working.",
                    path.display()
                );
            }
            let pepper = Self::generate();
            if store.record_pepper_fingerprint(&pepper.fingerprint()).await? != pepper.fingerprint() {
                bail!(
                    "another instance has just created the pepper for this database; copy its pepper file to {}",
                    path.display()
                );
            }
            pepper.write_new(path)?;
            tracing::info!(path = %path.display(), "generated a new token pepper");
            return Ok(pepper);
        };
        let recorded = store.record_pepper_fingerprint(&pepper.fingerprint()).await?;
        if recorded != pepper.fingerprint() {
            if tokens > 0 {
                bail!(
                    "the pepper file {} is not the pepper this database's {tokens} token(s) were made with; \
                     use the pepper file of the instances that serve this database",
                    path.display()
                );
            }
            store.replace_pepper_fingerprint(&pepper.fingerprint()).await?;
            tracing::warn!(path = %path.display(), "the database recorded another pepper but holds no tokens; recorded this one");
        }
        Ok(pepper)
    }

    /// An HMAC of a fixed label under the pepper: tells peppers apart without revealing them.
    pub fn fingerprint(&self) -> String {
        let mut mac = self.keyed.clone();
        mac.update(b"tessera pepper fingerprint v1");
        to_hex(&mac.finalize().into_bytes())
    }

    /// The digest the store keys on.
    pub fn digest(&self, token: &PlainToken) -> TokenDigest {
        self.mac(token).digest()
    }

    /// The same HMAC, as raw bytes.
    pub(crate) fn mac(&self, token: &PlainToken) -> TokenMac {
        let mut mac = self.keyed.clone();
        mac.update(token.expose().as_bytes());
        TokenMac(mac.finalize().into_bytes().into())
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
    fn digests_are_the_hmac_sha256_of_the_token_in_lowercase_hex() {
        // Stored digests must never change: pinned against an HMAC computed elsewhere.
        let fixed = Pepper::from_bytes(std::array::from_fn(|i| u8::try_from(i).expect("small")));
        assert_eq!(
            fixed.fingerprint(),
            "505fc224dd67521cb5760d568f45f357e6356bc31add6ef0868f15a5ebcc0323"
        );
        let pepper = Pepper::generate();
        for _ in 0..50 {
            let token = PlainToken::generate();
            let mut mac = Hmac::<Sha256>::new_from_slice(&pepper.bytes[..]).expect("key");
            mac.update(token.expose().as_bytes());
            let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(pepper.digest(&token).0, expected);
            assert_eq!(
                pepper.mac(&token).digest().0,
                expected,
                "the raw bytes are the same HMAC"
            );
        }
    }

    #[test]
    fn the_pepper_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("tessera-pepper-{}", rand::random::<u64>()));
        let path = dir.join("data").join("tessera.pepper");
        let token = PlainToken::generate();
        let first = Pepper::generate();
        first.write_new(&path).expect("create");
        assert!(
            first.write_new(&path).is_err(),
            "an existing pepper file is never overwritten"
        );
        let again = Pepper::load(&path).expect("read").expect("there");
        assert_eq!(first.digest(&token), again.digest(&token));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert!(Pepper::load(&path).unwrap_err().to_string().contains("chmod 600"));
        }
        std::fs::write(&path, "abcd").expect("write");
        #[cfg(unix)]
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).expect("chmod");
        assert!(Pepper::load(&path).is_err());
        assert!(Pepper::load(&dir.join("missing")).expect("no error").is_none());
        let _ = std::fs::remove_dir_all(dir);
    }
}
