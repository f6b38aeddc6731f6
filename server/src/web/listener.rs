//! The accept loop. `axum::serve` gives hyper no timer, so a client could open connections and
//! send headers one byte a minute for ever (slowloris); here every connection must deliver its
//! request headers within `HEADER_READ_TIMEOUT`, and an idle keep-alive connection is closed by
//! the same rule. On shutdown the listener closes and open requests get a grace period.
//!
//! Connections speak HTTP/1.1 only. Telling HTTP/2 from HTTP/1 means reading the first bytes
//! before any HTTP/1 timer runs, and that wait had no timer of its own: a socket that sent
//! nothing, or only the start of the HTTP/2 preface, stayed open for ever. HTTP/2 is not needed
//! (browsers never speak it in clear text; in production a TLS-terminating proxy speaks to the
//! clients), and hyper's HTTP/1 header timer runs from the moment a connection is first polled,
//! so "no byte at all yet" is covered by the same 10 seconds (the tests check each case).
//!
//! A response whose client stops reading it ends after `WRITE_STALL_TIMEOUT` without progress
//! (`super::write_stall`), so a busy connection cannot be held for ever either.
//!
//! Open connections are capped (`super::connections`): when the server is full, the connection
//! that has waited longest for a request makes room for a newcomer; with none waiting (or one
//! over its address's cap) the newcomer is accepted and closed at once. Either way the process
//! never runs out of file descriptors and the accept queue keeps moving. Refusals, connections
//! closed to make room and accept failures are logged at most once per `LOG_EVERY`, with a
//! count.

use super::connections::{Limiter, Limits, LogEvery, Refused, Slot};
use super::write_stall::StallLimit;
use axum::extract::ConnectInfo;
use axum::Router;
use http_body_util::BodyExt as _;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::time::Instant;
use tower::ServiceExt as _;

pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response may wait for its client to read any of it (`super::write_stall`).
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long requests still running at shutdown may take to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// At most one log line per this long for each kind of refused connection and for accept
/// failures.
const LOG_EVERY: Duration = Duration::from_secs(5);
/// Pause after a failed accept (usually out of file descriptors): wait for some to close
/// rather than spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(50);

/// What the listener saw over its life, for the log at shutdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub refused_over_total: u64,
    pub refused_over_address: u64,
    /// Connections waiting for a request, closed to make room for newcomers.
    pub closed_for_room: u64,
    pub accept_failures: u64,
}

/// Marks its connection as waiting for a request again when dropped: it travels inside the
/// response body, which hyper drops once the answer is sent.
struct WaitingAgain(Arc<Slot>);

impl Drop for WaitingAgain {
    fn drop(&mut self) {
        self.0.waiting();
    }
}

pub async fn serve(listener: TcpListener, app: Router, limiter: Limiter, shutdown: impl Future<Output = ()>) -> Stats {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let limits = limiter.limits();
    let mut over_total = LogEvery::new(LOG_EVERY);
    let mut over_address = LogEvery::new(LOG_EVERY);
    let mut made_room = LogEvery::new(LOG_EVERY);
    let mut accept_failed = LogEvery::new(LOG_EVERY);
    let mut last_accept_error = String::new();
    // Wakes the loop now and then to report the end of a burst of refusals or failures (at
    // most a fifth of `LOG_EVERY` after it is due).
    let mut report = tokio::time::interval(LOG_EVERY / 5);
    report.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    last_accept_error = e.to_string();
                    if let Some(failures) = accept_failed.count(Instant::now()) {
                        tracing::warn!(error = %e, failures, "accept failed");
                    }
                    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    continue;
                }
            },
            _ = report.tick() => {
                let now = Instant::now();
                if let Some(failures) = accept_failed.due(now) {
                    tracing::warn!(error = %last_accept_error, failures, "accept failed");
                }
                log_refusals(&mut over_total, &mut over_address, limits, |log| log.due(now));
                if let Some(closed) = made_room.due(now) {
                    warn_made_room(closed, limits);
                }
                continue;
            }
            () = &mut shutdown => break,
        };
        let slot = match limiter.try_acquire(peer.ip()) {
            Ok(admitted) => {
                if admitted.evicted {
                    if let Some(closed) = made_room.count(Instant::now()) {
                        warn_made_room(closed, limits);
                    }
                }
                Arc::new(admitted.slot)
            }
            Err(refused) => {
                // Closed at once: the client sees the connection end before any request.
                drop(stream);
                let now = Instant::now();
                match refused {
                    Refused::Total => {
                        if let Some(n) = over_total.count(now) {
                            warn_over_total(n, limits);
                        }
                    }
                    Refused::PerAddress => {
                        if let Some(n) = over_address.count(now) {
                            warn_over_address(n, limits);
                        }
                    }
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        slot.waiting();
        let (on_request, on_response) = (slot.clone(), slot.clone());
        let service = app
            .clone()
            .map_request(move |mut request: http::Request<hyper::body::Incoming>| {
                on_request.busy();
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            })
            .map_response(move |response: axum::response::Response| {
                let again = WaitingAgain(on_response.clone());
                response.map(|body| {
                    axum::body::Body::new(body.map_frame(move |frame| {
                        let _sent_with_the_body = &again;
                        frame
                    }))
                })
            });
        let stream = StallLimit::new(stream, WRITE_STALL_TIMEOUT);
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            tokio::select! {
                // Errors here are the client's (reset, timed out, malformed): nothing to report.
                _ = connection => {}
                // Closed to make room: dropping the connection closes its socket.
                () = slot.evicted() => {}
            }
            // The connection's place under the caps is free once its socket is closed.
            drop(slot);
        });
    }
    drop(listener);
    log_refusals(&mut over_total, &mut over_address, limits, LogEvery::rest);
    if let Some(failures) = accept_failed.rest() {
        tracing::warn!(error = %last_accept_error, failures, "accept failed");
    }
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after the shutdown grace period were cut off");
    }
    if let Some(closed) = made_room.rest() {
        warn_made_room(closed, limits);
    }
    Stats {
        refused_over_total: over_total.total(),
        refused_over_address: over_address.total(),
        closed_for_room: made_room.total(),
        accept_failures: accept_failed.total(),
    }
}

fn warn_made_room(closed: u64, limits: Limits) {
    tracing::warn!(
        closed,
        limit = limits.total,
        "connections waiting for a request closed to make room: the server holds its maximum (VESTIBULE_MAX_CONNECTIONS)"
    );
}

/// Logs the refusals `pending` says are due, one line per cap.
fn log_refusals(
    over_total: &mut LogEvery,
    over_address: &mut LogEvery,
    limits: Limits,
    mut pending: impl FnMut(&mut LogEvery) -> Option<u64>,
) {
    if let Some(refused) = pending(over_total) {
        warn_over_total(refused, limits);
    }
    if let Some(refused) = pending(over_address) {
        warn_over_address(refused, limits);
    }
}

fn warn_over_total(refused: u64, limits: Limits) {
    tracing::warn!(
        refused,
        limit = limits.total,
        "connections closed at once: the server holds its maximum (VESTIBULE_MAX_CONNECTIONS)"
    );
}

fn warn_over_address(refused: u64, limits: Limits) {
    tracing::warn!(
        refused,
        limit = limits.per_address.unwrap_or(0),
        "connections closed at once: their address holds its maximum (VESTIBULE_MAX_CONNECTIONS_PER_ADDRESS)"
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    /// Slack on top of the header timeout for a silent connection to be closed.
    const SLACK: Duration = Duration::from_secs(1);
    /// "At once", for a connection over a cap (in paused time: before any timer fires).
    const AT_ONCE: Duration = Duration::from_millis(100);
    const ROOMY: Limits = Limits {
        total: 1000,
        per_address: Some(256),
    };

    fn app() -> Router {
        Router::new()
            .route("/", axum::routing::get(|| async { "ok" }))
            .route(
                "/big",
                axum::routing::get(|| async {
                    let chunk = axum::body::Bytes::from(vec![b'x'; 1 << 20]);
                    let chunks = (0..64).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
                    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
                }),
            )
            .route(
                "/hold",
                axum::routing::get(|| async {
                    std::future::pending::<()>().await;
                    ""
                }),
            )
            .route(
                "/peer",
                axum::routing::get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
            )
    }

    async fn start(limits: Limits) -> (SocketAddr, Limiter) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limiter = Limiter::new(limits);
        tokio::spawn(serve(listener, app(), limiter.clone(), std::future::pending()));
        (addr, limiter)
    }

    /// A connection from `source` (any of 127/8 is loopback on Linux).
    async fn connect_from(source: &str, addr: SocketAddr) -> TcpStream {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap()
    }

    /// How long the server took to close `stream` (EOF or reset), if within `limit`.
    async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
        let started = Instant::now();
        let mut buffer = Vec::new();
        // A reset counts as closed as much as an EOF does.
        tokio::time::timeout(limit, stream.read_to_end(&mut buffer))
            .await
            .ok()?
            .ok();
        Some(started.elapsed())
    }

    /// One request with `Connection: close`; the whole answer ("" if the server closed first).
    async fn get(mut stream: TcpStream, path: &str) -> String {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).await.is_err() {
            return String::new();
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn assert_closed_by_the_header_timer(took: Option<Duration>) {
        assert!(
            took.is_some_and(|t| t <= HEADER_READ_TIMEOUT + SLACK),
            "closed after {took:?} (None: still open after a minute)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_never_finishes_its_headers_is_disconnected() {
        let (addr, _) = start(ROOMY).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        assert_closed_by_the_header_timer(closed_within(&mut slow, HEADER_READ_TIMEOUT * 6).await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_sends_nothing_is_closed() {
        let (addr, limiter) = start(ROOMY).await;
        let mut silent = TcpStream::connect(addr).await.unwrap();
        let took = closed_within(&mut silent, HEADER_READ_TIMEOUT * 6).await;
        assert_closed_by_the_header_timer(took);
        assert!(
            took.is_some_and(|t| t >= HEADER_READ_TIMEOUT - SLACK),
            "not before the timeout: {took:?}"
        );
        tokio::time::sleep(AT_ONCE).await;
        assert_eq!(limiter.open(), 0, "its place under the caps is free again");
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_sends_only_the_start_of_the_http2_preface_is_closed() {
        let (addr, _) = start(ROOMY).await;
        let mut silent = TcpStream::connect(addr).await.unwrap();
        silent.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
        assert_closed_by_the_header_timer(closed_within(&mut silent, HEADER_READ_TIMEOUT * 6).await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_sends_half_a_request_line_is_closed() {
        let (addr, _) = start(ROOMY).await;
        let mut silent = TcpStream::connect(addr).await.unwrap();
        silent.write_all(b"GET /acc").await.unwrap();
        assert_closed_by_the_header_timer(closed_within(&mut silent, HEADER_READ_TIMEOUT * 6).await);
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_keep_alive_connection_is_closed() {
        let (addr, _) = start(ROOMY).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        while !answer.ends_with(b"\r\n\r\nok") {
            let mut chunk = [0u8; 1024];
            let n = client.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed before the answer: {}", String::from_utf8_lossy(&answer));
            answer.extend_from_slice(&chunk[..n]);
        }
        assert!(answer.starts_with(b"HTTP/1.1 200"));
        assert_closed_by_the_header_timer(closed_within(&mut client, HEADER_READ_TIMEOUT * 6).await);
    }

    #[tokio::test]
    async fn requests_carry_the_peer_address() {
        let (addr, _) = start(ROOMY).await;
        let answer = get(connect_from("127.0.0.2", addr).await, "/peer").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("\r\n127.0.0.2"), "{answer}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_over_the_per_address_cap_is_closed_at_once_while_another_address_is_served() {
        let (addr, limiter) = start(Limits {
            total: 100,
            per_address: Some(2),
        })
        .await;
        let mut held = Vec::new();
        for _ in 0..2 {
            held.push(connect_from("127.0.0.1", addr).await);
        }
        let mut over = connect_from("127.0.0.1", addr).await;
        assert!(
            closed_within(&mut over, AT_ONCE).await.is_some(),
            "the third is closed at once"
        );
        for stream in &mut held {
            assert_eq!(closed_within(stream, AT_ONCE).await, None, "the first two stay open");
        }
        let answer = get(connect_from("127.0.0.2", addr).await, "/peer").await;
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "another address is served: {answer}"
        );
        assert_eq!(limiter.open(), 2);
        // Once one of the first two ends, the address may connect again.
        drop(held.pop());
        tokio::time::sleep(AT_ONCE).await;
        let answer = get(connect_from("127.0.0.1", addr).await, "/").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    /// Sends a request whose handler never answers: the connection stays busy.
    async fn busy_from(source: &str, addr: SocketAddr) -> TcpStream {
        let mut stream = connect_from(source, addr).await;
        stream
            .write_all(b"GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(AT_ONCE).await;
        stream
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_stops_reading_its_response_is_disconnected() {
        let (addr, limiter) = start(ROOMY).await;
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut reader = socket.connect(addr).await.unwrap();
        reader.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        // It reads nothing: the answer (64 MB) fills the socket buffers and the writes wait.
        tokio::time::sleep(AT_ONCE).await;
        assert_eq!(limiter.open(), 1);
        tokio::time::sleep(WRITE_STALL_TIMEOUT + SLACK).await;
        assert_eq!(
            limiter.open(),
            0,
            "closed once its writes stalled for {WRITE_STALL_TIMEOUT:?}"
        );
        drop(reader);
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_server_closes_the_longest_silent_connection_to_serve_a_newcomer() {
        let (addr, limiter) = start(Limits {
            total: 2,
            per_address: Some(256),
        })
        .await;
        let mut oldest = connect_from("127.0.0.2", addr).await;
        tokio::time::sleep(AT_ONCE).await;
        let mut newer = connect_from("127.0.0.3", addr).await;
        tokio::time::sleep(AT_ONCE).await;
        assert_eq!(limiter.open(), 2);
        // Full of silent sockets, the server still answers: the one silent longest goes.
        let answer = get(connect_from("127.0.0.4", addr).await, "/").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            closed_within(&mut oldest, AT_ONCE).await.is_some(),
            "the oldest made room"
        );
        assert_eq!(closed_within(&mut newer, AT_ONCE).await, None, "the newer one stays");
        assert_eq!(limiter.evicted(), 1);
        tokio::time::sleep(AT_ONCE).await;
        assert_eq!(limiter.open(), 1);
        // The newer one times out as any silent connection does.
        assert_closed_by_the_header_timer(closed_within(&mut newer, HEADER_READ_TIMEOUT * 6).await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_server_of_busy_connections_closes_a_newcomer_at_once() {
        let (addr, limiter) = start(Limits {
            total: 2,
            per_address: Some(256),
        })
        .await;
        let mut first = busy_from("127.0.0.2", addr).await;
        let mut second = busy_from("127.0.0.3", addr).await;
        let mut over = connect_from("127.0.0.4", addr).await;
        assert!(
            closed_within(&mut over, AT_ONCE).await.is_some(),
            "the third is closed at once"
        );
        assert_eq!(
            closed_within(&mut first, AT_ONCE).await,
            None,
            "busy ones are never closed for room"
        );
        assert_eq!(limiter.open(), 2);
        assert_eq!(limiter.evicted(), 0);
        // The client hangs up: its place is free.
        drop(first);
        tokio::time::sleep(AT_ONCE).await;
        assert_eq!(limiter.open(), 1);
        let answer = get(connect_from("127.0.0.5", addr).await, "/").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert_eq!(closed_within(&mut second, AT_ONCE).await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_keep_alive_connection_waiting_for_its_next_request_may_make_room() {
        let (addr, limiter) = start(Limits {
            total: 1,
            per_address: None,
        })
        .await;
        let mut idle = connect_from("127.0.0.2", addr).await;
        idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        while !answer.ends_with(b"\r\n\r\nok") {
            let mut chunk = [0u8; 1024];
            let n = idle.read(&mut chunk).await.unwrap();
            assert!(n > 0);
            answer.extend_from_slice(&chunk[..n]);
        }
        // Answered and waiting again: a newcomer takes its place.
        let next = get(connect_from("127.0.0.3", addr).await, "/").await;
        assert!(next.starts_with("HTTP/1.1 200"), "{next}");
        assert!(closed_within(&mut idle, AT_ONCE).await.is_some());
        assert_eq!(limiter.evicted(), 1);
    }

    /// Log lines written while it is in scope, on this thread (the tests' runtime's only one).
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn lines(&self) -> Vec<String> {
            let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
            text.lines().map(str::to_string).collect()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn refusals_are_logged_at_once_then_once_per_period_with_their_count() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let (addr, _) = start(Limits {
            total: 100,
            per_address: Some(1),
        })
        .await;
        let _held = TcpStream::connect(addr).await.unwrap();
        for _ in 0..4 {
            let mut over = TcpStream::connect(addr).await.unwrap();
            assert!(closed_within(&mut over, AT_ONCE).await.is_some());
        }
        let refusals = || {
            log.lines()
                .into_iter()
                .filter(|line| line.contains("closed at once"))
                .collect::<Vec<_>>()
        };
        let lines = refusals();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("refused=1 limit=1"), "{lines:?}");
        tokio::time::sleep(LOG_EVERY + AT_ONCE).await;
        let lines = refusals();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[1].contains("refused=3 limit=1"),
            "the rest, within {LOG_EVERY:?}: {lines:?}"
        );
        tokio::time::sleep(LOG_EVERY * 2).await;
        assert_eq!(refusals().len(), 2, "nothing new, nothing logged");
    }

    #[tokio::test(start_paused = true)]
    async fn shutdown_closes_silent_connections_and_reports_the_refusals() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limiter = Limiter::new(Limits {
            total: 100,
            per_address: Some(1),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app(), limiter, async {
            let _ = stopped.await;
        }));
        let mut silent = TcpStream::connect(addr).await.unwrap();
        for _ in 0..3 {
            let mut over = TcpStream::connect(addr).await.unwrap();
            assert!(closed_within(&mut over, AT_ONCE).await.is_some());
        }
        stop.send(()).unwrap();
        assert!(
            closed_within(&mut silent, AT_ONCE).await.is_some(),
            "closed at shutdown"
        );
        let stats = tokio::time::timeout(AT_ONCE, server).await.unwrap().unwrap();
        assert_eq!(
            stats,
            Stats {
                refused_over_total: 0,
                refused_over_address: 3,
                closed_for_room: 0,
                accept_failures: 0
            }
        );
    }
}
