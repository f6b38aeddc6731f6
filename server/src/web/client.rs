use crate::auth::device_cookie;
use crate::auth::signin::Client;
use axum::extract::ConnectInfo;
use http::request::Parts;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};

/// Browsers send cookies up to 4096 bytes; anything longer is not one of ours.
const MAX_DEVICE_TOKEN: usize = 256;

/// The client address, user agent and device cookie. Behind a trusted reverse proxy the
/// address is the last `X-Forwarded-For` hop (the one the proxy itself appended, on the last
/// line when the header is repeated); otherwise the socket's peer.
pub fn client_info(parts: &Parts, trust_proxy: bool, https: bool) -> Client {
    let forwarded_lines = parts.headers.get_all("x-forwarded-for");
    if !trust_proxy && forwarded_lines.iter().next().is_some() {
        warn_untrusted_forwarding();
    }
    let forwarded = trust_proxy
        .then(|| {
            let last_line = forwarded_lines.iter().next_back()?.to_str().ok()?;
            last_line.rsplit(',').next().map(|s| s.trim().to_string())
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
    let device = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| app::prefs::cookie_value(header, device_cookie::cookie_name(https)))
        .filter(|token| token.len() <= MAX_DEVICE_TOKEN)
        .map(str::to_string);
    Client { ip, user_agent, device }
}

/// Said once per process: behind a proxy that is not trusted, every client shares the proxy's
/// address, so one person's failed sign-ins throttle everyone.
fn warn_untrusted_forwarding() {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            "requests carry X-Forwarded-For but VESTIBULE_TRUST_PROXY is off: every client is seen \
             with the proxy's address, so sign-in throttling treats them as one. Set \
             VESTIBULE_TRUST_PROXY=true if a reverse proxy you control sets that header."
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut builder = http::Request::get("/");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn a_trusted_proxy_s_hop_is_the_last_one_on_the_last_line() {
        let request = parts(&[
            ("x-forwarded-for", "10.0.0.1, 198.51.100.1"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_info(&request, true, false).ip, "203.0.113.9");
        let untrusted = client_info(&request, false, false);
        assert_eq!(untrusted.ip, "unknown", "the header is ignored, the peer is used");
    }

    #[test]
    fn the_device_cookie_is_read_by_its_name_for_the_scheme() {
        let request = parts(&[("cookie", "a=1; vestibule_device=tok.en; __Host-vestibule_device=secure")]);
        assert_eq!(client_info(&request, false, false).device.as_deref(), Some("tok.en"));
        assert_eq!(client_info(&request, false, true).device.as_deref(), Some("secure"));
        let oversized = format!("vestibule_device={}", "x".repeat(5000));
        assert_eq!(
            client_info(&parts(&[("cookie", &oversized)]), false, false).device,
            None
        );
    }
}
