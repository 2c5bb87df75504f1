//! The connection loop under the router: HTTP/1.1 by hyper, with the limits
//! a server facing hostile clients needs, each a [`Settings`] field.
//!
//! - **Header-read timeout**: a connection whose request head is not complete
//!   within the timeout is closed. hyper starts this timer whenever it waits
//!   for a head, so it also bounds a keep-alive connection's wait for its
//!   next request.
//! - **Keep-alive idle timeout**: a connection with no request in flight for
//!   this long is closed (the effective idle limit is the smaller of the two).
//! - **Connection cap**: past it, new connections wait in the kernel's
//!   backlog until one closes.
//! - **Header limits**: too many header fields, or a head larger than the
//!   limit, is `431`; a head hyper cannot parse is `400`; an over-long URI
//!   is `414`. hyper writes those answers itself with an empty body; the
//!   connection adapter here replaces each with the contract's error body.
//! - **Shutdown**: when `shutdown` resolves, the listener closes, idle
//!   connections close, requests in flight finish; whatever is still open
//!   at the deadline is cut, and `serve` returns.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::{Failure, Settings, StartError};

/// Serves `router` on `listener` under `settings`' connection limits until
/// `shutdown` resolves, then drains (see the module's text).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    settings: &Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout)
        .max_header_size(settings.max_header_bytes);
    if settings.max_headers != DEFAULT_MAX_HEADERS {
        // hyper keeps 100 on the stack; any other count is a heap allocation per request.
        builder.max_headers(settings.max_headers);
    }
    let builder = Arc::new(builder);
    let permits = Arc::new(Semaphore::new(settings.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors and the like: wait, never spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let conn = Connection {
            builder: builder.clone(),
            router: router.clone(),
            idle: settings.keep_alive_timeout,
            stop: stop_rx.clone(),
        };
        connections.spawn(async move {
            conn.run(stream, peer).await;
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        connections = connections.len(),
        "shutting down: finishing the requests in flight"
    );
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(settings.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            grace_secs = settings.shutdown_grace.as_secs_f64(),
            "connections still open at the shutdown deadline are cut"
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
    Ok(())
}

/// hyper's own count of header fields kept on the stack.
pub(crate) const DEFAULT_MAX_HEADERS: usize = 100;

struct Connection {
    builder: Arc<hyper::server::conn::http1::Builder>,
    router: Router,
    idle: Duration,
    stop: watch::Receiver<bool>,
}

/// A connection's requests: how many are in flight, and when the last one
/// finished (milliseconds since the connection opened).
struct Activity {
    opened: tokio::time::Instant,
    in_flight: AtomicUsize,
    last_done_ms: AtomicU64,
}

impl Activity {
    fn since_opened(&self) -> Duration {
        self.opened.elapsed()
    }
}

/// One request in flight; dropped with the request's future (a cancelled
/// request counts as finished).
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let ms = u64::try_from(self.0.since_opened().as_millis()).unwrap_or(u64::MAX);
        self.0.last_done_ms.store(ms, Ordering::SeqCst);
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Connection {
    async fn run(mut self, stream: TcpStream, peer: SocketAddr) {
        let activity = Arc::new(Activity {
            opened: tokio::time::Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_done_ms: AtomicU64::new(0),
        });
        let router = self.router.clone();
        let counted = activity.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            counted.in_flight.fetch_add(1, Ordering::SeqCst);
            let guard = InFlight(counted.clone());
            req.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                let response = router.oneshot(req).await;
                drop(guard);
                response
            }
        });
        let io = TokioIo::new(ErrorBodies::new(stream));
        let conn = self.builder.serve_connection(io, service);
        tokio::pin!(conn);
        let mut closing = false;
        // One timer for the connection's life, not one per request: when it
        // fires, it is set again to the idle limit past the last request's end.
        let idle = tokio::time::sleep(self.idle);
        tokio::pin!(idle);
        loop {
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    return;
                }
                changed = self.stop.changed(), if !closing => {
                    if changed.is_err() || *self.stop.borrow() {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
                () = idle.as_mut(), if !closing => {
                    let now = tokio::time::Instant::now();
                    if activity.in_flight.load(Ordering::SeqCst) > 0 {
                        idle.as_mut().reset(now + self.idle);
                        continue;
                    }
                    let last = Duration::from_millis(activity.last_done_ms.load(Ordering::SeqCst));
                    let quiet = activity.since_opened().saturating_sub(last);
                    if quiet >= self.idle {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    } else {
                        idle.as_mut().reset(now + (self.idle - quiet));
                    }
                }
            }
        }
    }
}

/// The answers hyper writes itself when it cannot read a request, with the
/// contract's error body in place of hyper's empty one.
fn error_answer(status: u16) -> Option<&'static [u8]> {
    use std::sync::OnceLock;
    static ANSWERS: OnceLock<[(u16, Vec<u8>); 3]> = OnceLock::new();
    let answers = ANSWERS.get_or_init(|| {
        [
            (400, "Bad Request", "bad_request", "the request is not readable HTTP/1.1".to_owned()),
            (414, "URI Too Long", "uri_too_long", "the request's URI is too long".to_owned()),
            (
                431,
                "Request Header Fields Too Large",
                "request_header_fields_too_large",
                "the request has too many header fields, or their bytes together exceed the server's limit".to_owned(),
            ),
        ]
        .map(|(status, reason, code, message)| {
            let body = axum::body::Bytes::from(
                serde_json::to_vec(&Failure::new(code, status, message).0).unwrap_or_default(),
            );
            let mut raw = format!(
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            raw.extend_from_slice(&body);
            (status, raw)
        })
    });
    answers
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, raw)| raw.as_slice())
}

/// The status of `buf` if it is a whole response head that hyper wrote for
/// a request it could not read: status 400, 414 or 431, and no
/// `content-type` (every answer of the router has one).
fn bare_error_status(buf: &[u8]) -> Option<u16> {
    let rest = buf.strip_prefix(b"HTTP/1.1 ")?;
    let status = match rest.get(..4)? {
        b"400 " => 400,
        b"414 " => 414,
        b"431 " => 431,
        _ => return None,
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = &buf[..end];
    let has_type = head
        .split(|b| *b == b'\n')
        .any(|line| line.len() >= 13 && line[..13].eq_ignore_ascii_case(b"content-type:"));
    (!has_type && end + 4 == buf.len()).then_some(status)
}

/// A TCP stream whose writes of hyper's bare error answers are replaced
/// with the contract's (see [`error_answer`]). Writes are not vectored, so
/// hyper hands every response head over in one buffer.
struct ErrorBodies {
    stream: TcpStream,
    /// A replacement answer still to write, and how much of it is written.
    pending: Option<(&'static [u8], usize)>,
}

impl ErrorBodies {
    fn new(stream: TcpStream) -> Self {
        ErrorBodies {
            stream,
            pending: None,
        }
    }

    /// Writes what is left of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = self.pending {
            let n = std::task::ready!(Pin::new(&mut self.stream).poll_write(cx, &bytes[done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending = (done + n < bytes.len()).then_some((bytes, done + n));
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for ErrorBodies {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ErrorBodies {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        std::task::ready!(self.drain(cx))?;
        if let Some(answer) = bare_error_status(buf).and_then(error_answer) {
            self.pending = Some((answer, 0));
            // hyper's bytes count as written; ours go out in their place.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        false
    }
}
