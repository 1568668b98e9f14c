//! What administrators do: find and page through users, create, deactivate and reactivate
//! them, grant and take away the administrator role, put them in groups, revoke their tokens,
//! and create and rename groups. The admin area's server functions and the `tessera`
//! commands both call these operations; each names who did it (`Actor`) in the security log.
//!
//! The last active administrator can neither lose the role nor be deactivated: the store makes
//! that check and the change in one step, with concurrent changes taking turns.

use chrono::{DateTime, Utc};

use super::accounts::{self, CreatedAccount, NewAccount};
use super::invalidation::{self, Invalidation};
use super::security_log::{self, Event, EventKind, Origin};
use super::store::{
    AdminChange, Group, GroupId, GroupWithMembers, RevokedReason, TokenId, TokenWithCounts, User, UserSummary,
};
use super::{AppState, Error, Result, groups, tokens};
use crate::domain::GroupName;

/// Users on one page of the admin Users list.
pub const USERS_PAGE_SIZE: i64 = 25;

/// Who does an administrator's action.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A `tessera` command (named, e.g. "tessera user deactivate"), run by whoever runs the
    /// server.
    Command(&'static str),
    /// An administrator in the admin area, from this request.
    Admin { user: &'a User, origin: &'a Origin },
}

impl Actor<'_> {
    fn id(&self) -> Option<super::store::UserId> {
        match self {
            Self::Command(_) => None,
            Self::Admin { user, .. } => Some(user.id),
        }
    }

    fn origin(&self) -> Origin {
        match self {
            Self::Command(_) => Origin::none(),
            Self::Admin { origin, .. } => (*origin).clone(),
        }
    }

    /// "by administrator "root"", "by an administrator (tessera user deactivate)".
    fn words(&self) -> String {
        match self {
            Self::Command(command) => format!("by an administrator ({command})"),
            Self::Admin { user, .. } => format!("by administrator \"{}\"", user.username),
        }
    }

    /// Whether `user` is the administrator acting.
    fn is(&self, user: &User) -> bool {
        self.id() == Some(user.id)
    }

    /// Records `kind` on `user`'s log, as done by this actor, with `detail` before the actor's
    /// words.
    async fn log(
        &self,
        state: &AppState,
        kind: EventKind,
        user: &User,
        detail: Option<String>,
        token: Option<TokenId>,
    ) {
        let origin = self.origin();
        let words = match detail {
            Some(detail) => format!("{detail}; {}", self.words()),
            None => self.words(),
        };
        let mut event = Event::of(kind, user.id, &origin).detail(words).by(self.id());
        if let Some(token) = token {
            event = event.token(token);
        }
        security_log::record(state, event).await;
    }
}

/// The administrator of a request: the signed-in user, refused unless they are one.
pub fn require_admin(user: &User) -> Result<()> {
    if user.is_admin() { Ok(()) } else { Err(Error::NotAdmin) }
}

/// One page of the Users list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    /// The page number, from 1.
    pub page: u32,
    /// How many users match the search, on every page.
    pub total: i64,
    pub now: DateTime<Utc>,
}

/// Page `page` (from 1) of the users whose username, display name or email contains
/// `search`, by username.
pub async fn users(state: &AppState, search: &str, page: u32) -> Result<UserPage> {
    let search = search.trim();
    if search.chars().count() > 100 {
        return Err(Error::invalid("search", "Search for at most 100 characters."));
    }
    let page = page.max(1);
    let now = state.clock.now();
    let offset = i64::from(page - 1) * USERS_PAGE_SIZE;
    let (users, total) = state.store.search_users(search, now, offset, USERS_PAGE_SIZE).await?;
    Ok(UserPage {
        users,
        page,
        total,
        now,
    })
}

/// Every user, by username (`tessera user list`).
pub async fn all_users(state: &AppState) -> Result<Vec<UserSummary>> {
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let found = users(state, "", page).await?;
        let done =
            i64::try_from(all.len() + found.users.len()).unwrap_or(i64::MAX) >= found.total || found.users.is_empty();
        all.extend(found.users);
        if done {
            return Ok(all);
        }
        page += 1;
    }
}

/// A user as their admin page shows them: the summary, their groups and their tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDetail {
    pub summary: UserSummary,
    pub groups: Vec<Group>,
    pub tokens: Vec<TokenWithCounts>,
    pub now: DateTime<Utc>,
}

/// The user named `username`, for their admin page.
pub async fn user(state: &AppState, username: &str) -> Result<UserDetail> {
    let user = accounts::find(state, username).await?;
    let now = state.clock.now();
    let summary = state
        .store
        .user_summary(user.id, now)
        .await?
        .ok_or_else(|| Error::NotFound(format!("There is no user named \"{}\".", user.username)))?;
    Ok(UserDetail {
        groups: state.store.groups_of(user.id).await?,
        tokens: tokens::list(state, &user).await?,
        summary,
        now,
    })
}

/// Creates an account (an administrator when `admin`); the generated password, when none was
/// given, is in the answer once.
pub async fn create_user(
    state: &AppState,
    actor: Actor<'_>,
    account: NewAccount,
    admin: bool,
) -> Result<CreatedAccount> {
    let groups = account.groups.join("\", \"");
    let mut created = accounts::create(state, account).await?;
    let detail = (!groups.is_empty()).then(|| format!("in \"{groups}\""));
    actor
        .log(state, EventKind::AccountCreated, &created.user, detail, None)
        .await;
    if admin {
        state.store.grant_admin(created.user.id, state.clock.now()).await?;
        actor
            .log(state, EventKind::AdminGranted, &created.user, None, None)
            .await;
        created.user = refreshed(state, &created.user).await?;
    }
    tracing::info!(user_id = created.user.id.0, admin, "created a user");
    Ok(created)
}

async fn refreshed(state: &AppState, user: &User) -> Result<User> {
    state
        .store
        .user_by_id(user.id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("There is no user named \"{}\".", user.username)))
}

fn last_admin(user: &User) -> Error {
    Error::conflict(
        "username",
        format!(
            "\"{}\" is the last active administrator: make another user an administrator first.",
            user.username
        ),
    )
}

/// Deactivates an account: it can no longer sign in, and its sessions and API tokens stop
/// working at once (on this instance; elsewhere as soon as it is announced, see
/// `invalidation`). Administrators cannot deactivate themselves, nor the last administrator.
pub async fn deactivate(state: &AppState, actor: Actor<'_>, user: &User) -> Result<()> {
    if actor.is(user) {
        return Err(Error::conflict(
            "username",
            "You cannot deactivate your own account: ask another administrator.",
        ));
    }
    let now = state.clock.now();
    match state.store.deactivate_user(user.id, now).await? {
        AdminChange::Done => {}
        AdminChange::Unchanged => {
            return Err(Error::conflict(
                "username",
                format!("\"{}\" is already deactivated.", user.username),
            ));
        }
        AdminChange::LastAdmin => return Err(last_admin(user)),
    }
    state.store.delete_sessions_of(user.id).await?;
    let revoked = state.store.revoke_tokens_of(user.id, now).await?;
    invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
    let detail = format!("{revoked} API tokens revoked");
    actor
        .log(state, EventKind::AccountDeactivated, user, Some(detail), None)
        .await;
    tracing::info!(user_id = user.id.0, revoked, "deactivated a user");
    Ok(())
}

/// Lets a deactivated account sign in again. Its tokens stay revoked.
pub async fn reactivate(state: &AppState, actor: Actor<'_>, user: &User) -> Result<()> {
    if !state.store.reactivate_user(user.id).await? {
        return Err(Error::conflict(
            "username",
            format!("\"{}\" is already active.", user.username),
        ));
    }
    invalidation::publish(state, Invalidation::UserChanged(user.id)).await;
    actor.log(state, EventKind::AccountReactivated, user, None, None).await;
    tracing::info!(user_id = user.id.0, "reactivated a user");
    Ok(())
}

/// Makes an active user an administrator.
pub async fn grant_admin(state: &AppState, actor: Actor<'_>, user: &User) -> Result<()> {
    if !user.is_active() {
        return Err(Error::conflict(
            "username",
            format!("\"{}\" is deactivated: reactivate the account first.", user.username),
        ));
    }
    match state.store.grant_admin(user.id, state.clock.now()).await? {
        AdminChange::Done => {
            actor.log(state, EventKind::AdminGranted, user, None, None).await;
            tracing::info!(user_id = user.id.0, "made a user an administrator");
            Ok(())
        }
        _ => Err(Error::conflict(
            "username",
            format!("\"{}\" is already an administrator.", user.username),
        )),
    }
}

/// Takes the administrator role away, unless the user is the last active administrator.
pub async fn revoke_admin(state: &AppState, actor: Actor<'_>, user: &User) -> Result<()> {
    match state.store.revoke_admin(user.id).await? {
        AdminChange::Done => {
            actor.log(state, EventKind::AdminRevoked, user, None, None).await;
            tracing::info!(user_id = user.id.0, "took the administrator role away");
            Ok(())
        }
        AdminChange::Unchanged => Err(Error::conflict(
            "username",
            format!("\"{}\" is not an administrator.", user.username),
        )),
        AdminChange::LastAdmin => Err(last_admin(user)),
    }
}

/// Adds the user to the group.
pub async fn add_to_group(state: &AppState, actor: Actor<'_>, user: &User, group: &Group) -> Result<()> {
    groups::add_member(state, user, group).await?;
    let detail = format!("\"{}\"", group.name);
    actor.log(state, EventKind::GroupJoined, user, Some(detail), None).await;
    Ok(())
}

/// Takes the user out of the group (their objects there stay).
pub async fn remove_from_group(state: &AppState, actor: Actor<'_>, user: &User, group: &Group) -> Result<()> {
    groups::remove_member(state, user, group).await?;
    let detail = format!("\"{}\"", group.name);
    actor.log(state, EventKind::GroupLeft, user, Some(detail), None).await;
    Ok(())
}

/// Revokes one of the user's tokens at once.
pub async fn revoke_token(state: &AppState, actor: Actor<'_>, user: &User, id: TokenId) -> Result<()> {
    if !tokens::revoke_as(state, user, id, RevokedReason::Deleted).await? {
        return Err(Error::NotFound(format!(
            "\"{}\" has no such token: it may have been revoked already. Reload the page.",
            user.username
        )));
    }
    actor.log(state, EventKind::TokenDeleted, user, None, Some(id)).await;
    tracing::info!(user_id = user.id.0, token_id = id.0, "an administrator revoked a token");
    Ok(())
}

/// Revokes every listed token of the user, each logged; answers how many.
pub async fn revoke_all_tokens(state: &AppState, actor: Actor<'_>, user: &User) -> Result<u64> {
    let mut revoked = 0;
    for token in tokens::list(state, user).await? {
        if tokens::revoke_as(state, user, token.token.id, RevokedReason::Deleted).await? {
            actor
                .log(state, EventKind::TokenDeleted, user, None, Some(token.token.id))
                .await;
            revoked += 1;
        }
    }
    tracing::info!(
        user_id = user.id.0,
        revoked,
        "an administrator revoked every token of a user"
    );
    Ok(revoked)
}

/// Every group by name, with its members.
pub async fn groups(state: &AppState) -> Result<Vec<GroupWithMembers>> {
    Ok(state.store.groups_with_members().await?)
}

/// Creates a group.
pub async fn create_group(state: &AppState, actor: Actor<'_>, name: &str) -> Result<Group> {
    let group = groups::create(state, name).await?;
    if let Actor::Admin { user, .. } = actor {
        let detail = format!("\"{}\"", group.name);
        actor
            .log(state, EventKind::GroupCreated, user, Some(detail), None)
            .await;
    }
    Ok(group)
}

/// Renames the group `id` to `name`. Objects keep their source: it is the same group.
pub async fn rename_group(state: &AppState, actor: Actor<'_>, id: GroupId, name: &str) -> Result<Group> {
    let name = GroupName::parse(name).map_err(super::error::invalid_at("group_name"))?;
    let before = state
        .store
        .group_by_id(id)
        .await?
        .ok_or_else(|| Error::NotFound("There is no such group: reload the page.".to_owned()))?;
    match state.store.rename_group(id, &name).await {
        Ok(true) => {}
        Ok(false) => return Err(Error::NotFound("There is no such group: reload the page.".to_owned())),
        Err(super::store::StoreError::Duplicate) => {
            return Err(Error::conflict(
                "group_name",
                format!("A group named \"{name}\" already exists."),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if let Actor::Admin { user, .. } = actor {
        let detail = format!("\"{}\" to \"{name}\"", before.name);
        actor
            .log(state, EventKind::GroupRenamed, user, Some(detail), None)
            .await;
    }
    Ok(Group {
        id,
        name: name.to_string(),
    })
}
