//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1), always off the
//! async runtime. Verifying against an unknown user still costs one hash, against a dummy.
//!
//! Each hash needs 19 MiB of working memory. Allocating it per hash on whichever blocking
//! thread runs it leaves the memory with the allocator's per-thread arenas for good (hundreds
//! of MiB after a burst of sign-ins), so the buffers are kept here instead: one per CPU, made
//! on first use and reused by every hash after, which bounds password memory at 19 MiB a CPU.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use anyhow::{Context as _, anyhow};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::distributions::{Alphanumeric, DistString as _};

/// Hashes and verifies passwords, at most one per CPU at a time, each in a reused buffer.
#[derive(Clone)]
pub struct Passwords {
    dummy: Arc<OnceLock<String>>,
    permits: Arc<tokio::sync::Semaphore>,
    /// Idle working-memory buffers; at most one per permit ever exists.
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl Default for Passwords {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            dummy: Arc::default(),
            permits: Arc::new(tokio::sync::Semaphore::new(cpus)),
            buffers: Arc::default(),
        }
    }
}

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

/// Runs argon2 with `params` in `buffer` (grown or shrunk to the block count they need).
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    buffer: &mut Vec<Block>,
) -> anyhow::Result<()> {
    buffer.resize(params.block_count(), Block::default());
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, out, buffer.as_mut_slice())
        .map_err(|e| anyhow!("argon2 failed: {e}"))
}

fn hash_in(password: &str, buffer: &mut Vec<Block>) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let mut salt_bytes = [0_u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| anyhow!("salt: {e}"))?;
    let params = params();
    let mut out = [0_u8; Params::DEFAULT_OUTPUT_LEN];
    compute(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password.as_bytes(),
        salt_bytes,
        &mut out,
        buffer,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc` (false for anything unreadable). The
/// comparison takes the same time wherever the digests differ.
fn verify_in(password: &str, phc: &str, buffer: &mut Vec<Block>) -> bool {
    let mut check = || -> Option<bool> {
        let parsed = PasswordHash::new(phc).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = Version::try_from(parsed.version.unwrap_or(Version::V0x13.into())).ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0_u8; 64];
        let salt_bytes = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut out = vec![0_u8; expected.len()];
        compute(
            algorithm,
            version,
            params,
            password.as_bytes(),
            salt_bytes,
            &mut out,
            buffer,
        )
        .ok()?;
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

impl Passwords {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `work` on a blocking thread with a working-memory buffer, at most one per CPU.
    async fn with_buffer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await.context("password hashing is shut down")?;
        let buffers = Arc::clone(&self.buffers);
        let mut buffer = buffers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        tokio::task::spawn_blocking(move || {
            let result = work(&mut buffer);
            buffers.lock().unwrap_or_else(PoisonError::into_inner).push(buffer);
            result
        })
        .await
        .context("password hashing task")
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_owned();
        self.with_buffer(move |buffer| hash_in(&password, buffer)).await?
    }

    /// Checks `password` against `phc`, or against a dummy hash when there is no user,
    /// so both answers take about the same time.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> anyhow::Result<bool> {
        let password = password.to_owned();
        let target = phc.map(str::to_owned);
        let dummy = Arc::clone(&self.dummy);
        self.with_buffer(move |buffer| match target {
            Some(phc) => Ok(verify_in(&password, &phc, buffer)),
            None => {
                let dummy = match dummy.get() {
                    Some(d) => d.clone(),
                    None => {
                        let made = hash_in("tessera-dummy-password-for-timing", buffer)?;
                        dummy.get_or_init(|| made).clone()
                    }
                };
                verify_in(&password, &dummy, buffer);
                Ok(false)
            }
        })
        .await?
    }

    /// How many working-memory buffers exist (for tests of the bound).
    pub fn buffers_held(&self) -> usize {
        self.buffers.lock().unwrap_or_else(PoisonError::into_inner).len()
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashes_reuse_at_most_one_buffer_per_cpu_and_read_standard_phc_strings() {
        let passwords = Passwords::new();
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let runs = (0..cpus * 3).map(|i| {
            let passwords = passwords.clone();
            tokio::spawn(async move { passwords.hash(&format!("password number {i}")).await })
        });
        for run in runs {
            run.await.expect("task").expect("hash");
        }
        assert!(passwords.buffers_held() <= cpus, "{} buffers", passwords.buffers_held());
        // A hash made by the argon2 crate's own API verifies here, and ours verifies there.
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"interoperable", &salt)
            .expect("hash")
            .to_string();
        assert!(passwords.verify("interoperable", Some(&theirs)).await.expect("verify"));
        let ours = passwords.hash("interoperable").await.expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(Argon2::default().verify_password(b"interoperable", &parsed).is_ok());
    }

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
    }
}
