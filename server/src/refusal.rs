//! Answers given before a request reaches its handler (wrong host, body too large, too slow),
//! each in the language of the caller: the REST API's JSON envelope under `/api`, the server
//! functions' `AppError` JSON under `/rpc`, and a line of plain text elsewhere.

use app::error::AppError;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};

use crate::rest::error::ApiError;

/// Who is asking, judged by the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    RestApi,
    ServerFunction,
    Other,
}

impl Caller {
    pub fn of(path: &str) -> Self {
        if path == "/api" || path.starts_with("/api/") {
            Self::RestApi
        } else if path.starts_with("/rpc/") {
            Self::ServerFunction
        } else {
            Self::Other
        }
    }
}

/// An answer refusing a request: a status, a stable code for the REST API and a sentence.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// The response for `caller`.
    pub fn answer(self, caller: Caller) -> Response {
        match caller {
            Caller::RestApi => ApiError::new(self.status, self.code, self.detail).into_response(),
            Caller::ServerFunction => {
                // The client shows an `AppError`'s message; pick the one that fits.
                let error = match self.status {
                    StatusCode::FORBIDDEN | StatusCode::MISDIRECTED_REQUEST => AppError::Forbidden,
                    status if status.is_client_error() => AppError::invalid("", self.detail),
                    _ => AppError::Internal,
                };
                let body = serde_json::to_string(&error).unwrap_or_default();
                (self.status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            }
            Caller::Other => (
                self.status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{}\n", self.detail),
            )
                .into_response(),
        }
    }
}
