//! A page render runs to its end even when the client hangs up.
//!
//! Leptos renders a page with tasks of its own (resources, `Suspend`s) that read the page's
//! reactive values. When the client hangs up, hyper drops the handler's future, which disposes
//! of those values while the tasks still run: each then panics ("Tried to access a reactive
//! value that has already been disposed"), one backtrace per abandoned page in the log, found
//! by dropping connections to `/account/keys` on purpose. So the render runs in a task of its
//! own, which a dropped connection does not cancel, and the whole page is read before it is
//! handed on (pages are tens of kB; the timeline's exports stream and are left out). An
//! abandoned page costs what a finished one does, no more: the connection limits bound how
//! many run at once.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// Far above any page; a body beyond it is answered 500 rather than buffered.
const PAGE_LIMIT: usize = 16 * 1024 * 1024;

pub async fn finish_render(req: Request, next: Next) -> Response {
    if streams_its_body(req.uri().path()) {
        return next.run(req).await;
    }
    let render = tokio::spawn(async move {
        let (parts, body) = next.run(req).await.into_parts();
        match axum::body::to_bytes(body, PAGE_LIMIT).await {
            Ok(bytes) => Response::from_parts(parts, Body::from(bytes)),
            Err(e) => {
                tracing::error!(error = %e, "a page's body could not be read");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    });
    match render.await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a page render failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Files and exports, which are sent as they are read rather than rendered.
fn streams_its_body(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/account/timeline/export.")
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_and_exports_stream_pages_do_not() {
        assert!(super::streams_its_body("/pkg/abc/vestibule.wasm"));
        assert!(super::streams_its_body("/account/timeline/export.csv"));
        assert!(!super::streams_its_body("/account/keys"));
        assert!(!super::streams_its_body("/login"));
    }
}
