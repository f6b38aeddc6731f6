use super::{client_info, flash_cookie};
use crate::auth::session_token;
use crate::db::{now, sessions, users::User};
use crate::host::RequestAccount;
use crate::state::AppState;
use app::context::PageContext;
use app::host::{Caller, HostData, RequestInfo};
use app::prefs::{cookie_value, Prefs};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use http::{header, HeaderValue, Method, StatusCode};
use rand::RngCore;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The per-response nonce that lets Leptos' own inline scripts run under the CSP.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// The signed-in session of this request, if any.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    pub digest: String,
    pub user: User,
    /// The account row the session lookup read, for the host to reuse.
    pub account: Arc<RequestAccount>,
}

fn random_b64(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// One log line per request: method, path (never the query), status, duration, request id.
/// Cookies, passwords and tokens are never logged.
pub async fn request_log(mut req: Request, next: Next) -> Response {
    let id = hex::encode(rand::random::<[u8; 8]>());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Origins the card page lets in, per directive: Stripe.js runs from `script`, calls `connect`,
/// and shows its fields and 3-D Secure challenges in frames from `frame`.
#[derive(Default)]
pub struct ExtraOrigins {
    pub script: String,
    pub connect: String,
    pub frame: String,
}

/// The policy; `extra` adds origins on the card page only. Elsewhere frames fall to
/// `default-src 'self'`.
pub fn content_security_policy(nonce: &str, extra: &ExtraOrigins) -> String {
    let with = |origins: &str| {
        if origins.is_empty() {
            String::new()
        } else {
            format!(" {origins}")
        }
    };
    let frames = if extra.frame.is_empty() {
        String::new()
    } else {
        format!(" frame-src 'self' {};", extra.frame)
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{script}; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'{connect};{frames} \
         form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
        script = with(&extra.script),
        connect = with(&extra.connect),
    )
}

/// The page where a card is typed into Stripe's element: the one page whose CSP lets Stripe.js
/// (and the calls it makes, and its frames) in.
pub const CARD_PAGE: &str = "/account/billing/card";

fn stripe_origins(state: &AppState) -> ExtraOrigins {
    let Some(stripe) = state.config.billing.stripe.as_ref() else {
        return ExtraOrigins::default();
    };
    let settings = stripe.settings();
    let origin = crate::billing::stripe::StripeSettings::origin;
    let js = origin(&settings.js_url).unwrap_or_default();
    let api = origin(&settings.api_url).unwrap_or_default();
    let connect = if api == js { js.clone() } else { format!("{js} {api}") };
    // Stripe's own frame hosts (its card fields and 3-D Secure): named whatever the script's
    // origin, so a stand-in origin in tests changes nothing for real cards.
    ExtraOrigins {
        script: js.clone(),
        connect: connect.trim().to_string(),
        frame: format!("{js} https://*.js.stripe.com https://hooks.stripe.com")
            .trim()
            .to_string(),
    }
}

/// Security headers on every response; `no-store` on every HTML page, since pages can show
/// account data and typed form values.
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = random_b64(16);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let extra = if req.uri().path() == CARD_PAGE {
        stripe_origins(&state)
    } else {
        ExtraOrigins::default()
    };
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set("content-security-policy", &content_security_policy(&nonce, &extra));
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set("x-frame-options", "DENY");
    set("permissions-policy", "camera=(), microphone=(), geolocation=()");
    if state.config.https {
        set("strict-transport-security", "max-age=63072000; includeSubDomains");
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses state-changing requests sent by another site. Browsers say where a request comes
/// from in `Sec-Fetch-Site`; older ones only send `Origin`. `same-site` is refused too: on a
/// PaaS, sibling subdomains belong to other customers. Requests with neither header come from
/// non-browser clients (curl, the CLI), which cannot carry a victim's cookies.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && is_cross_site(req.headers()) {
        return (StatusCode::FORBIDDEN, "Cross-site requests are refused.\n").into_response();
    }
    next.run(req).await
}

fn is_cross_site(headers: &http::HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str().unwrap_or(""), "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    origin == "null" || origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host)
}

fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/healthz" || path == "/favicon.svg"
}

/// Resolves the session cookie and preferences, attaches them (and the page context the app
/// renders from) to the request, and guards the signed-in area.
pub async fn session_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_asset(&path) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let cookies = parts
        .headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let accept_language = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let prefs = Prefs::from_headers(Some(&cookies), accept_language);

    let session = match cookie_value(&cookies, session_token::cookie_name(state.config.https)) {
        None => None,
        Some(token) => {
            let digest = session_token::digest(token);
            match sessions::authenticate(&state.db, &digest, state.lifetimes, now()).await {
                Ok(account) => account.map(|account| CurrentSession {
                    digest,
                    user: account.user.clone(),
                    account: Arc::new(RequestAccount::new(account)),
                }),
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    return (
                        StatusCode::SERVICE_UNAVAILABLE,
                        [(header::RETRY_AFTER, "5")],
                        "The database is not answering. Try again in a few seconds.\n",
                    )
                        .into_response();
                }
            }
        }
    };

    let signed_in = session.is_some();
    // Signed in, the account's preferences win over the browser's cookies: they follow the
    // user to a new browser.
    let prefs = session.as_ref().map(|s| s.user.prefs()).unwrap_or(prefs);
    if parts.method == Method::GET {
        let query = parts.uri.query().map(|q| format!("?{q}")).unwrap_or_default();
        if !signed_in && (path == "/account" || path.starts_with("/account/")) {
            let next_param = app::pages::encode_query_value(&format!("{path}{query}"));
            return see_other(&format!("/login?next={next_param}"));
        }
        if signed_in && (path == "/login" || path == "/signup") {
            let next = parts.uri.query().and_then(|q| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                    .ok()?
                    .into_iter()
                    .find(|(k, _)| k == "next")
                    .map(|(_, v)| v)
            });
            return see_other(
                &next
                    .as_deref()
                    .and_then(super::safe_next)
                    .unwrap_or_else(|| "/account".into()),
            );
        }
    }

    let client = client_info(&parts, state.config.trust_proxy, state.config.https);
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let caller = session.as_ref().map(|s| Caller {
        user_id: s.user.id.clone(),
        session_digest: s.digest.clone(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
        request_id: request_id.clone(),
        time_zone: s.user.time_zone.clone(),
        host_data: HostData(Some(s.account.clone())),
    });
    let flash = (parts.method == Method::GET && !path.starts_with("/api/"))
        .then(|| take_flash(&cookies, &path, &state))
        .flatten();
    let consumed_flash = flash.is_some();
    let page = PageContext {
        prefs,
        user: session.as_ref().map(|s| app::context::SessionUser {
            hds_review_due: s.account.account.hds_review_due(now()),
            ..s.user.to_session_user()
        }),
        feedback: None,
        signup_open: state.config.signup_open,
        flash,
    };
    parts.extensions.insert(page);
    parts.extensions.insert(client);
    parts.extensions.insert(session);
    parts.extensions.insert(caller);
    parts.extensions.insert(RequestInfo {
        request_id,
        https: state.config.https,
    });
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if consumed_flash {
        // A flash can carry what a form handed out once (a token's secret, recovery codes).
        super::compress::mark_secret(response.headers_mut());
        if let Ok(value) = HeaderValue::from_str(&flash_cookie::clear_cookie(state.config.https)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The flash left for this page, if the cookie holds one for it (and its signature holds).
fn take_flash(cookies: &str, path: &str, state: &AppState) -> Option<app::flash::Flash> {
    let value = cookie_value(cookies, flash_cookie::cookie_name(state.config.https))?;
    flash_cookie::decode(value, &state.secret).filter(|f| f.path == path)
}

pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, HeaderValue::from_static("/account"))],
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (http::HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn cross_site_detection() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "good.example")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://good.example"),
            ("host", "good.example")
        ])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "good.example")])));
        assert!(!is_cross_site(&headers(&[])));
    }
}
