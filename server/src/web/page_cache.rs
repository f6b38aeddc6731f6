//! Signed-in pages, served again as rendered while nothing they show has changed.
//!
//! Rendering is most of what a signed-in page costs (a `perf` profile of `/account` under load
//! is Leptos' rendering spread over hundreds of functions, with no single hot spot to remove).
//! A tab is drawn from its account's rows, the published legal documents, the request's path
//! and the caller (session, address, browser), and the clock. So:
//!
//! - every request still looks its session up, and that one query also reads the account's
//!   revision: a counter that database triggers bump in the same transaction as any change to
//!   the account's rows or to the documents (migration 0019). A revoked session, a changed
//!   password or a deleted account is refused on the next request, and a page is never served
//!   after a change, whichever instance sharing the database made it;
//! - a page is served again only to the same session, from the same address and browser, at the
//!   same revision, and for at most [`PAGE_TTL`] (what the clock changes: "3 minutes ago", an
//!   expiry passing);
//! - only a plain `200` HTML page is kept: not one that carried a flash message or a form's
//!   feedback, set a cookie or holds a secret, and not the card page (each of its renders asks
//!   the payment provider for a new card set-up);
//! - each response gets its own CSP nonce: the kept page is stored cut at its nonce, and the
//!   request's new nonce is put back in.

use super::compress::holds_secret;
use super::middleware::{CspNonce, CurrentSession, CARD_PAGE};
use app::context::PageContext;
use app::host::Caller;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, Method, StatusCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a page may be served again when nothing in the database changed.
pub const PAGE_TTL: Duration = Duration::from_secs(30);
/// Memory for kept pages (a tab is 20–60 kB); the least used go first.
const CAPACITY_BYTES: u64 = 32 * 1024 * 1024;
/// A page larger than this is served but not kept.
const PAGE_LIMIT: usize = 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PageKey {
    session_digest: String,
    ip: String,
    user_agent: String,
    path_and_query: String,
}

struct KeptPage {
    revision: i64,
    kept_at: Instant,
    headers: HeaderMap,
    /// The body, cut where the nonce of the render that made it stood.
    around_nonce: Vec<Bytes>,
}

impl KeptPage {
    fn weight(&self) -> u64 {
        self.around_nonce.iter().map(|b| b.len() as u64).sum::<u64>() + 512
    }

    /// The kept body with `nonce` where the old one stood.
    fn body_with(&self, nonce: &str) -> Vec<u8> {
        let len = self.weight() as usize + self.around_nonce.len() * nonce.len();
        let mut body = Vec::with_capacity(len);
        for (i, piece) in self.around_nonce.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        body
    }

    fn response(&self, nonce: &str) -> Response {
        let mut response = Body::from(self.body_with(nonce)).into_response();
        *response.headers_mut() = self.headers.clone();
        response
    }
}

#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<PageKey, Arc<KeptPage>> for ByBytes {
    fn weight(&self, key: &PageKey, page: &Arc<KeptPage>) -> u64 {
        page.weight() + (key.path_and_query.len() + key.user_agent.len()) as u64
    }
}

/// The kept pages of this process, and how often one was served again (read by the tests).
pub struct PageCache {
    pages: quick_cache::sync::Cache<PageKey, Arc<KeptPage>, ByBytes>,
    hits: AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            pages: quick_cache::sync::Cache::with_weighter(1024, CAPACITY_BYTES, ByBytes),
            hits: AtomicU64::new(0),
        }
    }
}

impl PageCache {
    /// Pages served from the cache since the process started.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn fresh(&self, key: &PageKey, revision: i64) -> Option<Arc<KeptPage>> {
        let page = self.pages.get(key)?;
        if page.revision == revision && page.kept_at.elapsed() < PAGE_TTL {
            Some(page)
        } else {
            self.pages.remove(key);
            None
        }
    }
}

/// What a request needs for its page to be kept or served again.
struct Lookup {
    key: PageKey,
    revision: i64,
    nonce: String,
}

impl Lookup {
    fn of(req: &Request) -> Option<Lookup> {
        let path = req.uri().path();
        let is_tab = path == "/account" || path.starts_with("/account/");
        if req.method() != Method::GET || !is_tab || path == CARD_PAGE || path.starts_with("/account/timeline/export.")
        {
            return None;
        }
        let extensions = req.extensions();
        let page = extensions.get::<PageContext>()?;
        if page.flash.is_some() || page.feedback.is_some() {
            return None;
        }
        let session = extensions.get::<Option<CurrentSession>>()?.as_ref()?;
        let caller = extensions.get::<Option<Caller>>()?.as_ref()?;
        let CspNonce(nonce) = extensions.get::<CspNonce>()?;
        Some(Lookup {
            key: PageKey {
                session_digest: session.digest.clone(),
                ip: caller.ip.clone(),
                user_agent: caller.user_agent.clone(),
                path_and_query: req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or(path)
                    .to_string(),
            },
            revision: session.account.account.revision,
            nonce: nonce.clone(),
        })
    }
}

/// Inside the session layer, which has read the session and the account's revision.
pub async fn serve_or_keep(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let Some(lookup) = Lookup::of(&req) else {
        return next.run(req).await;
    };
    if let Some(page) = cache.fresh(&lookup.key, lookup.revision) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return page.response(&lookup.nonce);
    }
    let response = next.run(req).await;
    if !worth_keeping(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, PAGE_LIMIT).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "a page's body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let page = KeptPage {
        revision: lookup.revision,
        kept_at: Instant::now(),
        headers: parts.headers.clone(),
        around_nonce: cut_at(&body, &lookup.nonce),
    };
    cache.pages.insert(lookup.key, Arc::new(page));
    Response::from_parts(parts, Body::from(body))
}

fn worth_keeping(response: &Response) -> bool {
    let headers = response.headers();
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    response.status() == StatusCode::OK
        && is_html
        && !headers.contains_key(header::SET_COOKIE)
        && !holds_secret(headers)
}

/// `body` in pieces, split where `nonce` stands (and without it).
fn cut_at(body: &Bytes, nonce: &str) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(body, nonce.as_bytes()) {
        pieces.push(body.slice(start..at));
        start = at + nonce.len();
    }
    pieces.push(body.slice(start..));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_page_takes_the_new_nonce_wherever_the_old_one_stood() {
        let body = Bytes::from_static(b"<script nonce=\"OLD\">a</script><style nonce=\"OLD\"></style>OL");
        let page = KeptPage {
            revision: 1,
            kept_at: Instant::now(),
            headers: HeaderMap::new(),
            around_nonce: cut_at(&body, "OLD"),
        };
        assert_eq!(page.around_nonce.len(), 3);
        assert_eq!(
            String::from_utf8(page.body_with("NEW")).unwrap(),
            "<script nonce=\"NEW\">a</script><style nonce=\"NEW\"></style>OL"
        );
    }

    #[test]
    fn a_page_without_its_nonce_is_one_piece() {
        assert_eq!(cut_at(&Bytes::from_static(b"plain"), "nonce").len(), 1);
    }
}
