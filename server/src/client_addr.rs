//! Who a request comes from: the TCP peer, or behind a trusted proxy the client it names.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use app::backend::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// One `X-Forwarded-For` entry as an address: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
/// `[2001:db8::1]:443`, IPv4-mapped IPv6 read as IPv4. `None` for anything else.
fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// valid address in `X-Forwarded-For` that is not itself a trusted proxy (unparsable entries
/// are skipped, not allowed to void the header). IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`,
/// as an IPv4 client reaches a `[::]` listener) are read as the IPv4 address everywhere, so
/// `--trusted-proxy a.b.c.d` matches them. Used for sign-in throttling and "last used from".
pub fn client_ip(peer: IpAddr, headers: &http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *ip);
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(forwarded_entry)
        .collect();
    forwarded.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer)
}

/// Puts the request's `ClientAddr` into its extensions.
pub async fn record_client_addr(
    State(trusted): State<std::sync::Arc<Vec<IpAddr>>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    let ip = client_ip(peer, req.headers(), &trusted);
    req.extensions_mut().insert(ClientAddr(ip));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        for (peer, forwarded, client) in [
            // A client speaking directly cannot claim another address.
            ("203.0.113.9", Some("1.2.3.4"), "203.0.113.9"),
            // Behind the proxy: the nearest untrusted address (spoofed entries further left
            // are ignored).
            ("10.0.0.1", Some("6.6.6.6, 198.51.100.7"), "198.51.100.7"),
            ("10.0.0.1", Some("198.51.100.7, 10.0.0.2"), "198.51.100.7"),
            // Garbage or nothing: the proxy's own address.
            ("10.0.0.1", Some("not an ip"), "10.0.0.1"),
            ("10.0.0.1", None, "10.0.0.1"),
            // One garbage entry does not void the rest: the nearest valid untrusted one counts.
            ("10.0.0.1", Some("198.51.100.7, junk"), "198.51.100.7"),
            ("10.0.0.1", Some("6.6.6.6, 198.51.100.7:4711, 10.0.0.2"), "198.51.100.7"),
            ("10.0.0.1", Some("[2001:db8::7]:443"), "2001:db8::7"),
            // IPv4 clients of a [::] listener arrive IPv4-mapped; they are the IPv4 address.
            ("::ffff:203.0.113.9", Some("1.2.3.4"), "203.0.113.9"),
            ("::ffff:10.0.0.1", Some("::ffff:198.51.100.7"), "198.51.100.7"),
        ] {
            let mut headers = http::HeaderMap::new();
            if let Some(value) = forwarded {
                headers.insert("x-forwarded-for", HeaderValue::from_str(value).expect("header"));
            }
            assert_eq!(
                client_ip(ip(peer), &headers, &proxies),
                ip(client),
                "{peer} {forwarded:?}"
            );
        }
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers, &[]),
            ip("10.0.0.1"),
            "no proxy is trusted"
        );
    }
}
