use crate::auth::signin::Client;
use axum::extract::ConnectInfo;
use http::request::Parts;
use std::net::SocketAddr;

/// The client address and user agent. Behind a trusted reverse proxy the address is the last
/// `X-Forwarded-For` hop (the one the proxy itself appended); otherwise the socket's peer.
pub fn client_info(parts: &Parts, trust_proxy: bool) -> Client {
    let forwarded = trust_proxy
        .then(|| {
            parts
                .headers
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()
                .map(|s| s.trim().to_string())
        })
        .flatten()
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(512).collect())
        .unwrap_or_default();
    Client { ip, user_agent }
}
