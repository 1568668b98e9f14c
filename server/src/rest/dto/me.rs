//! The token's owner, their groups, and the token itself. `/me` answers every kind of
//! caller, so its answer borrows from the verified caller instead of copying it, and is
//! written by hand (`to_json`) into the same bytes serde_json writes for it.

use std::borrow::Cow;

use app::backend::store::{Group, TokenRecord};
use app::backend::tokens::verify::Caller;
use app::domain::TokenAccess;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::json::JsonText;

/// A user group; objects are attributed to one as their source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupRef<'a> {
    pub id: i64,
    #[schema(value_type = String)]
    pub name: Cow<'a, str>,
}

impl GroupRef<'_> {
    fn write(&self, out: &mut JsonText) {
        out.raw(r#"{"id":"#);
        out.int(self.id);
        out.raw(r#","name":"#);
        out.string(&self.name);
        out.raw("}");
    }

    fn write_optional(group: Option<&Self>, out: &mut JsonText) {
        match group {
            Some(group) => group.write(out),
            None => out.raw("null"),
        }
    }
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

    fn write(&self, out: &mut JsonText) {
        out.raw(r#"{"id":"#);
        out.int(self.id);
        out.raw(r#","name":"#);
        out.string(self.name);
        out.raw(r#","created_at":"#);
        out.instant(&self.created_at);
        out.raw(r#","expires_at":"#);
        out.optional_instant(self.expires_at.as_ref());
        out.raw(r#","expires_in_seconds":"#);
        match self.expires_in_seconds {
            Some(seconds) => out.int(seconds),
            None => out.raw("null"),
        }
        out.raw(r#","last_used_at":"#);
        out.optional_instant(self.last_used_at.as_ref());
        out.raw(match self.access {
            Access::Read => r#","access":"read"}"#,
            Access::ReadWrite => r#","access":"read_write"}"#,
        });
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

    /// The answer as JSON: the bytes serde_json writes for it, for fewer instructions.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = JsonText::with_capacity(512);
        out.raw(r#"{"username":"#);
        out.string(self.username);
        out.raw(r#","display_name":"#);
        out.string(self.display_name);
        out.raw(r#","groups":["#);
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                out.raw(",");
            }
            group.write(&mut out);
        }
        out.raw(r#"],"default_source":"#);
        GroupRef::write_optional(self.default_source.as_ref(), &mut out);
        out.raw(r#","effective_source":"#);
        GroupRef::write_optional(self.effective_source.as_ref(), &mut out);
        out.raw(r#","token":"#);
        self.token.write(&mut out);
        out.raw("}");
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        (
            -62_167_219_200_i64..253_402_300_800,
            prop_oneof![Just(0_u32), 0_u32..1_000_000_000],
        )
            .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).expect("in range"))
    }

    fn group() -> impl Strategy<Value = (i64, String)> {
        (any::<i64>(), any::<String>())
    }

    proptest! {
        #[test]
        fn the_answer_is_what_serde_json_writes(
            username in any::<String>(),
            // What needs escaping, often: quotes, backslashes, control characters.
            display_name in r#"[a-z "\\\x00-\x1f\x7fé🔑]{0,20}"#,
            groups in prop::collection::vec(group(), 0..4),
            default_source in prop::option::of(group()),
            effective_source in prop::option::of(group()),
            token_id in any::<i64>(),
            token_name in any::<String>(),
            created_at in instant(),
            expires_at in prop::option::of(instant()),
            expires_in_seconds in prop::option::of(any::<i64>()),
            last_used_at in prop::option::of(instant()),
            read_write in any::<bool>(),
        ) {
            let group_ref = |(id, name): &(i64, String)| GroupRef { id: *id, name: Cow::Owned(name.clone()) };
            let me = Me {
                username: &username,
                display_name: &display_name,
                groups: groups.iter().map(group_ref).collect(),
                default_source: default_source.as_ref().map(group_ref),
                effective_source: effective_source.as_ref().map(group_ref),
                token: TokenRef {
                    id: token_id,
                    name: &token_name,
                    created_at,
                    expires_at,
                    expires_in_seconds,
                    last_used_at,
                    access: if read_write { Access::ReadWrite } else { Access::Read },
                },
            };
            let ours = String::from_utf8(me.to_json()).expect("utf-8");
            prop_assert_eq!(ours, serde_json::to_string(&me).expect("serializes"));
        }
    }
}
