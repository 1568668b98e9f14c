//! The security log: what happened to an account and its tokens, when, and from where.
//! Operations call `record` (it logs a failure and never fails the operation); the owner
//! reads their events with `list`, an administrator exports them with `audit`.
//!
//! Never a secret: events hold fixed words, ids, the client's address and user agent, and a
//! short detail written here — no token value, digest, password or session id. A failed
//! sign-in of a name that is no account keeps the name tried, only when it has a username's
//! shape (so a password typed into the username field is not kept).
//!
//! Refused requests and uses from a new address come from scripts, which may repeat them
//! many times a minute: at most `NOISY_PER_MINUTE` of them are logged per token per minute
//! on each instance, and the next one logged says how many were left out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};

use super::rate::RateLimiter;
use super::store::{LoggedToken, NewSecurityEvent, SecurityEventRecord, TokenEdit, TokenId, TokenRecord, User, UserId};
use super::tokens::verify::{Caller, Presented};
use super::{AppState, Result};
use crate::domain::Username;

/// Events on one page of a user's log.
pub const PAGE_SIZE: i64 = 50;
/// Refused requests and new addresses logged per token per minute, on each instance.
pub const NOISY_PER_MINUTE: u32 = 10;
/// The longest user agent kept.
pub const MAX_AGENT: usize = 256;
/// The longest name kept for a failed sign-in of a name that is no account.
pub const MAX_USERNAME: usize = 64;
/// The longest detail kept.
pub const MAX_DETAIL: usize = 500;
/// Addresses remembered per token, to tell a new one from one seen lately.
const REMEMBERED_ADDRESSES: usize = 8;
/// Past this many tokens, the remembered addresses are forgotten (memory stays bounded).
const REMEMBERED_TOKENS: usize = 10_000;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    SignInSucceeded,
    SignInFailed,
    SignInThrottled,
    SignedOut,
    PasswordChanged,
    AccountDeactivated,
    TokenCreated,
    TokenEdited,
    TokenRotated,
    TokenDeleted,
    /// A value replaced by a rotation asked to rotate again: the token was revoked.
    TokenRevokedReuse,
    /// Reported as leaked (by a secret scanner or a person): the token was revoked.
    TokenRevokedExposed,
    TokenRefusedExpired,
    TokenRefusedRevoked,
    TokenRefusedScope,
    TokenRefusedSource,
    /// A token used from an address it was not used from lately.
    TokenNewAddress,
    AccountCreated,
    AccountReactivated,
    AdminGranted,
    AdminRevoked,
    /// The user was added to a group (the detail names it).
    GroupJoined,
    /// The user was taken out of a group.
    GroupLeft,
    /// An administrator created a group (an event of the administrator's).
    GroupCreated,
    /// An administrator renamed a group (an event of the administrator's).
    GroupRenamed,
    /// The password was entered again before a sensitive action ("sudo mode").
    PasswordConfirmed,
    /// A wrong password was entered when one was asked for again.
    PasswordConfirmationFailed,
}

impl EventKind {
    /// Every kind, in the order the migration lists them.
    pub const ALL: [Self; 27] = [
        Self::SignInSucceeded,
        Self::SignInFailed,
        Self::SignInThrottled,
        Self::SignedOut,
        Self::PasswordChanged,
        Self::AccountDeactivated,
        Self::TokenCreated,
        Self::TokenEdited,
        Self::TokenRotated,
        Self::TokenDeleted,
        Self::TokenRevokedReuse,
        Self::TokenRevokedExposed,
        Self::TokenRefusedExpired,
        Self::TokenRefusedRevoked,
        Self::TokenRefusedScope,
        Self::TokenRefusedSource,
        Self::TokenNewAddress,
        Self::AccountCreated,
        Self::AccountReactivated,
        Self::AdminGranted,
        Self::AdminRevoked,
        Self::GroupJoined,
        Self::GroupLeft,
        Self::GroupCreated,
        Self::GroupRenamed,
        Self::PasswordConfirmed,
        Self::PasswordConfirmationFailed,
    ];

    /// The stored name, also the `kind` of `tessera audit`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignInSucceeded => "sign_in_succeeded",
            Self::SignInFailed => "sign_in_failed",
            Self::SignInThrottled => "sign_in_throttled",
            Self::SignedOut => "signed_out",
            Self::PasswordChanged => "password_changed",
            Self::AccountDeactivated => "account_deactivated",
            Self::TokenCreated => "token_created",
            Self::TokenEdited => "token_edited",
            Self::TokenRotated => "token_rotated",
            Self::TokenDeleted => "token_deleted",
            Self::TokenRevokedReuse => "token_revoked_reuse",
            Self::TokenRevokedExposed => "token_revoked_exposed",
            Self::TokenRefusedExpired => "token_refused_expired",
            Self::TokenRefusedRevoked => "token_refused_revoked",
            Self::TokenRefusedScope => "token_refused_scope",
            Self::TokenRefusedSource => "token_refused_source",
            Self::TokenNewAddress => "token_new_address",
            Self::AccountCreated => "account_created",
            Self::AccountReactivated => "account_reactivated",
            Self::AdminGranted => "admin_granted",
            Self::AdminRevoked => "admin_revoked",
            Self::GroupJoined => "group_joined",
            Self::GroupLeft => "group_left",
            Self::GroupCreated => "group_created",
            Self::GroupRenamed => "group_renamed",
            Self::PasswordConfirmed => "password_confirmed",
            Self::PasswordConfirmationFailed => "password_confirmation_failed",
        }
    }

    /// The kind stored under `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The event in words, as its owner reads it.
    pub fn words(self) -> &'static str {
        match self {
            Self::SignInSucceeded => "Signed in",
            Self::SignInFailed => "Sign-in failed",
            Self::SignInThrottled => "Sign-in refused: too many attempts",
            Self::SignedOut => "Signed out",
            Self::PasswordChanged => "Password changed",
            Self::AccountDeactivated => "Account deactivated",
            Self::TokenCreated => "Token created",
            Self::TokenEdited => "Token edited",
            Self::TokenRotated => "Token rotated",
            Self::TokenDeleted => "Token deleted",
            Self::TokenRevokedReuse => "Token revoked: a replaced value asked to rotate",
            Self::TokenRevokedExposed => "Token revoked: reported as exposed",
            Self::TokenRefusedExpired => "Request refused: the token has expired",
            Self::TokenRefusedRevoked => "Request refused: the token is revoked",
            Self::TokenRefusedScope => "Request refused: the token may only read",
            Self::TokenRefusedSource => "Request refused: no source to attribute to",
            Self::TokenNewAddress => "Token used from a new address",
            Self::AccountCreated => "Account created",
            Self::AccountReactivated => "Account reactivated",
            Self::AdminGranted => "Made an administrator",
            Self::AdminRevoked => "No longer an administrator",
            Self::GroupJoined => "Added to a group",
            Self::GroupLeft => "Removed from a group",
            Self::GroupCreated => "Group created",
            Self::GroupRenamed => "Group renamed",
            Self::PasswordConfirmed => "Password confirmed for a sensitive action",
            Self::PasswordConfirmationFailed => "Password confirmation failed",
        }
    }
}

/// Where a request came from: the client's address (none when unknown) and its user agent
/// (control characters removed, at most `MAX_AGENT` characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    addr: Option<IpAddr>,
    agent: Option<String>,
}

impl Origin {
    /// The origin of a request with this address and `User-Agent` header.
    pub fn new(addr: Option<IpAddr>, agent: Option<&[u8]>) -> Self {
        Self {
            addr: addr.filter(|a| !a.is_unspecified()),
            agent: agent.map(clean_agent).filter(|a| !a.is_empty()),
        }
    }

    /// No request: an administrator's command.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn addr(&self) -> Option<IpAddr> {
        self.addr
    }

    /// The address, or the unspecified address when unknown (one throttle bucket for all).
    pub fn ip(&self) -> IpAddr {
        self.addr.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    pub fn agent(&self) -> Option<&str> {
        self.agent.as_deref()
    }
}

/// A `User-Agent` header as stored: no token, no control character, trimmed, at most
/// `MAX_AGENT` characters. Nearly every agent is short printable ASCII already, and is then
/// copied once as it is: this runs on every request made with a token.
fn clean_agent(agent: &[u8]) -> String {
    let already_clean = agent.len() <= MAX_AGENT
        && agent.iter().all(|b| (b' '..=b'~').contains(b))
        && agent.first().is_none_or(|&b| b != b' ')
        && agent.last().is_none_or(|&b| b != b' ')
        && !agent
            .windows(crate::domain::token_format::PREFIX.len())
            .any(|w| w == crate::domain::token_format::PREFIX.as_bytes());
    match already_clean.then(|| std::str::from_utf8(agent).ok()).flatten() {
        Some(text) => text.to_owned(),
        None => clean(&without_tokens(&String::from_utf8_lossy(agent)), MAX_AGENT),
    }
}

/// `text` with anything shaped like a token (its prefix and what follows it) replaced, so a
/// script that puts its token in its user agent does not get it stored.
fn without_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(crate::domain::token_format::PREFIX) {
        out.push_str(&rest[..at]);
        out.push_str("[token removed]");
        let after = &rest[at + crate::domain::token_format::PREFIX.len()..];
        let end = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// `text` without control characters, trimmed, at most `max` characters.
fn clean(text: &str, max: usize) -> String {
    let kept: String = text.chars().filter(|c| !c.is_control()).collect();
    kept.trim().chars().take(max).collect()
}

/// One event to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub kind: EventKind,
    pub user: Option<UserId>,
    /// For a failed sign-in of a name that is no account: the name tried.
    pub username: Option<&'a str>,
    pub token: Option<TokenId>,
    pub origin: &'a Origin,
    pub detail: Option<String>,
    /// The administrator who did it, when it was not the user themself.
    pub actor: Option<UserId>,
}

impl<'a> Event<'a> {
    /// `kind` happened to `user`'s account, from `origin`.
    pub fn of(kind: EventKind, user: UserId, origin: &'a Origin) -> Self {
        Self {
            kind,
            user: Some(user),
            username: None,
            token: None,
            origin,
            detail: None,
            actor: None,
        }
    }

    /// ... done by the administrator `actor` (none: a `tessera` command or the user).
    #[must_use]
    pub fn by(self, actor: Option<UserId>) -> Self {
        Self { actor, ..self }
    }

    /// ... about the token `id`.
    #[must_use]
    pub fn token(self, id: TokenId) -> Self {
        Self {
            token: Some(id),
            ..self
        }
    }

    /// ... with a short explanation.
    #[must_use]
    pub fn detail(self, detail: impl Into<String>) -> Self {
        Self {
            detail: Some(detail.into()),
            ..self
        }
    }
}

/// Appends `event` to the log. A failure is logged and otherwise ignored: the action the
/// event is about has happened (or been refused) either way.
pub async fn record(state: &AppState, event: Event<'_>) {
    let username = event.username.map(|n| clean(n, MAX_USERNAME));
    if event.user.is_none() && username.as_deref().is_none_or(str::is_empty) {
        tracing::error!(
            kind = event.kind.as_str(),
            "a security event without a user was not recorded"
        );
        return;
    }
    let addr = event.origin.addr.map(|a| a.to_string());
    let detail = event.detail.as_deref().map(|d| clean(d, MAX_DETAIL));
    let new = NewSecurityEvent {
        at: state.clock.now(),
        kind: event.kind.as_str(),
        user: event.user,
        username: username.as_deref(),
        token: event.token,
        client_addr: addr.as_deref(),
        user_agent: event.origin.agent(),
        detail: detail.as_deref(),
        actor: event.actor,
    };
    if let Err(error) = state.store.insert_security_event(&new).await {
        tracing::error!(
            kind = event.kind.as_str(),
            user_id = event.user.map(|u| u.0),
            token_id = event.token.map(|t| t.0),
            error = %anyhow::Error::from(error),
            "could not record a security event"
        );
    }
}

/// Why a request with a known token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The token expired at this instant.
    Expired(DateTime<Utc>),
    /// A value replaced by a rotation, whose grace ended at this instant.
    ReplacedValueEnded(DateTime<Utc>),
    Revoked,
    /// The owner's account is deactivated.
    OwnerDeactivated,
    /// A read-only token asked to write.
    Scope,
    /// The token's own source is a group its owner has left.
    SourceLeft(String),
    /// The owner belongs to no group.
    NoGroup,
}

impl Refusal {
    /// Why `caller`, which does not work at `now`, was refused.
    pub fn of_unusable(caller: &Caller, now: DateTime<Utc>) -> Self {
        if caller.token.revoked_at.is_some() {
            Self::Revoked
        } else if !caller.user.is_active() {
            Self::OwnerDeactivated
        } else {
            match caller.presented {
                Presented::Previous { until, .. } => Self::ReplacedValueEnded(until),
                Presented::Current => Self::Expired(caller.token.expires_at.unwrap_or(now)),
            }
        }
    }

    fn kind(&self) -> EventKind {
        match self {
            Self::Expired(_) | Self::ReplacedValueEnded(_) => EventKind::TokenRefusedExpired,
            Self::Revoked | Self::OwnerDeactivated => EventKind::TokenRefusedRevoked,
            Self::Scope => EventKind::TokenRefusedScope,
            Self::SourceLeft(_) | Self::NoGroup => EventKind::TokenRefusedSource,
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Expired(at) => format!("expired {}", rfc3339(*at)),
            Self::ReplacedValueEnded(at) => {
                format!("a value replaced by a rotation, which stopped working {}", rfc3339(*at))
            }
            Self::Revoked => "the token is revoked".to_owned(),
            Self::OwnerDeactivated => "the account is deactivated".to_owned(),
            Self::Scope => "a read-only token asked to write".to_owned(),
            Self::SourceLeft(group) => format!("the token's source \"{group}\" is a group you have left"),
            Self::NoGroup => "you belong to no group".to_owned(),
        }
    }
}

/// An instant as the log's details write it.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A new token's expiry, as its creation's detail says it.
pub fn expiry_words(expires_at: Option<DateTime<Utc>>) -> String {
    expires_at.map_or_else(|| "never expires".to_owned(), |at| format!("expires {}", rfc3339(at)))
}

/// What an edit changed, as its detail says it.
pub fn edit_words(before: &TokenRecord, edit: &TokenEdit<'_>) -> String {
    let mut changed = Vec::new();
    if before.name != edit.name.as_str() {
        changed.push(format!("renamed from \"{}\"", before.name));
    }
    if before.description.as_deref() != edit.description.map(crate::domain::TokenDescription::as_str) {
        changed.push("description changed".to_owned());
    }
    if before.source_group_id != edit.source {
        changed.push("source changed".to_owned());
    }
    if changed.is_empty() {
        "nothing changed".to_owned()
    } else {
        changed.join("; ")
    }
}

/// Until when a rotation's replaced value works, as its detail says it.
pub fn rotation_words(now: DateTime<Utc>, old_value_until: DateTime<Utc>) -> String {
    if old_value_until <= now {
        "the old value stopped working at once".to_owned()
    } else {
        format!("the old value works until {}", rfc3339(old_value_until))
    }
}

/// Per token, on this instance: how many noisy events were logged lately (the cap), how many
/// were left out since the last one logged, and the addresses it was used from lately.
pub struct TokenWatch {
    noisy: RateLimiter<TokenId>,
    state: Mutex<WatchState>,
}

#[derive(Default)]
struct WatchState {
    skipped: HashMap<TokenId, u64>,
    addresses: HashMap<TokenId, Vec<IpAddr>>,
}

impl Default for TokenWatch {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenWatch {
    pub fn new() -> Self {
        Self {
            noisy: RateLimiter::per_minute(NOISY_PER_MINUTE),
            state: Mutex::default(),
        }
    }

    /// Whether a noisy event of `token` may be logged at `now`: `Some(left out before it)`,
    /// or `None` (counted as left out).
    fn admit(&self, token: TokenId, now: DateTime<Utc>) -> Option<u64> {
        let allowed = self.noisy.take(token, now).is_ok();
        let mut state = self.lock();
        if allowed {
            Some(state.skipped.remove(&token).unwrap_or(0))
        } else {
            if state.skipped.len() >= REMEMBERED_TOKENS && !state.skipped.contains_key(&token) {
                state.skipped.clear();
            }
            *state.skipped.entry(token).or_default() += 1;
            None
        }
    }

    /// Notes that `token` was used from `addr`: `Some(previous address)` when the address is
    /// not one it was used from lately (`Some(None)`: no use was ever recorded).
    fn new_address(&self, token: &TokenRecord, addr: IpAddr) -> Option<Option<String>> {
        let mut state = self.lock();
        if state.addresses.len() >= REMEMBERED_TOKENS && !state.addresses.contains_key(&token.id) {
            state.addresses.clear();
        }
        let seen = state.addresses.entry(token.id).or_default();
        if seen.contains(&addr) {
            return None;
        }
        let previous = seen.last().map(ToString::to_string);
        let first_here = seen.is_empty();
        if seen.len() >= REMEMBERED_ADDRESSES {
            seen.remove(0);
        }
        seen.push(addr);
        // The first use on this instance: compare with the last use the database recorded.
        let recorded = token.last_used_ip.clone();
        if first_here && recorded.as_deref() == Some(addr.to_string().as_str()) {
            return None;
        }
        Some(previous.or(recorded))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A noisy event, unless its token is over the cap; says how many were left out before it.
async fn record_noisy(state: &AppState, event: Event<'_>, token: TokenId) {
    let Some(skipped) = state.token_watch.admit(token, state.clock.now()) else {
        return;
    };
    let event = match skipped {
        0 => event,
        n => {
            let detail = event.detail.clone().unwrap_or_default();
            event.detail(format!(
                "{detail} ({n} more refused requests or new addresses of this token were not logged)"
            ))
        }
    };
    record(state, event).await;
}

/// A request with the known token `token` (owned by `owner`) was refused.
pub async fn refused(state: &AppState, token: &TokenRecord, origin: &Origin, refusal: Refusal) {
    let event = Event::of(refusal.kind(), token.user_id, origin)
        .token(token.id)
        .detail(refusal.detail());
    record_noisy(state, event, token.id).await;
}

/// A request the verified `caller` made was refused (its access or its source).
pub async fn refused_caller(state: &AppState, caller: &Caller, refusal: Refusal) {
    refused(state, &caller.token, &caller.origin, refusal).await;
}

/// The verified `caller` made a request: logs it when it comes from an address the token
/// was not used from lately. No database access unless it does.
pub async fn note_use(state: &AppState, caller: &Caller) {
    let Some(addr) = caller.origin.addr() else {
        return;
    };
    let Some(previous) = state.token_watch.new_address(&caller.token, addr) else {
        return;
    };
    let detail = match previous {
        Some(previous) => format!("previously used from {previous}"),
        None => "the token's first use".to_owned(),
    };
    let event = Event::of(EventKind::TokenNewAddress, caller.user.id, &caller.origin)
        .token(caller.token.id)
        .detail(detail);
    record_noisy(state, event, caller.token.id).await;
}

/// Why a sign-in did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// A wrong password, or a name that is no account.
    WrongPassword,
    /// The right password of a deactivated account.
    Deactivated,
    /// Too many attempts for the account or from the address.
    Throttled,
}

/// A sign-in of `username` did not happen: logged against the account when there is one,
/// else with the name tried, when it has a username's shape.
pub async fn sign_in_failed(state: &AppState, user: Option<&User>, username: &str, origin: &Origin, why: Failed) {
    let (kind, detail) = match why {
        Failed::WrongPassword => (EventKind::SignInFailed, "wrong password"),
        Failed::Deactivated => (EventKind::SignInFailed, "the account is deactivated"),
        Failed::Throttled => (
            EventKind::SignInThrottled,
            "too many attempts for this account or from this address",
        ),
    };
    if let Some(user) = user {
        return record(state, Event::of(kind, user.id, origin).detail(detail)).await;
    }
    let tried = Username::parse(username).map_or_else(|_| "(not a username)".to_owned(), |n| n.to_string());
    let event = Event {
        kind,
        user: None,
        username: Some(&tried),
        token: None,
        origin,
        detail: Some(format!("{detail}; no account has this name")),
        actor: None,
    };
    record(state, event).await;
}

/// A sign-in of `username` was throttled; logged against the account when there is one.
pub async fn sign_in_throttled(state: &AppState, username: Option<&Username>, tried: &str, origin: &Origin) {
    let user = match username {
        Some(name) => state.store.user_by_username(name).await.ok().flatten(),
        None => None,
    };
    sign_in_failed(state, user.as_ref(), tried, origin, Failed::Throttled).await;
}

/// The user signed in.
pub async fn signed_in(state: &AppState, user: &User, origin: &Origin) {
    record(state, Event::of(EventKind::SignInSucceeded, user.id, origin)).await;
}

/// The user signed out (nothing is logged when nobody was signed in).
pub async fn signed_out(state: &AppState, user: Option<&User>, origin: &Origin) {
    if let Some(user) = user {
        record(state, Event::of(EventKind::SignedOut, user.id, origin)).await;
    }
}

/// The user changed their password, which ended `ended` sessions.
pub async fn password_changed(state: &AppState, user: UserId, ended: u64, origin: &Origin) {
    let detail = format!("{ended} sessions ended");
    record(
        state,
        Event::of(EventKind::PasswordChanged, user, origin).detail(detail),
    )
    .await;
}

/// The user entered their password again (`confirmed`: rightly) before a sensitive action.
pub async fn password_confirmation(state: &AppState, user: UserId, confirmed: bool, origin: &Origin) {
    let kind = if confirmed {
        EventKind::PasswordConfirmed
    } else {
        EventKind::PasswordConfirmationFailed
    };
    record(state, Event::of(kind, user, origin)).await;
}

/// The user created the token `token`.
pub async fn token_created(
    state: &AppState,
    user: UserId,
    token: TokenId,
    expires_at: Option<DateTime<Utc>>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenCreated, user, origin).token(token);
    record(state, event.detail(expiry_words(expires_at))).await;
}

/// The user edited the token `token`, which was `before`.
pub async fn token_edited(
    state: &AppState,
    user: UserId,
    token: TokenId,
    before: &TokenRecord,
    edit: &TokenEdit<'_>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenEdited, user, origin).token(token);
    record(state, event.detail(edit_words(before, edit))).await;
}

/// The token `token` was rotated at `now`; the replaced value works until `until`.
pub async fn token_rotated(
    state: &AppState,
    user: UserId,
    token: TokenId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    origin: &Origin,
) {
    let event = Event::of(EventKind::TokenRotated, user, origin).token(token);
    record(state, event.detail(rotation_words(now, until))).await;
}

/// The user deleted the token `token` in their profile.
pub async fn token_deleted(state: &AppState, user: UserId, token: TokenId, origin: &Origin) {
    record(state, Event::of(EventKind::TokenDeleted, user, origin).token(token)).await;
}

/// The token making a request revoked itself.
pub async fn token_revoked_itself(state: &AppState, caller: &Caller) {
    let event = Event::of(EventKind::TokenDeleted, caller.user.id, &caller.origin).token(caller.token.id);
    record(state, event.detail("the token revoked itself through the API")).await;
}

/// A value already replaced by a rotation asked to rotate: the token was revoked.
pub async fn rotation_reuse(state: &AppState, caller: &Caller) {
    let event = Event::of(EventKind::TokenRevokedReuse, caller.user.id, &caller.origin).token(caller.token.id);
    record(
        state,
        event.detail("a value already replaced by a rotation asked to rotate"),
    )
    .await;
}

/// The token `token` of `user` was reported as exposed and revoked; `via` says by whom.
pub async fn token_exposed(state: &AppState, user: UserId, token: TokenId, origin: &Origin, via: &str) {
    let event = Event::of(EventKind::TokenRevokedExposed, user, origin).token(token);
    record(state, event.detail(via)).await;
}

/// Which of a user's events to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only the events about this token.
    pub token: Option<TokenId>,
}

/// One page of a user's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    pub events: Vec<SecurityEventRecord>,
    /// The page number, from 1.
    pub page: u32,
    /// Whether older events follow.
    pub more: bool,
    /// The user's tokens (deleted ones too), to filter by.
    pub tokens: Vec<LoggedToken>,
}

/// Page `page` (from 1) of the user's own events, `PAGE_SIZE` a page, newest first.
pub async fn list(state: &AppState, user: &User, filter: Filter, page: u32) -> Result<LogPage> {
    let page = page.max(1);
    let offset = i64::from(page - 1) * PAGE_SIZE;
    let mut events = state
        .store
        .security_events_of(user.id, filter.token, offset, PAGE_SIZE + 1)
        .await?;
    let more = events.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    events.truncate(usize::try_from(PAGE_SIZE).unwrap_or(0));
    let tokens = state.store.logged_tokens_of(user.id).await?;
    Ok(LogPage {
        events,
        page,
        more,
        tokens,
    })
}

/// What an audit exports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<UserId>,
    pub since: Option<DateTime<Utc>>,
}

/// Events for an audit, oldest first: up to `limit` after the event `after_id` (0 for the
/// first batch; then the last id of the batch before).
pub async fn audit(state: &AppState, query: AuditQuery, after_id: i64, limit: i64) -> Result<Vec<SecurityEventRecord>> {
    Ok(state
        .store
        .audit_events(query.user, query.since, after_id, limit)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_and_say_what_happened() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.words().is_empty());
        }
        assert_eq!(EventKind::parse("token_stolen"), None);
    }

    #[test]
    fn user_agents_lose_control_characters_and_are_bounded() {
        let long = format!("curl/8.0\u{7}\r\nX-Injected: 1{}", "a".repeat(400));
        let origin = Origin::new(Some("203.0.113.9".parse().expect("ip")), Some(long.as_bytes()));
        let agent = origin.agent().expect("an agent");
        assert!(agent.starts_with("curl/8.0X-Injected: 1"), "{agent}");
        assert_eq!(agent.chars().count(), MAX_AGENT);
        let leaky = Origin::new(None, Some(b"deploy.sh tsr_abcDEF123 (tsr_x)"));
        assert_eq!(leaky.agent(), Some("deploy.sh [token removed] ([token removed])"));
        let unknown = Origin::new(Some(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)), Some(b"  "));
        assert_eq!((unknown.addr(), unknown.agent()), (None, None));
        // What is already clean is kept as it is; anything else goes the long way.
        let plain = Origin::new(None, Some(b"tessera-sync/1.2 (linux; +https://example.com)"));
        assert_eq!(plain.agent(), Some("tessera-sync/1.2 (linux; +https://example.com)"));
        let padded = Origin::new(None, Some(b" curl/8.0 "));
        assert_eq!(padded.agent(), Some("curl/8.0"));
        let accented = Origin::new(None, Some("caf\u{e9}/1 tsr_abc".as_bytes()));
        assert_eq!(accented.agent(), Some("caf\u{e9}/1 [token removed]"));
        let exact = "a".repeat(MAX_AGENT);
        assert_eq!(Origin::new(None, Some(exact.as_bytes())).agent(), Some(exact.as_str()));
        let invalid = Origin::new(None, Some(b"bad\xff/1"));
        assert_eq!(invalid.agent(), Some("bad\u{fffd}/1"));
    }

    #[test]
    fn the_cap_lets_a_minutes_worth_through_then_counts_what_it_left_out() {
        let watch = TokenWatch::new();
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        for _ in 0..NOISY_PER_MINUTE {
            assert_eq!(watch.admit(TokenId(1), now), Some(0));
        }
        assert_eq!(watch.admit(TokenId(1), now), None);
        assert_eq!(watch.admit(TokenId(1), now), None);
        assert_eq!(watch.admit(TokenId(2), now), Some(0), "other tokens are not affected");
        let later = now + chrono::Duration::seconds(61);
        assert_eq!(watch.admit(TokenId(1), later), Some(2));
    }
}
