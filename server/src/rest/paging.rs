//! Paging of list endpoints: `limit` and an opaque `cursor` in, `next` out.

use app::backend::objects::{self, MAX_PAGE};
use app::backend::store::ObjectRecord;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use base64::Engine as _;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::Page;
use super::error::ApiError;

const DEFAULT_LIMIT: i64 = 20;

/// Paging of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// How many items, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next` value of the previous page; any other value is refused with 400.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub cursor: Option<String>,
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: i64,
    /// Objects older than this id.
    pub before: Option<i64>,
}

fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("before:{id}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("before:")?.parse().ok()
}

impl Paging {
    /// Reads `limit` and `cursor`, with messages that say what to send instead.
    pub fn from_query(params: Result<Query<ListParams>, QueryRejection>) -> Result<Self, ApiError> {
        let Query(params) = params
            .map_err(|e| ApiError::bad_request("invalid_query", format!("The query string is malformed: {e}.")))?;
        let limit = match params.limit.as_deref() {
            None | Some("") => DEFAULT_LIMIT,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_limit",
                        format!("`limit` must be a whole number from 1 to {MAX_PAGE}."),
                    ));
                }
            },
        };
        let before = match params.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_cursor",
                    "`cursor` must be the `next` value of a previous page.",
                )
            })?),
        };
        Ok(Self { limit, before })
    }
}

impl<T: From<ObjectRecord>> From<objects::Page> for Page<T> {
    fn from(page: objects::Page) -> Self {
        let next = if page.more {
            page.items.last().map(|r| encode_cursor(r.id))
        } else {
            None
        };
        Self {
            data: page.items.into_iter().map(T::from).collect(),
            next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(
            decode_cursor(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("after:1")),
            None
        );
    }
}
