//! The demo's accept loop: each connection served by hyper's HTTP/1 server with a header read
//! timeout, and a graceful stop.
//!
//! `axum::serve` sets no timeout, so a client that connects and sends nothing keeps a socket (and
//! a file descriptor) forever; a thousand of them made new connections hang. Here every
//! connection must send its request head within the configured time, idle keep-alive
//! connections included, or hyper closes it. An accept error (such as running out of file
//! descriptors) is logged and retried after a short pause instead of spinning.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How long a stop waits for requests in flight before dropping their connections.
const DRAIN: Duration = Duration::from_secs(3);

/// Serves `app` on `listener` until `stop` fires (or its sender is dropped), then lets requests
/// in flight finish for at most [`DRAIN`].
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stop: oneshot::Receiver<()>,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let service = TowerToHyperService::new(app.clone());
                    let conn = builder.serve_connection(TokioIo::new(stream), service);
                    let watched = graceful.watch(conn);
                    tokio::spawn(async move {
                        if let Err(e) = watched.await {
                            tracing::debug!(error = %e, "a demo connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the demo server could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("the demo server stopped with requests still in flight");
    }
}
