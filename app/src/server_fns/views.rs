//! What server functions send to the browser, and (with `ssr`) how each is made from the
//! backend's records.

use serde::{Deserialize, Serialize};

/// The signed-in user as the client shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The user's groups, in the order they joined them.
    pub groups: Vec<GroupView>,
    /// The group chosen as default source, if any.
    pub default_source: Option<GroupView>,
    /// What objects created with the user's tokens are attributed to now: the default source,
    /// else the group joined first, else none.
    pub effective_source: Option<GroupView>,
    /// How many unexpired, unrevoked API tokens the user has.
    pub active_tokens: u32,
    /// Working tokens that expire within the urgent warning threshold, soonest first.
    pub expiring_tokens: Vec<ExpiringToken>,
    /// Tokens recently revoked because they were found exposed, newest first, until the user
    /// dismisses each notice.
    pub exposed_tokens: Vec<ExposedTokenView>,
    /// What the administrator allows for new token values; the dialogs offer only that.
    pub token_policy: crate::domain::TokenPolicy,
    /// Whether the user is an administrator (the avatar menu offers Administration).
    pub is_admin: bool,
}

/// A token of the user revoked because it was found exposed in public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposedTokenView {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub revoked_at: chrono::DateTime<chrono::Utc>,
}

/// What "Which token is this?" found. Nothing here tells whether someone else's token is
/// valid, or whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenCheckView {
    /// One of your working tokens; `old_value_until` when the value checked is the one its
    /// last rotation replaced, working until then.
    Yours {
        token: Box<TokenView>,
        #[cfg_attr(
            feature = "csr",
            serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
        )]
        old_value_until: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// One of your tokens that no longer works.
    YoursInactive { name: String, why: InactiveView },
    /// Not one of your tokens (someone else's, or none at all).
    NotYours,
}

/// Why a token of yours no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InactiveView {
    Expired(
        #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
        chrono::DateTime<chrono::Utc>,
    ),
    Deleted(
        #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
        chrono::DateTime<chrono::Utc>,
    ),
    /// A value replaced by a rotation, after its grace period.
    Replaced,
}

/// A token that stops working soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringToken {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Whole days left when the list was made (0 on the last day).
    pub days_left: i64,
}

/// A user group (a source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
}

/// An API token as listed: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The client address and user agent of the last use.
    pub last_used_ip: Option<String>,
    pub last_used_agent: Option<String>,
    /// How many entities and observables requests with this token created.
    pub entities: i64,
    pub observables: i64,
    /// What the token may do.
    pub access: crate::domain::TokenAccess,
    pub description: Option<String>,
    /// The value's last four characters, when the token was made with them kept.
    pub hint: Option<String>,
    /// The token's own source; none: the owner's profile default applies.
    pub source: Option<GroupView>,
    /// Whether the owner still belongs to the token's own source (true without one).
    pub source_available: bool,
    /// How near its expiry is, by the server's clock when the list was made.
    pub expiry_level: Option<crate::domain::ExpiryLevel>,
    /// Whether the token had expired when the list was made (by the server's clock).
    pub expired: bool,
    /// Until when the value the last rotation replaced keeps working, while it still does.
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub old_value_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Requests per day over the last 30 days (days without any left out), oldest first; only
    /// in the list.
    pub usage: Vec<DayUsage>,
}

/// A token's requests on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayUsage {
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::day"))]
    pub day: chrono::NaiveDate,
    pub requests: i64,
    pub refused: i64,
}

/// The answer to creating a token: the only time its value is ever sent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenView,
    /// The token in plain text, shown once.
    pub secret: String,
    /// After a rotation: until when the replaced value keeps working (the instant of the
    /// rotation when it stopped at once). None for a new token.
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub old_value_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .field("old_value_until", &self.old_value_until)
            .finish()
    }
}

/// One of the signed-in user's browser sessions, as the Sessions list shows it. `None` reads
/// as "unknown".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Names the session to `sign_out_session`. Not its id, nor anything a cookie can be made
    /// from, and it names nothing outside the user's own sessions.
    pub handle: String,
    /// Whether it is the session the list was asked from.
    pub current: bool,
    /// When the user signed in.
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The latest request recorded (at most about a minute behind).
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub last_seen_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The client address of that request.
    pub address: Option<String>,
    /// Its user agent, as the browser sent it (cleaned and bounded).
    pub user_agent: Option<String>,
}

/// A user as the admin area lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserView {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Group names, in the order the user joined them.
    pub groups: Vec<String>,
    pub active_tokens: u32,
    #[cfg_attr(
        feature = "csr",
        serde(default, deserialize_with = "crate::server_fns::wire_time::optional_instant")
    )]
    pub last_signed_in_at: Option<chrono::DateTime<chrono::Utc>>,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// False once deactivated.
    pub active: bool,
    pub admin: bool,
}

/// A page of the admin Users list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUsersView {
    pub users: Vec<AdminUserView>,
    /// The page shown, from 1.
    pub page: u32,
    /// How many users match the search.
    pub total: u32,
    pub page_size: u32,
    /// What the server allows for new token values (`--max-token-lifetime-months`,
    /// `--require-token-expiry`).
    pub token_policy: crate::domain::TokenPolicy,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub now: chrono::DateTime<chrono::Utc>,
}

/// One user's admin page: the account, their groups (and every group to add them to), and
/// their tokens (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserDetailView {
    pub user: AdminUserView,
    pub groups: Vec<GroupView>,
    pub all_groups: Vec<GroupView>,
    pub tokens: Vec<TokenView>,
    /// Whether this is the administrator looking at it.
    pub is_you: bool,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub now: chrono::DateTime<chrono::Utc>,
}

/// A group with its members' usernames, for the admin Groups page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGroupView {
    pub id: i64,
    pub name: String,
    pub members: Vec<String>,
}

/// A user an administrator created, with the generated password: the only time it is sent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUserView {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for CreatedUserView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedUserView")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[cfg(feature = "ssr")]
mod from_backend {
    //! Views made from the backend's records.

    use chrono::{DateTime, Utc};

    use super::{
        AdminGroupView, AdminUserView, ExpiringToken, ExposedTokenView, GroupView, SessionView, TokenView, UserView,
    };
    use crate::backend::accounts::Profile;
    use crate::backend::store::{GroupWithMembers, UserSummary};

    impl From<UserSummary> for AdminUserView {
        fn from(s: UserSummary) -> Self {
            Self {
                active: s.user.is_active(),
                admin: s.user.admin_since.is_some(),
                username: s.user.username,
                display_name: s.user.display_name,
                email: s.user.email,
                groups: s.groups,
                active_tokens: u32::try_from(s.active_tokens).unwrap_or(u32::MAX),
                last_signed_in_at: s.last_signed_in_at,
                created_at: s.user.created_at,
            }
        }
    }

    impl From<GroupWithMembers> for AdminGroupView {
        fn from(g: GroupWithMembers) -> Self {
            Self {
                id: g.group.id.0,
                name: g.group.name,
                members: g.members,
            }
        }
    }
    use crate::backend::sessions::listing::ActiveSession;
    use crate::backend::store::{Group, TokenWithCounts};
    use crate::domain::ExpiryWarning;

    impl From<Group> for GroupView {
        fn from(g: Group) -> Self {
            Self {
                id: g.id.0,
                name: g.name,
            }
        }
    }

    impl From<ActiveSession> for SessionView {
        fn from(s: ActiveSession) -> Self {
            Self {
                handle: s.handle,
                current: s.current,
                started_at: s.started_at,
                last_seen_at: s.last_seen_at,
                address: s.client_addr,
                user_agent: s.user_agent,
            }
        }
    }

    impl From<Profile> for UserView {
        fn from(p: Profile) -> Self {
            Self {
                is_admin: p.user.is_admin(),
                username: p.user.username,
                display_name: p.user.display_name,
                email: p.user.email,
                groups: p.sources.groups.into_iter().map(GroupView::from).collect(),
                default_source: p.sources.default.map(GroupView::from),
                effective_source: p.sources.effective.map(GroupView::from),
                active_tokens: u32::try_from(p.active_tokens).unwrap_or(u32::MAX),
                expiring_tokens: p
                    .expiring
                    .into_iter()
                    .filter_map(|t| {
                        let expires_at = t.expires_at?;
                        Some(ExpiringToken {
                            id: t.id.0,
                            name: t.name,
                            expires_at,
                            days_left: (expires_at - p.now).num_days(),
                        })
                    })
                    .collect(),
                exposed_tokens: p
                    .exposed
                    .into_iter()
                    .map(|t| ExposedTokenView {
                        id: t.id.0,
                        name: t.name,
                        revoked_at: t.revoked_at,
                    })
                    .collect(),
                token_policy: p.token_policy,
            }
        }
    }

    impl TokenView {
        /// A listed token at `now` (which decides whether it has expired), with what it
        /// created and its own source.
        pub fn listed(listed: TokenWithCounts, now: DateTime<Utc>, warning: ExpiryWarning) -> Self {
            let t = listed.token;
            let source = t
                .source_group_id
                .zip(listed.source_name)
                .map(|(id, name)| GroupView { id: id.0, name });
            Self {
                expiry_level: t.expires_at.and_then(|at| warning.level(at, now)),
                source_available: t.source_group_id.is_none() || listed.source_members > 0,
                source,
                id: t.id.0,
                expired: t.expires_at.is_some_and(|e| e <= now),
                old_value_until: t.old_value_until(now),
                usage: Vec::new(),
                name: t.name,
                created_at: t.created_at,
                expires_at: t.expires_at,
                last_used_at: t.last_used_at,
                last_used_ip: t.last_used_ip,
                last_used_agent: t.last_used_agent,
                entities: listed.entities,
                observables: listed.observables,
                access: t.access,
                description: t.description,
                hint: t.hint,
            }
        }
    }
}
