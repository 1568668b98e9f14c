//! The token's owner, their groups, and the token itself.

use app::backend::store::{Group, TokenRecord};
use app::backend::tokens::verify::Caller;
use app::domain::TokenAccess;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

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
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whole seconds until the token stops working; none for a token that never expires.
    pub expires_in_seconds: Option<i64>,
    /// The use before this request, as last recorded (uses are recorded within seconds).
    pub last_used_at: Option<DateTime<Utc>>,
    pub access: Access,
}

/// What the token may do: `read` (every read, `/me`, revoking itself) or `read_write` (also
/// create entities and observables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    ReadWrite,
}

impl From<TokenAccess> for Access {
    fn from(access: TokenAccess) -> Self {
        match access {
            TokenAccess::Read => Self::Read,
            TokenAccess::ReadWrite => Self::ReadWrite,
        }
    }
}

impl TokenRef {
    /// The token as seen at `now`.
    pub fn new(t: &TokenRecord, now: DateTime<Utc>) -> Self {
        Self {
            id: t.id.0,
            name: t.name.clone(),
            created_at: t.created_at,
            expires_in_seconds: t.expires_at.map(|at| (at - now).num_seconds().max(0)),
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            access: t.access.into(),
        }
    }
}

/// The owner of the token.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub groups: Vec<GroupRef>,
    /// The default source chosen in the profile, if it is still one of the user's groups.
    pub default_source: Option<GroupRef>,
    /// What objects created now with this token are attributed to: the token's own source
    /// while the owner is a member of it (else none: creations are refused), or for a token
    /// without one the default source, else the group joined first.
    pub effective_source: Option<GroupRef>,
    pub token: TokenRef,
}

impl Me {
    /// The caller as verified, at `now`: owner, sources and token, with no further database
    /// query.
    pub fn new(caller: Caller, now: DateTime<Utc>) -> Self {
        let effective_source = caller.source().ok().cloned().map(GroupRef::from);
        let sources = &caller.sources;
        Self {
            username: caller.user.username.clone(),
            display_name: caller.user.display_name.clone(),
            groups: sources.groups.iter().cloned().map(GroupRef::from).collect(),
            default_source: sources.default.clone().map(GroupRef::from),
            effective_source,
            token: TokenRef::new(&caller.token, now),
        }
    }
}
