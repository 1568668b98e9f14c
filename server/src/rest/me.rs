//! `GET /api/v1/me`: the token's owner and the token itself.

use app::backend::AppState;
use app::backend::sources::sources_of;
use app::backend::store::Group;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::bearer::ApiCaller;
use super::error::{ApiError, ErrorEnvelope};

/// A user group; objects are attributed to one as their source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

impl From<Group> for GroupRef {
    fn from(g: Group) -> Self {
        Self {
            id: g.id.0,
            name: g.name,
        }
    }
}

/// The token making the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenRef {
    pub id: i64,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The owner of the token.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub groups: Vec<GroupRef>,
    /// The default source chosen in the profile, if it is still one of the user's groups.
    pub default_source: Option<GroupRef>,
    /// What objects created now are attributed to: the default source, else the group joined first.
    pub effective_source: Option<GroupRef>,
    pub token: TokenRef,
}

/// Who the token belongs to, their groups and sources.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's owner", body = Me),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn get_me(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> Result<Json<Me>, ApiError> {
    let sources = sources_of(&state, &caller.user).await.map_err(ApiError::internal)?;
    Ok(Json(Me {
        username: caller.user.username,
        display_name: caller.user.display_name,
        groups: sources.groups.into_iter().map(GroupRef::from).collect(),
        default_source: sources.default.map(GroupRef::from),
        effective_source: sources.effective.map(GroupRef::from),
        token: TokenRef {
            id: caller.token.id.0,
            name: caller.token.name,
            expires_at: caller.token.expires_at,
        },
    }))
}
