//! A client that hangs up while its page renders: the render used to leave tasks behind that
//! panicked on the reactive values the dropped render had disposed of.

use crate::support::{TestApp, IP, PASSWORD};
use axum::body::Body;
use http::{header, Request};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::Duration;
use tower::ServiceExt;

/// Panics about disposed reactive values, in any test of this process (no other test causes
/// one on purpose).
static DISPOSED_PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_disposed_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.to_string().contains("already been disposed") {
                DISPOSED_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_abandoned_mid_render_leave_no_panic_behind() {
    count_disposed_panics();
    for (app, pg) in TestApp::on_each_database().await {
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        for round in 0..120u64 {
            let path = ["/account/keys", "/account", "/account/authorization", "/login"][round as usize % 4];
            let request = Request::get(path)
                .header("x-forwarded-for", IP)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap();
            // Hang up somewhere between before the session is read and after the page is done.
            let wait = Duration::from_micros(100 + (round * 397) % 8000);
            let _ = tokio::time::timeout(wait, app.router.clone().oneshot(request)).await;
        }
        // Whatever was left running has finished, and pages still answer.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let reply = app.get("/account/keys", Some(&cookie)).await;
        assert_eq!(reply.status, 200, "{}", app.backend());
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
    assert_eq!(
        DISPOSED_PANICS.load(Ordering::SeqCst),
        0,
        "renders panicked after their client hung up"
    );
}
