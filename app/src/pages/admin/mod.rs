//! The admin area, for administrators only: Users (`/admin/users`), one user's account, groups
//! and tokens (`/admin/users/NAME`), and Groups (`/admin/groups`). Others see "Administrators
//! only" here, and the server refuses them every admin function.

mod create_user;
mod groups;
mod user;
mod users;

use leptos::prelude::*;

use crate::contexts::auth::Auth;

pub use groups::AdminGroupsPage;
pub use user::AdminUserPage;
pub use users::AdminUsersPage;

/// Shows `children` to administrators; "Administrators only" to everyone else.
#[component]
fn RequireAdmin(children: ChildrenFn) -> impl IntoView {
    let auth = Auth::expect();
    let is_admin = move || auth.user().with(|u| u.as_ref().is_some_and(|u| u.is_admin));
    view! {
        <Show
            when=is_admin
            fallback=|| view! {
                <section class="card" aria-labelledby="forbidden-heading">
                    <h1 id="forbidden-heading">"Administrators only"</h1>
                    <p>"Only administrators can see this page. Ask one if you need something changed."</p>
                    <a class="button primary" href="/profile">"Go to my profile"</a>
                </section>
            }
        >
            {children()}
        </Show>
    }
}

/// The admin area's own navigation: Users and Groups, the current one marked.
#[component]
fn AdminTabs(current: &'static str) -> impl IntoView {
    let tab = move |href: &'static str, name: &'static str| {
        view! {
            <a href=href class="admin-tab" aria-current=(name == current).then_some("page")>{name}</a>
        }
    };
    view! {
        <nav class="admin-tabs" aria-label="Administration">
            {tab("/admin/users", "Users")}
            {tab("/admin/groups", "Groups")}
        </nav>
    }
}

/// "1 token", "3 tokens".
fn tokens_count(n: u64) -> String {
    format!("{n} token{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(tokens_count(1), "1 token");
        assert_eq!(tokens_count(0), "0 tokens");
    }
}
