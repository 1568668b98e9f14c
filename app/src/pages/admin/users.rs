//! `/admin/users`: every user, searched by name or email, a page at a time, with what an
//! administrator needs at a glance; and "+ Create user".

use leptos::prelude::*;

use super::create_user::CreateUserDialog;
use super::{AdminTabs, RequireAdmin};
use crate::components::loaded::loaded;
use crate::contexts::auth::Auth;
use crate::dates::{exact_local, relative};
use crate::router::Router;
use crate::server_fns::AdminUserView;
use crate::server_fns::admin::admin_users;

/// The address of a search's page.
fn users_href(search: &str, page: u32) -> String {
    let mut query = Vec::new();
    if !search.is_empty() {
        query.push(format!("q={}", String::from(js_sys::encode_uri_component(search))));
    }
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if query.is_empty() {
        "/admin/users".to_owned()
    } else {
        format!("/admin/users?{}", query.join("&"))
    }
}

/// "Users 26–50 of 60".
fn range_text(page: u32, page_size: u32, shown: usize, total: u32) -> String {
    if total == 0 {
        return "No users match.".to_owned();
    }
    let first = (page - 1) * page_size + 1;
    let last = first + u32::try_from(shown).unwrap_or(0).saturating_sub(1);
    format!("Users {first}–{last} of {total}")
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    view! {
        <RequireAdmin>
            <UsersList/>
        </RequireAdmin>
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let auth = Auth::expect();
    let router = Router::expect();
    let query = router.query();
    let search = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let page = Memo::new(move |_| {
        query
            .with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()))
            .unwrap_or(1)
            .max(1)
    });
    let created = RwSignal::new(0_u32);
    let found = LocalResource::new(move || {
        created.track();
        admin_users(search.get(), page.get())
    });
    auth.watch(found);
    let typed = RwSignal::new(search.get_untracked());
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        router.go(&users_href(typed.get_untracked().trim(), 1));
    };
    let creating = RwSignal::new(false);

    let policy = move || {
        found.with(|f| match f {
            Some(Ok(f)) => Some(f.token_policy.summary().map_or_else(
                || "Token policy: none. Tokens may last up to 24 months, or never expire.".to_owned(),
                |s| format!("Token policy: {s}"),
            )),
            _ => None,
        })
    };
    let rows = move || {
        loaded(found.get(), |f| {
            if f.users.is_empty() && f.page > 1 {
                let first = users_href(&search.get_untracked(), 1);
                return view! {
                    <p class="empty-state">"This page is past the last one. " <a href=first>"Go to the first page"</a></p>
                }
                .into_any();
            }
            if f.users.is_empty() {
                return view! { <p class="empty-state">"No users match this search."</p> }.into_any();
            }
            let summary = range_text(f.page, f.page_size, f.users.len(), f.total);
            let before = (f.page > 1).then(|| users_href(&search.get_untracked(), f.page - 1));
            let after = (f.page * f.page_size < f.total).then(|| users_href(&search.get_untracked(), f.page + 1));
            let now = f.now;
            view! {
                <table class="tokens users-table">
                    <thead>
                        <tr>
                            <th scope="col">"Username"</th>
                            <th scope="col">"Display name"</th>
                            <th scope="col">"Groups"</th>
                            <th scope="col">"Active tokens"</th>
                            <th scope="col">"Last sign-in"</th>
                            <th scope="col">"Status"</th>
                        </tr>
                    </thead>
                    <tbody>{f.users.into_iter().map(|u| view! { <UserRow user=u now=now/> }).collect_view()}</tbody>
                </table>
                <nav class="pager" aria-label="Pages of users">
                    <span class="muted">{summary}</span>
                    {before.map(|href| view! { <a class="button" href=href rel="prev">"Previous page"</a> })}
                    {after.map(|href| view! { <a class="button" href=href rel="next">"Next page"</a> })}
                </nav>
            }
            .into_any()
        })
    };

    view! {
        <section class="card" aria-labelledby="users-heading">
            <AdminTabs current="Users"/>
            <div class="section-header">
                <h1 id="users-heading">"Users"</h1>
                <button type="button" class="button primary" on:click=move |_| creating.set(true)>"+ Create user"</button>
            </div>
            <p class="muted">{policy}</p>
            <form class="search" role="search" on:submit=on_search>
                <div class="field">
                    <label for="user-search">"Search users"</label>
                    <input
                        id="user-search"
                        type="search"
                        autocomplete="off"
                        placeholder="Username, name or email"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button">"Search"</button>
            </form>
            {rows}
            <Show when=move || creating.get()>
                <CreateUserDialog
                    on_created=Callback::new(move |()| created.update(|n| *n += 1))
                    on_close=Callback::new(move |()| creating.set(false))
                />
            </Show>
        </section>
    }
}

#[component]
fn UserRow(user: AdminUserView, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let href = format!("/admin/users/{}", user.username);
    let groups = if user.groups.is_empty() {
        view! { <span class="muted">"None"</span> }.into_any()
    } else {
        user.groups.join(", ").into_any()
    };
    let last = match user.last_signed_in_at {
        Some(t) => view! { <time datetime=t.to_rfc3339() title=exact_local(t)>{relative(t, now)}</time> }.into_any(),
        None => view! { <span class="muted">"Never"</span> }.into_any(),
    };
    view! {
        <tr class:expired=!user.active>
            <td class="token-name"><a href=href>{user.username.clone()}</a></td>
            <td data-label="Display name">{user.display_name}</td>
            <td data-label="Groups">{groups}</td>
            <td data-label="Active tokens">{user.active_tokens}</td>
            <td data-label="Last sign-in">{last}</td>
            <td data-label="Status">
                {if user.active { "Active" } else { "Deactivated" }}
                {user.admin.then(|| view! { <span class="badge badge-current">"Administrator"</span> })}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_say_which_users_they_show() {
        assert_eq!(range_text(1, 25, 25, 60), "Users 1–25 of 60");
        assert_eq!(range_text(3, 25, 10, 60), "Users 51–60 of 60");
        assert_eq!(range_text(1, 25, 0, 0), "No users match.");
    }
}
