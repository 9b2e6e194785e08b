//! Who is the client: the socket peer, unless the peer is a configured trusted proxy, in which
//! case the client is the rightmost `X-Forwarded-For` address that is not a trusted proxy.
//!
//! Anyone can send `X-Forwarded-For`, so it is read only from trusted proxies; otherwise a
//! forged header would dodge the sign-in rate limit and fake `aws:SourceIp`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::ssr::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use policy::Cidr;

/// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn new(networks: Vec<Cidr>) -> TrustedProxies {
        TrustedProxies(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client behind `peer`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientAddress {
        if !self.trusts(peer) {
            return ClientAddress {
                ip: peer,
                secure_transport: false,
            };
        }
        // Each proxy appends the address it received from. Walk back from the nearest hop and
        // stop at the first one not ours: everything left of it could be made up.
        let mut client = peer;
        for hop in forwarded_for(headers).rev() {
            match parse_hop(hop) {
                Some(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                None => break,
            }
        }
        // The nearest proxy's word on the scheme the client used.
        let secure_transport = headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        ClientAddress {
            ip: client,
            secure_transport,
        }
    }
}

/// The `X-Forwarded-For` entries of all such headers, in order.
fn forwarded_for(headers: &HeaderMap) -> impl DoubleEndedIterator<Item = &str> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>()
        .into_iter()
}

/// `192.0.2.1`, `2001:db8::1`, or either with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Puts the request's [`ClientAddress`] into its extensions.
pub async fn identify_client(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let client = trusted.client(peer, request.headers());
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(
                http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
                value.parse().expect("value"),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|s| Cidr::parse(s).expect("cidr")).collect())
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let forged = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = TrustedProxies::default().client(ip("203.0.113.5"), &forged);
        assert_eq!(client.ip, ip("203.0.113.5"));
        assert!(!client.secure_transport);
    }

    #[test]
    fn a_peer_that_is_not_the_proxy_cannot_forge_its_address() {
        let forged = headers(&[("x-forwarded-for", "198.51.100.9")]);
        let client = proxies(&["10.0.0.2"]).client(ip("203.0.113.5"), &forged);
        assert_eq!(client.ip, ip("203.0.113.5"));
    }

    #[test]
    fn the_trusted_proxy_names_the_client_and_the_scheme() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = proxies(&["10.0.0.0/8"]).client(ip("10.0.0.2"), &h);
        assert_eq!(client.ip, ip("198.51.100.9"));
        assert!(client.secure_transport);
    }

    #[test]
    fn addresses_left_of_the_first_untrusted_hop_are_not_believed() {
        // The client sent a forged first entry; our proxy appended what it saw.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.9")]);
        let client = proxies(&["10.0.0.2"]).client(ip("10.0.0.2"), &h);
        assert_eq!(client.ip, ip("198.51.100.9"));
        // Two proxies of ours in a row, over two header lines.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.9"),
            ("x-forwarded-for", "10.0.0.7"),
        ]);
        let client = proxies(&["10.0.0.0/24"]).client(ip("10.0.0.2"), &h);
        assert_eq!(client.ip, ip("198.51.100.9"));
    }

    #[test]
    fn hops_with_ports_parse_and_garbage_stops_the_walk() {
        let h = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        let client = proxies(&["::1"]).client(ip("::1"), &h);
        assert_eq!(client.ip, ip("2001:db8::7"));
        let h = headers(&[("x-forwarded-for", "198.51.100.9, not-an-address")]);
        let client = proxies(&["10.0.0.2"]).client(ip("10.0.0.2"), &h);
        assert_eq!(client.ip, ip("10.0.0.2"), "the proxy itself, not a guess");
        // No header at all: the proxy is the client.
        let client = proxies(&["10.0.0.2"]).client(ip("10.0.0.2"), &HeaderMap::new());
        assert_eq!(client.ip, ip("10.0.0.2"));
    }
}
