//! The token's owner, their groups, and the token itself. `/me` answers every kind of
//! caller, so its answer borrows from the verified caller instead of copying it.

use std::borrow::Cow;

use app::backend::store::{Group, TokenRecord};
use app::backend::tokens::verify::Caller;
use app::domain::TokenAccess;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A user group; objects are attributed to one as their source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupRef<'a> {
    pub id: i64,
    #[schema(value_type = String)]
    pub name: Cow<'a, str>,
}

impl<'a> From<&'a Group> for GroupRef<'a> {
    fn from(g: &'a Group) -> Self {
        Self {
            id: g.id.0,
            name: Cow::Borrowed(&g.name),
        }
    }
}

/// The token making the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenRef<'a> {
    pub id: i64,
    pub name: &'a str,
    #[serde(serialize_with = "super::rfc3339::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "super::rfc3339::optional")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Whole seconds until the token stops working; none for a token that never expires.
    pub expires_in_seconds: Option<i64>,
    /// The use before this request, as last recorded (uses are recorded within seconds).
    #[serde(serialize_with = "super::rfc3339::optional")]
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

impl<'a> TokenRef<'a> {
    /// The token as seen at `now`.
    pub fn new(t: &'a TokenRecord, now: DateTime<Utc>) -> Self {
        Self {
            id: t.id.0,
            name: &t.name,
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
pub struct Me<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub groups: Vec<GroupRef<'a>>,
    /// The default source chosen in the profile, if it is still one of the user's groups.
    pub default_source: Option<GroupRef<'a>>,
    /// What objects created now with this token are attributed to: the token's own source
    /// while the owner is a member of it (else none: creations are refused), or for a token
    /// without one the default source, else the group joined first.
    pub effective_source: Option<GroupRef<'a>>,
    pub token: TokenRef<'a>,
}

impl<'a> Me<'a> {
    /// The caller as verified, at `now`: owner, sources and token, with no further database
    /// query.
    pub fn new(caller: &'a Caller, now: DateTime<Utc>) -> Self {
        let sources = &caller.sources;
        Self {
            username: &caller.user.username,
            display_name: &caller.user.display_name,
            groups: sources.groups.iter().map(GroupRef::from).collect(),
            default_source: sources.default.as_ref().map(GroupRef::from),
            effective_source: caller.source().ok().map(GroupRef::from),
            token: TokenRef::new(&caller.token, now),
        }
    }
}
