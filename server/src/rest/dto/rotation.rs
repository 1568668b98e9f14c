//! Rotating the calling token: the request body and the answer.

use app::backend::tokens::Rotated;
use app::domain::INTERVALS;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

/// How long the replaced value keeps working after the rotation (the body carries it as
/// text, checked by [`Grace::parse`], so a wrong value gets a message naming the right ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum GraceParam {
    /// It stops at once.
    #[serde(rename = "0")]
    None,
    #[serde(rename = "1h")]
    OneHour,
    #[serde(rename = "24h")]
    OneDay,
    #[serde(rename = "7d")]
    SevenDays,
}

/// `expires_in_months`: one of the intervals the profile offers.
fn months_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .enum_values(Some(INTERVALS.iter().map(|n| Some(*n)).chain([None])))
        .description(Some(
            "How many months the new value lasts: 2, 6, 12 or 24. Absent: as long as the replaced value lasted \
             (never, for a token that never expired), at most 24 months.",
        ))
        .into()
}

/// Body of `POST /api/v1/tokens/current/rotate`; the body itself may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// How long the replaced value keeps working; `1h` when absent.
    #[schema(value_type = Option<GraceParam>)]
    pub grace: Option<String>,
    #[schema(schema_with = months_schema)]
    pub expires_in_months: Option<i64>,
}

/// The token's new value, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RotatedToken {
    pub id: i64,
    pub name: String,
    /// The new value: store it now, it is never shown again.
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// Until when the replaced value keeps working (the instant of the rotation for a grace
    /// of `0`).
    pub old_value_valid_until: DateTime<Utc>,
}

impl From<Rotated> for RotatedToken {
    fn from(r: Rotated) -> Self {
        Self {
            id: r.token.token.id.0,
            name: r.token.token.name,
            token: r.secret.expose().to_owned(),
            expires_at: r.token.token.expires_at,
            old_value_valid_until: r.old_value_until,
        }
    }
}
