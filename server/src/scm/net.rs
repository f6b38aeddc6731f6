//! Calls to addresses a user typed (a GitHub Enterprise or GitLab server) are a door into the
//! operator's network: the host name is resolved here, every address it resolves to must be a
//! public one (unless the operator allows private networks), and the connection goes to those
//! very addresses (no second lookup a DNS rebinding could answer differently). No redirect is
//! followed; connecting, answering and reading each have a short deadline, and bodies a cap.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);
/// A user and a page of keys are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NetError {
    #[error("not an http(s) address with a host")]
    BadUrl,
    #[error("plain http to a public server")]
    NotHttps,
    #[error("resolves to a private, loopback, link-local or metadata address")]
    Private,
    #[error("no answer in time, or no such host")]
    Unreachable,
    #[error("the answer is larger than allowed")]
    TooLarge,
}

/// An address on the public Internet (not loopback, private, link-local, shared, reserved,
/// multicast or documentation space; IPv4-mapped IPv6 is judged as the IPv4 address).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata among them
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    !(s[..6].iter().all(|x| *x == 0) // ::, ::1 and IPv4-compatible ::a.b.c.d
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, fd00:ec2::254 among them
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0) // Teredo: a tunnel to any IPv4 address
        || s[0] == 0x2002 // 6to4: the same
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64, well-known and local prefixes
        || (s[0] == 0x0100 && s[1..4].iter().all(|x| *x == 0))) // discard-only
}

/// A client for one user-given base URL: checked, resolved and pinned.
pub async fn guarded_client(base: &str, allow_private: bool) -> Result<(reqwest::Client, url::Url), NetError> {
    let url = url::Url::parse(base).map_err(|_| NetError::BadUrl)?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return Err(NetError::BadUrl);
    }
    // A personal token must not cross the Internet in clear text; plain http is for the
    // operator's own network, when private addresses are allowed.
    if url.scheme() == "http" && !allow_private {
        return Err(NetError::NotHttps);
    }
    let host = url.host_str().ok_or(NetError::BadUrl)?.to_string();
    let port = url.port_or_known_default().ok_or(NetError::BadUrl)?;
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        _ => tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::lookup_host((host.as_str(), port)))
            .await
            .map_err(|_| NetError::Unreachable)?
            .map_err(|_| NetError::Unreachable)?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(NetError::Unreachable);
    }
    // Every address, not just the first: the connection may use any of them.
    if !allow_private && !addrs.iter().all(|a| is_public(a.ip())) {
        return Err(NetError::Private);
    }
    let client = base_builder()
        .resolve_to_addrs(&host, &addrs)
        .build()
        .map_err(|_| NetError::Unreachable)?;
    Ok((client, url))
}

/// For the operator's own provider settings, trusted as they are: no address check, the same
/// deadlines and no redirects.
pub fn trusted_client() -> Result<reqwest::Client, NetError> {
    base_builder().build().map_err(|_| NetError::Unreachable)
}

fn base_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(ANSWER_TIMEOUT)
        .user_agent(concat!("Vestibule/", env!("CARGO_PKG_VERSION")))
        .no_proxy()
}

/// The body, read up to `MAX_BODY_BYTES`.
pub async fn capped_body(mut response: reqwest::Response) -> Result<Vec<u8>, NetError> {
    if response.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(NetError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| NetError::Unreachable)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(NetError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::a9fe:a9fe",
            "::127.0.0.1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "fec0::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["140.82.112.3", "2606:4700::6810:84e5", "8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn a_user_given_url_to_a_private_address_is_refused_unless_allowed() {
        for url in [
            "https://127.0.0.1:9/",
            "https://[::1]/",
            "https://localhost:9",
            "https://169.254.169.254/latest",
            "https://[::ffff:7f00:1]/",
        ] {
            assert_eq!(guarded_client(url, false).await.err(), Some(NetError::Private), "{url}");
        }
        // Plain http only where private networks are allowed (checked before any lookup).
        assert_eq!(
            guarded_client("http://93.184.215.14/", false).await.err(),
            Some(NetError::NotHttps)
        );
        assert!(guarded_client("http://127.0.0.1:9/", true).await.is_ok());
        for url in [
            "ftp://example.com",
            "not a url",
            "https://user:pw@example.com",
            "file:///etc/passwd",
        ] {
            assert_eq!(guarded_client(url, false).await.err(), Some(NetError::BadUrl), "{url}");
        }
    }
}
