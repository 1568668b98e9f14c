//! Sign-in throttling: at most 5 failures per account and 30 per client address in any
//! 15 minutes, counted in the database so every instance throttles together. IPv6 clients
//! are counted per /64 (one subscriber's usual allocation), IPv4-mapped addresses as IPv4.

use std::net::{IpAddr, Ipv6Addr};

use chrono::{DateTime, Duration, Utc};
use rand::RngCore as _;

use super::store::{Store, StoreResult};

const WINDOW_MINUTES: i64 = 15;
/// Failures allowed per account in the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failures allowed per client address in the window.
pub const PER_ADDRESS: i64 = 30;

/// The network an address counts in: the IPv4 address, or the IPv6 /64 network.
pub fn address_network(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1_u128 << 64) - 1))),
    }
}

/// The address bucket an address counts in: the IPv4 address, or the IPv6 /64 network.
pub fn address_key(address: IpAddr) -> String {
    match address_network(address) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("{v6}/64"),
    }
}

fn buckets(account: &str, address: IpAddr) -> (String, String) {
    (
        format!("account:{account}"),
        format!("address:{}", address_key(address)),
    )
}

/// A sign-in attempt under way, counted until it succeeds.
#[derive(Debug)]
pub struct Attempt {
    id: String,
    account: String,
    address: String,
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
) -> StoreResult<Result<Attempt, u64>> {
    let (account, address) = buckets(account, address);
    let mut id = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut id);
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let counted = store
        .sign_in_attempt(
            &[(&account, PER_ACCOUNT), (&address, PER_ADDRESS)],
            &id,
            now,
            Duration::minutes(WINDOW_MINUTES),
        )
        .await?;
    Ok(counted.map(|()| Attempt { id, account, address }))
}

/// The attempt succeeded: the account's failures are cleared and this attempt's reservation
/// for the address is taken back.
pub async fn succeeded(store: &Store, attempt: &Attempt) -> StoreResult<()> {
    store
        .sign_in_succeeded(&attempt.account, &attempt.address, &attempt.id)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let key = |s: &str| address_key(s.parse().expect("ip"));
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(key("2001:db8:1:2::9"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
    }
}
