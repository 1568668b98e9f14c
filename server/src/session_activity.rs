//! "Last seen" of browser sessions: after a server function has answered, the signed-in
//! session notes the request: when, the client's address and its user agent. Notes are
//! coalesced to one a minute per session (see `app::backend::sessions::activity`), and it is
//! only a changed note that makes tower-sessions write the session.

use app::backend::sessions::activity;
use app::backend::{AppState, ClientAddr};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header;
use tower_sessions::Session;

/// Notes the request in its session, inside the session layer (so a note is saved with the
/// session) and after the handler (so sign-in's new session is noted, and a session that
/// was signed out or ended stays untouched).
pub async fn record_session_activity(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    let addr = req.extensions().get::<ClientAddr>().map(|ClientAddr(ip)| *ip);
    let agent = req.headers().get(header::USER_AGENT).map(|v| v.as_bytes().to_vec());
    let response = next.run(req).await;
    if let Some(session) = session
        && !response.status().is_server_error()
        && let Err(error) = activity::record(&session, state.clock.now(), addr, agent.as_deref()).await
    {
        error.log_if_internal("session activity");
    }
    response
}
