//! Sign-in throttling: at most 5 failures per account and 30 per client address in any
//! 15 minutes, counted in the database so every instance throttles together.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use super::store::{Store, StoreResult};

const WINDOW_MINUTES: i64 = 15;
/// Failures allowed per account in the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failures allowed per client address in the window.
pub const PER_ADDRESS: i64 = 30;

fn buckets(account: &str, address: IpAddr) -> (String, String) {
    (format!("account:{account}"), format!("address:{address}"))
}

/// Starts a sign-in attempt at `now`: `Ok(Err(seconds))` when the account or the address must
/// wait. Otherwise the attempt is counted as a failure at once, in the same step, so parallel
/// requests cannot all slip through before any failure is recorded; a successful attempt takes
/// it back with [`succeeded`].
pub async fn attempt(
    store: &Store,
    account: &str,
    address: IpAddr,
    now: DateTime<Utc>,
) -> StoreResult<Result<(), u64>> {
    let (account, address) = buckets(account, address);
    store
        .sign_in_attempt(
            &[(&account, PER_ACCOUNT), (&address, PER_ADDRESS)],
            now,
            Duration::minutes(WINDOW_MINUTES),
        )
        .await
}

/// The attempt started at `at` succeeded: the account's count is cleared and the address's
/// reservation taken back.
pub async fn succeeded(store: &Store, account: &str, address: IpAddr, at: DateTime<Utc>) -> StoreResult<()> {
    let (account, address) = buckets(account, address);
    store.sign_in_succeeded(&account, &address, at).await
}
