//! Leptos server functions behind `/rpc`: their registration, the application state they get,
//! and an HTTP status for each error they answer.

use std::sync::Once;

use app::backend::AppState;
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};
use leptos::prelude::provide_context;

use crate::limits;
use crate::refusal::{Caller, Refusal};

/// Server functions are registered by hand: the linker may drop the automatic registration
/// when nothing else in the binary refers to them.
pub fn register_server_functions() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use leptos::server_fn::axum::register_explicit;
        register_explicit::<app::server_fns::session::CurrentUser>();
        register_explicit::<app::server_fns::session::SignIn>();
        register_explicit::<app::server_fns::session::SignOut>();
        register_explicit::<app::server_fns::profile::UpdateProfile>();
        register_explicit::<app::server_fns::profile::SetDefaultSource>();
        register_explicit::<app::server_fns::tokens::ListTokens>();
        register_explicit::<app::server_fns::tokens::CreateToken>();
        register_explicit::<app::server_fns::tokens::DeleteToken>();
        register_explicit::<app::server_fns::sessions::ListSessions>();
        register_explicit::<app::server_fns::sessions::SignOutSession>();
        register_explicit::<app::server_fns::sessions::SignOutOtherSessions>();
    });
}

/// Runs the server function a request names, with the application state in its context.
/// The body is read first, so one cut at the size limit (`crate::limits`) is answered 413
/// rather than as a failed server function.
pub async fn handle_rpc(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let refusal = if limits::is_length_limit(&error) {
                Refusal::new(
                    http::StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "The request is too large.",
                )
            } else {
                Refusal::new(
                    http::StatusCode::BAD_REQUEST,
                    "unreadable_body",
                    "The request could not be read.",
                )
            };
            return refusal.answer(Caller::ServerFunction);
        }
    };
    let req = Request::from_parts(parts, Body::from(body));
    let response = leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req)
        .await
        .into_response();
    with_error_status(response).await
}

/// Server functions answer every error with 500; this gives each `AppError` its own status
/// (and `Retry-After` when throttled), whether the function body or the argument decoding
/// failed.
async fn with_error_status(response: Response) -> Response {
    if response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(retry_after_secs) = error.retry_after_secs()
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
