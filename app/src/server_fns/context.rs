//! Glue between server functions and the backend: state from context, the request's
//! session and client address, and HTTP status for errors.

use std::net::{IpAddr, Ipv4Addr};

use axum::Extension;
use tower_sessions::Session;

use crate::backend::{AppState, ClientAddr};
use crate::error::AppError;

/// Logs an unexpected failure with its whole chain and hides it from the client.
pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
    let error = error.into();
    tracing::error!(error = format!("{error:#}"), "internal error in a server function");
    AppError::Internal
}

/// The application state the server provided to server functions.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| internal(anyhow::anyhow!("AppState was not provided to server functions")))
}

/// This request's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| internal(anyhow::anyhow!("no session layer: {e}")))
}

/// This request's client address (unspecified when the server could not tell).
pub async fn client_addr() -> IpAddr {
    leptos_axum::extract::<Extension<ClientAddr>>()
        .await
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(ClientAddr(ip))| ip)
}
