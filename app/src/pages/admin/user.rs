//! `/admin/users/NAME`: one user's account (deactivate or reactivate, grant or take away the
//! administrator role), their groups (add, remove), and their API tokens with Revoke and
//! Revoke all tokens. Every change is confirmed where it cannot be taken back at once, and
//! the user's security log names the administrator who made it.

use leptos::prelude::*;

use super::{AdminTabs, RequireAdmin, tokens_count};
use crate::components::alert::FormAlert;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::form_errors::FormErrors;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::Sudo;
use crate::dates::{exact_local, local_date_time};
use crate::pages::edit_profile::TokenTable;
use crate::server_fns::admin::{AccountAction, AdminAccount, AdminMembership, AdminRevokeTokens, admin_user};
use crate::server_fns::{AdminUserDetailView, TokenView};

/// A change waiting for its confirmation.
#[derive(Clone, PartialEq)]
enum Pending {
    Account(AccountAction),
    Token(TokenView),
    AllTokens(u64),
}

#[component]
pub fn AdminUserPage(
    /// Whose page, from the address.
    username: String,
) -> impl IntoView {
    let username = Signal::stored(username);
    view! {
        <RequireAdmin>
            <UserDetail username/>
        </RequireAdmin>
    }
}

#[component]
fn UserDetail(username: Signal<String>) -> impl IntoView {
    let auth = Auth::expect();
    let account = ServerAction::<AdminAccount>::new();
    let membership = ServerAction::<AdminMembership>::new();
    let revoke = ServerAction::<AdminRevokeTokens>::new();
    // Each change may first ask for the password (sudo mode), then goes through.
    let sudo = Sudo::expect();
    let (send_account, send_membership, send_revoke) =
        (sudo.guard(account), sudo.guard(membership), sudo.guard(revoke));
    let detail = LocalResource::new(move || {
        account.version().track();
        membership.version().track();
        revoke.version().track();
        admin_user(username.get())
    });
    auth.watch(detail);
    auth.watch(account.value());
    auth.watch(membership.value());
    auth.watch(revoke.value());
    let confirming = RwSignal::new(None::<Pending>);
    // An administrator who removed their own role sees the menu change at once.
    Effect::watch(move || account.version().get(), move |_, _, _| auth.refresh(), false);
    // A confirmed change closes its dialog once it is done; a refusal stays in the dialog.
    Effect::new(move || {
        let done =
            account.value().with(|a| matches!(a, Some(Ok(())))) || revoke.value().with(|a| matches!(a, Some(Ok(_))));
        if done {
            confirming.set(None);
        }
    });
    let ask = move |p: Pending| {
        account.clear();
        revoke.clear();
        confirming.set(Some(p));
    };

    let page = move || {
        match detail.get() {
        None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <h1 id="user-heading">"User"</h1>
            <p class="alert" role="alert">{e.to_string()}</p>
            <a href="/admin/users">"Back to Users"</a>
        }
        .into_any(),
        Some(Ok(d)) => {
            view! { <UserSections detail=d membership=membership send_membership=send_membership ask=Callback::new(ask)/> }
                .into_any()
        }
    }
    };

    let dialog = move || {
        let pending = confirming.get()?;
        let name = username.get_untracked();
        let close = Callback::new(move |()| confirming.set(None));
        let (heading, body, confirm, working, danger) = match &pending {
            Pending::Account(AccountAction::Deactivate) => (
                format!("Deactivate {name}?"),
                format!(
                    "{name} can no longer sign in; their sessions end and every one of their API tokens is revoked at once. You can reactivate the account later, but the tokens stay revoked."
                ),
                "Deactivate",
                "Deactivating…",
                true,
            ),
            Pending::Account(AccountAction::Reactivate) => (
                format!("Reactivate {name}?"),
                format!("{name} can sign in again. Their old API tokens stay revoked."),
                "Reactivate",
                "Reactivating…",
                false,
            ),
            Pending::Account(AccountAction::GrantAdmin) => (
                format!("Make {name} an administrator?"),
                format!("{name} will see Administration and can manage every user, token and group."),
                "Make administrator",
                "Saving…",
                false,
            ),
            Pending::Account(AccountAction::RevokeAdmin) => (
                format!("Remove {name} as administrator?"),
                format!("{name} keeps their account and tokens but can no longer use Administration."),
                "Remove administrator",
                "Saving…",
                true,
            ),
            Pending::Token(token) => (
                format!("Revoke token {}?", token.name),
                format!(
                    "Requests with {name}'s token {} stop working at once. This cannot be undone.",
                    token.name
                ),
                "Revoke token",
                "Revoking…",
                true,
            ),
            Pending::AllTokens(n) => (
                format!("Revoke all {} of {name}?", tokens_count(*n)),
                format!(
                    "Every API token of {name} ({}) stops working at once. This cannot be undone.",
                    tokens_count(*n)
                ),
                "Revoke all tokens",
                "Revoking…",
                true,
            ),
        };
        let (is_pending, error) = match &pending {
            Pending::Account(_) => (account.pending(), FormErrors::from_answers(account.value()).any()),
            _ => (revoke.pending(), FormErrors::from_answers(revoke.value()).any()),
        };
        let run = Callback::new(move |()| match pending.clone() {
            Pending::Account(action) => {
                send_account.run(AdminAccount {
                    username: username.get_untracked(),
                    action,
                });
            }
            Pending::Token(token) => {
                send_revoke.run(AdminRevokeTokens {
                    username: username.get_untracked(),
                    token_id: Some(token.id),
                });
            }
            Pending::AllTokens(_) => {
                send_revoke.run(AdminRevokeTokens {
                    username: username.get_untracked(),
                    token_id: None,
                });
            }
        });
        Some(view! {
            <ConfirmDialog heading_id="admin-confirm-heading" heading=heading body=body confirm=confirm working=working
                danger=danger pending=is_pending error=error on_confirm=run on_close=close/>
        })
    };

    view! {
        <section class="card" aria-labelledby="user-heading">
            <AdminTabs current="Users"/>
            <p><a href="/admin/users">"← All users"</a></p>
            {page}
        </section>
        {dialog}
    }
}

#[component]
fn UserSections(
    detail: AdminUserDetailView,
    membership: ServerAction<AdminMembership>,
    /// Sends a membership change (asking for the password first when needed).
    send_membership: Callback<AdminMembership>,
    ask: Callback<Pending>,
) -> impl IntoView {
    let user = detail.user.clone();
    let now = detail.now;
    let username = StoredValue::new(user.username.clone());
    let status = if user.active { "Active" } else { "Deactivated" };
    let last = match user.last_signed_in_at {
        Some(t) => view! { <time datetime=t.to_rfc3339() title=exact_local(t)>{local_date_time(t)}</time> }.into_any(),
        None => "Never".into_any(),
    };
    let created = user.created_at;
    let account_buttons = (!detail.is_you).then(|| {
        if user.active {
            view! { <button type="button" class="button danger" on:click=move |_| ask.run(Pending::Account(AccountAction::Deactivate))>"Deactivate"</button> }.into_any()
        } else {
            view! { <button type="button" class="button" on:click=move |_| ask.run(Pending::Account(AccountAction::Reactivate))>"Reactivate"</button> }.into_any()
        }
    });
    let role_button = if user.admin {
        view! { <button type="button" class="button" on:click=move |_| ask.run(Pending::Account(AccountAction::RevokeAdmin))>"Remove administrator"</button> }.into_any()
    } else if user.active {
        view! { <button type="button" class="button" on:click=move |_| ask.run(Pending::Account(AccountAction::GrantAdmin))>"Make administrator"</button> }.into_any()
    } else {
        ().into_any()
    };

    // Groups: remove from one, or add to another.
    let member_of: Vec<i64> = detail.groups.iter().map(|g| g.id).collect();
    let addable: Vec<_> = detail
        .all_groups
        .into_iter()
        .filter(|g| !member_of.contains(&g.id))
        .collect();
    let picked = RwSignal::new(addable.first().map(|g| g.id.to_string()).unwrap_or_default());
    let membership_error = FormErrors::from_answers(membership.value()).any();
    let pending = membership.pending();
    let group_rows = detail
        .groups
        .into_iter()
        .map(|g| {
            let label = format!("Remove {} from {}", username.get_value(), g.name);
            let id = g.id;
            view! {
                <li>
                    <span>{g.name}</span>
                    <button type="button" class="button small" aria-label=label disabled=move || pending.get()
                        on:click=move |_| {
                            send_membership.run(AdminMembership { username: username.get_value(), group_id: id, join: false });
                        }>"Remove"</button>
                </li>
            }
        })
        .collect_view();
    let add_form = (!addable.is_empty()).then(|| {
        let options = addable
            .into_iter()
            .map(|g| view! { <option value=g.id.to_string()>{g.name}</option> })
            .collect_view();
        let add = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Ok(id) = picked.get_untracked().parse::<i64>() {
                send_membership.run(AdminMembership {
                    username: username.get_value(),
                    group_id: id,
                    join: true,
                });
            }
        };
        view! {
            <form class="search" on:submit=add>
                <div class="field">
                    <label for="add-group">"Add to group"</label>
                    <select id="add-group" on:change=move |ev| picked.set(event_target_value(&ev))>{options}</select>
                </div>
                <button type="submit" class="button" disabled=move || pending.get()>"Add"</button>
            </form>
        }
    });

    let active_count = detail.tokens.iter().filter(|t| !t.expired).count() as u64;
    let listed = detail.tokens.len() as u64;
    let tokens = if detail.tokens.is_empty() {
        view! { <p class="empty-state">"No API tokens."</p> }.into_any()
    } else {
        let on_revoke = Callback::new(move |t: TokenView| ask.run(Pending::Token(t)));
        view! { <TokenTable tokens=detail.tokens now=now on_delete=on_revoke delete_verb="Revoke" data_links=false/> }
            .into_any()
    };

    view! {
        <h1 id="user-heading">
            {user.display_name.clone()} " " <span class="muted">{format!("@{}", user.username)}</span>
        </h1>
        <dl class="details">
            <dt>"Status"</dt>
            <dd>{status} {user.admin.then(|| view! { <span class="badge badge-current">"Administrator"</span> })}
                {detail.is_you.then(|| view! { <span class="badge">"You"</span> })}</dd>
            <dt>"Email"</dt>
            <dd>{user.email.clone().unwrap_or_else(|| "None".to_owned())}</dd>
            <dt>"Created"</dt>
            <dd><time datetime=created.to_rfc3339() title=exact_local(created)>{local_date_time(created)}</time></dd>
            <dt>"Last sign-in"</dt>
            <dd>{last}</dd>
            <dt>"Active tokens"</dt>
            <dd>{user.active_tokens}</dd>
        </dl>
        <div class="actions-start">{account_buttons}{role_button}</div>

        <h2 id="user-groups-heading">"Groups"</h2>
        {if member_of.is_empty() {
            view! { <p class="muted">"In no group: their tokens cannot create entities or observables."</p> }.into_any()
        } else {
            view! { <ul class="member-list" aria-labelledby="user-groups-heading">{group_rows}</ul> }.into_any()
        }}
        {add_form}
        <FormAlert message=membership_error/>

        <div class="section-header">
            <h2 id="user-tokens-heading">"API tokens"</h2>
            {(listed > 0).then(|| view! {
                <button type="button" class="button danger" on:click=move |_| ask.run(Pending::AllTokens(listed))>"Revoke all tokens"</button>
            })}
        </div>
        <p class="muted">{format!("{}, {active_count} of them working now. Token values are never shown.", tokens_count(listed))}</p>
        {tokens}
    }
}
