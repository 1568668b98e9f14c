//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1), always off the
//! async runtime. Verifying against an unknown user still costs one hash, against a dummy.

use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::distributions::{Alphanumeric, DistString as _};

/// Hashes and verifies passwords, at most one per CPU at a time: each takes 19 MiB, so a
/// burst of sign-ins waits its turn instead of exhausting memory.
#[derive(Clone)]
pub struct Passwords {
    dummy: Arc<OnceLock<String>>,
    permits: Arc<tokio::sync::Semaphore>,
}

impl Default for Passwords {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            dummy: Arc::default(),
            permits: Arc::new(tokio::sync::Semaphore::new(cpus)),
        }
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

impl Passwords {
    pub fn new() -> Self {
        Self::default()
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_owned();
        let _permit = self.permits.acquire().await.context("password hashing is shut down")?;
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .context("password hashing task")?
    }

    /// Checks `password` against `phc`, or against a dummy hash when there is no user,
    /// so both answers take about the same time.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> anyhow::Result<bool> {
        let password = password.to_owned();
        let target = phc.map(|phc| phc.to_owned());
        let dummy = Arc::clone(&self.dummy);
        let _permit = self.permits.acquire().await.context("password hashing is shut down")?;
        tokio::task::spawn_blocking(move || match target {
            Some(phc) => Ok(verify_blocking(&password, &phc)),
            None => {
                let dummy = match dummy.get() {
                    Some(d) => d.clone(),
                    None => {
                        let made = hash_blocking("tessera-dummy-password-for-timing")?;
                        dummy.get_or_init(|| made).clone()
                    }
                };
                verify_blocking(&password, &dummy);
                Ok(false)
            }
        })
        .await
        .context("password verification task")?
    }
}

/// A strong random password for accounts created without one (shown once by the CLI).
pub fn generate_password() -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let passwords = Passwords::new();
        let phc = passwords.hash("correct horse battery").await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            passwords
                .verify("correct horse battery", Some(&phc))
                .await
                .expect("verify")
        );
        assert!(!passwords.verify("wrong", Some(&phc)).await.expect("verify"));
        assert!(!passwords.verify("anything", None).await.expect("verify"));
        assert!(!passwords.verify("x", Some("not a hash")).await.expect("verify"));
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
    }
}
