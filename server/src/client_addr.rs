//! Who a request comes from: the TCP peer, or behind a trusted proxy the client it names.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use app::backend::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not itself a trusted proxy. Used for sign-in
/// throttling and "last used from".
pub fn client_ip(peer: IpAddr, headers: &http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
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
        let headers = |xff: &str| {
            let mut h = http::HeaderMap::new();
            h.insert("x-forwarded-for", HeaderValue::from_str(xff).expect("header"));
            h
        };
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // A client speaking directly cannot claim another address.
        assert_eq!(
            client_ip(ip("203.0.113.9"), &headers("1.2.3.4"), &proxies),
            ip("203.0.113.9")
        );
        // Behind the proxy: the nearest untrusted address (spoofed entries further left are ignored).
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("6.6.6.6, 198.51.100.7"), &proxies),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("198.51.100.7, 10.0.0.2"), &proxies),
            ip("198.51.100.7")
        );
        // Garbage or nothing: the proxy's own address.
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers("not an ip"), &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &http::HeaderMap::new(), &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), &headers("1.2.3.4"), &[]), ip("10.0.0.1"));
    }
}
