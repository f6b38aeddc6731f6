//! Dynamic responses (pages, server-function and `/v1` JSON, exports) are compressed with brotli
//! or gzip as the client accepts, at a level that costs little CPU (4 of 11 for brotli). The
//! WASM, JS and CSS are compressed once at build time and served as they are.
//!
//! BREACH: a compressed response that holds a secret and also reflects what a request sent
//! lets an attacker who sees response sizes guess the secret, byte by byte, over many requests.
//! The choice here: **a response that holds a secret is never compressed.** Whatever hands a
//! secret out (a new token's secret, a bearer, a second factor's secret or recovery codes, a
//! page showing a form's flash, which may hold one) marks its response with `SECRET_INSIDE`;
//! the compression layer leaves such responses alone, and the header never leaves the server.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderMap, HeaderName, HeaderValue};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Marks a response that holds a secret; removed before the response leaves.
pub const SECRET_INSIDE: HeaderName = HeaderName::from_static("x-vestibule-secret-inside");

/// Brotli 4 (gzip 4): most of the size gain at a small fraction of the highest levels' CPU.
const LEVEL: i32 = 4;

fn without_secret(_: http::StatusCode, _: http::Version, headers: &HeaderMap, _: &http::Extensions) -> bool {
    !headers.contains_key(&SECRET_INSIDE)
}

/// The compression layer: the default predicate (not tiny bodies, not images, not already
/// encoded, not event streams) and never a response marked `SECRET_INSIDE`.
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(LEVEL))
        .compress_when(DefaultPredicate::new().and(without_secret))
}

/// Marks `headers` as those of a response that holds a secret.
pub fn mark_secret(headers: &mut HeaderMap) {
    headers.insert(SECRET_INSIDE, HeaderValue::from_static("1"));
}

/// Outside the compression layer: the marker is for the server only.
pub async fn strip_marker(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response.headers_mut().remove(&SECRET_INSIDE);
    response
}
