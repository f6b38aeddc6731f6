//! What happens around every server-function call (`POST /api/…`):
//!
//! - A JavaScript caller gets the status that matches the typed error (401, 422, 429…) rather
//!   than Leptos 0.8's blanket 500, and `Retry-After` when rate-limited.
//! - A plain form post (no JavaScript: the browser asks for HTML) is answered Post/Redirect/Get:
//!   303 back to the page it came from, with the outcome and what was typed (never a secret
//!   field) in the signed flash cookie, so the page shows the errors or the confirmation and
//!   keeps the input. Leptos' own fallback would put the error in the URL and lose the input.
//! - A call refused because the session ended keeps the typed values the same way, and a
//!   no-JavaScript one goes to sign-in, which leads back to the same page.

use super::{flash_cookie, BODY_LIMIT};
use crate::state::AppState;
use app::error::AppError;
use app::flash::{is_secret_field, Flash, FlashOutcome};
use app::host::Caller;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use leptos::server_fn::error::FromServerFnError;

/// Server-function answers are small; a larger one is not buffered here.
const RESPONSE_LIMIT: usize = 1024 * 1024;

pub async fn outcomes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let accepts_html = header_str(req.headers(), header::ACCEPT).contains("text/html");
    let origin_page = referer_page(req.headers());
    let action = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.\n").into_response();
    };
    let values = typed_values(&parts.headers, &bytes);
    let signed_in = parts.extensions.get::<Option<Caller>>().is_some_and(Option::is_some);
    let response = if signed_in || app::api::public_paths().contains(&action.as_str()) {
        next.run(Request::from_parts(parts, Body::from(bytes))).await
    } else {
        session_expired()
    };
    let is_error = response.headers().contains_key("serverfnerror");
    if !accepts_html && !is_error {
        return response;
    }
    let (mut head, body) = response.into_parts();
    let body = axum::body::to_bytes(body, RESPONSE_LIMIT).await.unwrap_or_default();
    let outcome = if is_error {
        FlashOutcome::Err(AppError::de(body.clone()))
    } else {
        FlashOutcome::Ok(String::from_utf8_lossy(&body).into_owned())
    };
    let https = state.config.https;
    let flash = |page: &Page| Flash {
        path: page.path.clone(),
        action: action.clone(),
        values: values.clone(),
        outcome: outcome.clone(),
    };

    if accepts_html {
        let page = origin_page.unwrap_or_else(|| Page::at("/account"));
        // A server function may redirect on its own (Location not back to the page).
        let location = match &outcome {
            FlashOutcome::Err(AppError::SessionExpired) => format!(
                "/login?next={}&notice=session-ended",
                app::pages::encode_query_value(&page.path_and_query)
            ),
            _ => head
                .headers
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .filter(|l| l.starts_with('/') && !l.contains("__err="))
                .map(str::to_string)
                .unwrap_or_else(|| page.path_and_query.clone()),
        };
        let mut redirect = super::middleware::see_other(&location);
        // Cookies the function set (a saved theme or language) go with the redirect.
        for cookie in head.headers.get_all(header::SET_COOKIE) {
            redirect.headers_mut().append(header::SET_COOKIE, cookie.clone());
        }
        attach_flash(redirect.headers_mut(), &flash(&page), &state, https);
        return redirect;
    }

    let error = match &outcome {
        FlashOutcome::Err(error) => error.clone(),
        FlashOutcome::Ok(_) => return Response::from_parts(head, Body::from(body)),
    };
    head.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let AppError::RateLimited { retry_after_secs } = error {
        if let Ok(value) = HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
            head.headers.insert(header::RETRY_AFTER, value);
        }
    }
    if error == AppError::SessionExpired && !values.is_empty() {
        if let Some(page) = &origin_page {
            attach_flash(&mut head.headers, &flash(page), &state, https);
        }
    }
    Response::from_parts(head, Body::from(body))
}

/// What a server function answers without a session, as if it had run.
fn session_expired() -> Response {
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, AppError::SessionExpired.ser()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("serverfnerror", HeaderValue::from_static("session"));
    response
}

fn attach_flash(headers: &mut HeaderMap, flash: &Flash, state: &AppState, https: bool) {
    let Some(value) = flash_cookie::encode(flash, &state.secret) else {
        return;
    };
    if let Ok(cookie) = HeaderValue::from_str(&flash_cookie::set_cookie(&value, https)) {
        headers.append(header::SET_COOKIE, cookie);
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The page a form was posted from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    /// With the page's own query, minus any error Leptos once put there.
    pub path_and_query: String,
}

impl Page {
    fn at(path: &str) -> Page {
        Page {
            path: path.to_string(),
            path_and_query: path.to_string(),
        }
    }
}

/// The same-origin page in `Referer` (the Referrer-Policy `same-origin` keeps it for our own
/// posts); `None` for anything else.
pub fn referer_page(headers: &HeaderMap) -> Option<Page> {
    let referer: http::Uri = header_str(headers, header::REFERER).parse().ok()?;
    let host = header_str(headers, header::HOST);
    if referer
        .authority()
        .is_some_and(|a| !a.as_str().eq_ignore_ascii_case(host))
    {
        return None;
    }
    let path = super::safe_next(referer.path())?;
    // The query as the page had it, byte for byte, minus what Leptos adds on errors.
    let kept: Vec<&str> = referer
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("__err=") && !pair.starts_with("__path="))
        .collect();
    let path_and_query = if kept.is_empty() {
        path.clone()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    super::safe_next(&path_and_query).map(|path_and_query| Page { path, path_and_query })
}

/// The posted form's fields, secrets left out.
fn typed_values(headers: &HeaderMap, body: &Bytes) -> Vec<(String, String)> {
    if !header_str(headers, header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded") {
        return Vec::new();
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| !is_secret_field(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(referer: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("dash.example"));
        h.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
        h
    }

    #[test]
    fn referer_pages_are_same_origin_paths_without_leptos_errors() {
        let page = referer_page(&headers("http://dash.example/account?tab=1&__path=x&__err=y")).unwrap();
        assert_eq!(page.path, "/account");
        assert_eq!(page.path_and_query, "/account?tab=1");
        let page = referer_page(&headers("http://dash.example/login?next=/account%3Fa%3Db")).unwrap();
        assert_eq!(page.path_and_query, "/login?next=/account%3Fa%3Db");
        assert_eq!(referer_page(&headers("https://evil.example/account")), None);
        assert_eq!(referer_page(&headers("not a url at all")), None);
    }

    #[test]
    fn secrets_are_not_kept() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let values = typed_values(&h, &Bytes::from("bio=hi&current_password=hunter2&code=123456"));
        assert_eq!(values, vec![("bio".to_string(), "hi".to_string())]);
    }
}
