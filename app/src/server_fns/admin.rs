//! The admin area: users, a user's tokens, and groups. Every function answers `Forbidden`
//! unless the signed-in user is an administrator, and acts as that administrator (the
//! security log names them). Every change also answers `ReauthRequired` when the
//! administrator's password was last entered more than an hour ago (sudo mode).

use leptos::prelude::*;

use super::{AdminGroupView, AdminUserDetailView, AdminUsersView, CreatedUserView, GroupView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    //! What every admin function starts from.

    use crate::backend::security_log::Origin;
    use crate::backend::store::User;
    use crate::backend::{AppState, accounts};
    use crate::error::AppError;
    use crate::server_fns::context;

    /// The state, the administrator and where their request came from, for reading.
    pub async fn admin() -> Result<(AppState, User, Origin), AppError> {
        let (state, admin) = context::admin().await?;
        Ok((state, admin, context::origin().await))
    }

    /// Like `admin`, for a change: the password must have been entered within the hour.
    pub async fn acting_admin() -> Result<(AppState, User, Origin), AppError> {
        let (state, admin) = context::admin_sudo().await?;
        Ok((state, admin, context::origin().await))
    }

    /// The user an admin page names.
    pub async fn user(state: &AppState, username: &str) -> Result<User, AppError> {
        Ok(accounts::find(state, username).await?)
    }

    /// The group an admin page names by id.
    pub async fn group(state: &AppState, id: i64) -> Result<crate::backend::store::Group, AppError> {
        state
            .store
            .group_by_id(crate::backend::store::GroupId(id))
            .await
            .map_err(crate::backend::Error::from)?
            .ok_or_else(|| AppError::NotFound("There is no such group: reload the page.".to_owned()))
    }
}

/// Page `page` (from 1) of the users whose username, display name or email contains
/// `search` (everyone when empty).
#[server(prefix = "/rpc", endpoint = "admin_users")]
pub async fn admin_users(search: String, page: u32) -> Result<AdminUsersView, AppError> {
    use crate::backend::admin;
    let (state, _, _) = ssr::admin().await?;
    let found = admin::users(&state, &search, page).await?;
    Ok(AdminUsersView {
        users: found.users.into_iter().map(Into::into).collect(),
        page: found.page,
        total: u32::try_from(found.total).unwrap_or(u32::MAX),
        page_size: u32::try_from(admin::USERS_PAGE_SIZE).unwrap_or(25),
        token_policy: state.token_policy,
        now: found.now,
    })
}

/// One user's admin page.
#[server(prefix = "/rpc", endpoint = "admin_user")]
pub async fn admin_user(username: String) -> Result<AdminUserDetailView, AppError> {
    use crate::backend::admin;
    let (state, me, _) = ssr::admin().await?;
    let detail = admin::user(&state, &username).await?;
    let owner = detail.summary.user.clone();
    let all_groups = admin::groups(&state)
        .await?
        .into_iter()
        .map(|g| GroupView::from(g.group))
        .collect();
    Ok(AdminUserDetailView {
        is_you: owner.id == me.id,
        groups: detail.groups.into_iter().map(GroupView::from).collect(),
        tokens: super::tokens::listed_with_usage(&state, &owner, detail.tokens).await?,
        user: detail.summary.into(),
        all_groups,
        now: detail.now,
    })
}

/// Creates a user (an administrator when `admin`) in the groups with these ids, with a
/// generated password that the answer holds once.
#[server(prefix = "/rpc", endpoint = "admin_create_user")]
pub async fn admin_create_user(
    username: String,
    display_name: String,
    email: String,
    #[server(default)] groups: Vec<i64>,
    #[server(default)] admin: bool,
) -> Result<CreatedUserView, AppError> {
    use crate::backend::accounts::NewAccount;
    use crate::backend::admin::{self as operations, Actor};
    let (state, me, origin) = ssr::acting_admin().await?;
    let mut names = Vec::with_capacity(groups.len());
    for id in groups {
        names.push(ssr::group(&state, id).await?.name);
    }
    let account = NewAccount {
        username,
        display_name: Some(display_name).filter(|n| !n.trim().is_empty()),
        email: Some(email).filter(|e| !e.trim().is_empty()),
        groups: names,
        password: None,
    };
    let actor = Actor::Admin {
        user: &me,
        origin: &origin,
    };
    let created = operations::create_user(&state, actor, account, admin).await?;
    let password = created
        .generated_password
        .ok_or_else(|| crate::backend::Error::Internal(anyhow::anyhow!("no password was generated")))?;
    Ok(CreatedUserView {
        username: created.user.username,
        password: password.expose().to_owned(),
    })
}

/// What an administrator can do to a user's account from their page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AccountAction {
    Deactivate,
    Reactivate,
    GrantAdmin,
    RevokeAdmin,
}

/// Deactivates or reactivates the user, or grants or takes away the administrator role.
#[server(prefix = "/rpc", endpoint = "admin_account")]
pub async fn admin_account(username: String, action: AccountAction) -> Result<(), AppError> {
    use crate::backend::admin::{self as operations, Actor};
    let (state, me, origin) = ssr::acting_admin().await?;
    let user = ssr::user(&state, &username).await?;
    let actor = Actor::Admin {
        user: &me,
        origin: &origin,
    };
    match action {
        AccountAction::Deactivate => operations::deactivate(&state, actor, &user).await?,
        AccountAction::Reactivate => operations::reactivate(&state, actor, &user).await?,
        AccountAction::GrantAdmin => operations::grant_admin(&state, actor, &user).await?,
        AccountAction::RevokeAdmin => operations::revoke_admin(&state, actor, &user).await?,
    }
    Ok(())
}

/// Adds the user to the group `group_id` (`join` true) or takes them out of it.
#[server(prefix = "/rpc", endpoint = "admin_membership")]
pub async fn admin_membership(username: String, group_id: i64, join: bool) -> Result<(), AppError> {
    use crate::backend::admin::{self as operations, Actor};
    let (state, me, origin) = ssr::acting_admin().await?;
    let user = ssr::user(&state, &username).await?;
    let group = ssr::group(&state, group_id).await?;
    let actor = Actor::Admin {
        user: &me,
        origin: &origin,
    };
    if join {
        operations::add_to_group(&state, actor, &user, &group).await?;
    } else {
        operations::remove_from_group(&state, actor, &user, &group).await?;
    }
    Ok(())
}

/// Revokes one of the user's tokens (`token_id`), or every one of them when `token_id` is
/// absent; answers how many were revoked.
#[server(prefix = "/rpc", endpoint = "admin_revoke_tokens")]
pub async fn admin_revoke_tokens(username: String, token_id: Option<i64>) -> Result<u64, AppError> {
    use crate::backend::admin::{self as operations, Actor};
    use crate::backend::store::TokenId;
    let (state, me, origin) = ssr::acting_admin().await?;
    let user = ssr::user(&state, &username).await?;
    let actor = Actor::Admin {
        user: &me,
        origin: &origin,
    };
    match token_id {
        Some(id) => {
            operations::revoke_token(&state, actor, &user, TokenId(id)).await?;
            Ok(1)
        }
        None => Ok(operations::revoke_all_tokens(&state, actor, &user).await?),
    }
}

/// Every group by name, with its members.
#[server(prefix = "/rpc", endpoint = "admin_groups")]
pub async fn admin_groups() -> Result<Vec<AdminGroupView>, AppError> {
    let (state, _, _) = ssr::admin().await?;
    let groups = crate::backend::admin::groups(&state).await?;
    Ok(groups.into_iter().map(Into::into).collect())
}

/// Creates a group (`group_id` absent) or renames the group `group_id` to `name`.
#[server(prefix = "/rpc", endpoint = "admin_save_group")]
pub async fn admin_save_group(group_id: Option<i64>, name: String) -> Result<GroupView, AppError> {
    use crate::backend::admin::{self as operations, Actor};
    use crate::backend::store::GroupId;
    let (state, me, origin) = ssr::acting_admin().await?;
    let actor = Actor::Admin {
        user: &me,
        origin: &origin,
    };
    let group = match group_id {
        Some(id) => operations::rename_group(&state, actor, GroupId(id), &name).await?,
        None => operations::create_group(&state, actor, &name).await?,
    };
    Ok(group.into())
}
