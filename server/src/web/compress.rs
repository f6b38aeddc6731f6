//! Dynamic responses (pages, server-function and `/v1` JSON, exports) are compressed with gzip
//! when the client accepts it, at a level that costs little CPU (4 of 9). The WASM, JS and CSS
//! are compressed once at build time (brotli and gzip) and served as they are.
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

/// gzip level 4: most of the size gain at a small fraction of the highest levels' CPU.
const LEVEL: i32 = 4;

fn without_secret(_: http::StatusCode, _: http::Version, headers: &HeaderMap, _: &http::Extensions) -> bool {
    !holds_secret(headers)
}

/// Whether a response was marked with [`mark_secret`].
pub fn holds_secret(headers: &HeaderMap) -> bool {
    headers.contains_key(&SECRET_INSIDE)
}

/// The compression layer: the default predicate (not tiny bodies, not images, not already
/// encoded, not event streams) and never a response marked `SECRET_INSIDE`.
pub fn layer() -> CompressionLayer<impl Predicate> {
    // gzip only, not brotli: `scripts/bench` measured a signed-in /account (25 kB of HTML)
    // at 1,643 requests/s uncompressed and 954 with brotli 4, about 0.9 ms of CPU per page
    // (the brotli encoder sets up its window for every response). gzip's output is within a
    // few hundred bytes here. The static files keep brotli: they are compressed once.
    // (tower-http is built with its gzip feature only.)
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
