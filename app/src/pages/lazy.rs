//! The pages a visitor to `/login` never needs, loaded with their WebAssembly code the first
//! time one of them is entered. `scripts/split-client.sh` cuts that code out of the built
//! client at two split points, one per `#[lazy]` function here: the account's pages (My profile,
//! Edit your profile, Data, Security log) and the administrators' pages. A page then needs at
//! most three files besides the main module: its group's, and the code both groups share. The
//! sign-in page, the layout and the contexts stay in the main module.
//!
//! None of these routes loads data before its view: each page starts its own `Resource`s.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::{AdminGroupsPage, AdminUserPage, AdminUsersPage, DataPage, EditProfilePage, ProfilePage, SecurityLogPage};

/// A page of the account's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AccountPage {
    Profile,
    EditProfile,
    Data,
    SecurityLog,
}

/// A page of the administrators' split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdminPage {
    Users,
    User,
    Groups,
}

#[lazy]
fn account_page(page: AccountPage) -> AnyView {
    match page {
        AccountPage::Profile => view! { <ProfilePage/> }.into_any(),
        AccountPage::EditProfile => view! { <EditProfilePage/> }.into_any(),
        AccountPage::Data => view! { <DataPage/> }.into_any(),
        AccountPage::SecurityLog => view! { <SecurityLogPage/> }.into_any(),
    }
}

#[lazy]
fn admin_page(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Users => view! { <AdminUsersPage/> }.into_any(),
        AdminPage::User => view! { <AdminUserPage/> }.into_any(),
        AdminPage::Groups => view! { <AdminGroupsPage/> }.into_any(),
    }
}

/// Fetches the account's pages' code without showing one.
async fn preload_account() {
    __preload_account_page().await;
}

/// Fetches the administrators' pages' code without showing one.
async fn preload_admin() {
    __preload_admin_page().await;
}

/// Declares a route whose view is `$page` of the split `$split`.
macro_rules! lazy_route {
    ($(#[$doc:meta])* $route:ident, $split:ident($page:expr), $preload:ident) => {
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $split($page).await
            }

            async fn preload() {
                $preload().await;
            }
        }
    };
}

lazy_route!(
    /// `/profile`.
    ProfileRoute, account_page(AccountPage::Profile), preload_account
);
lazy_route!(
    /// `/profile/edit`, with the token, password and session dialogs.
    EditProfileRoute, account_page(AccountPage::EditProfile), preload_account
);
lazy_route!(
    /// `/data`.
    DataRoute, account_page(AccountPage::Data), preload_account
);
lazy_route!(
    /// `/profile/security`.
    SecurityLogRoute, account_page(AccountPage::SecurityLog), preload_account
);
lazy_route!(
    /// `/admin/users`.
    AdminUsersRoute, admin_page(AdminPage::Users), preload_admin
);
lazy_route!(
    /// `/admin/users/NAME`.
    AdminUserRoute, admin_page(AdminPage::User), preload_admin
);
lazy_route!(
    /// `/admin/groups`.
    AdminGroupsRoute, admin_page(AdminPage::Groups), preload_admin
);

/// The split a link's page is in: 1 for the account's pages, 2 for the administrators'.
fn split_of(path: &str) -> Option<u8> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    match path {
        "/profile" | "/profile/edit" | "/data" | "/profile/security" => Some(1),
        "/admin/users" | "/admin/groups" => Some(2),
        _ if path.starts_with("/admin/users/") => Some(2),
        _ => None,
    }
}

/// Fetches the code of the page a link leads to as soon as the pointer is over the link or it
/// gets the keyboard's focus, so that the click usually finds the page loaded. Each split is
/// fetched once; a failed fetch is left for the navigation to report.
pub fn preload_on_intent() {
    let started = StoredValue::new(0_u8);
    let intent = move |target: Option<web_sys::EventTarget>| {
        use wasm_bindgen::JsCast as _;
        let Some(link) = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href^='/']").ok().flatten())
        else {
            return;
        };
        let Some(split) = link.get_attribute("href").as_deref().and_then(split_of) else {
            return;
        };
        if started.get_value() & split != 0 {
            return;
        }
        started.update_value(|s| *s |= split);
        leptos::task::spawn_local(async move {
            if split == 1 {
                preload_account().await;
            } else {
                preload_admin().await;
            }
        });
    };
    let pointer = window_event_listener(leptos::ev::pointerover, move |ev| intent(ev.target()));
    let focus = window_event_listener(leptos::ev::focusin, move |ev| intent(ev.target()));
    on_cleanup(move || {
        pointer.remove();
        focus.remove();
    });
}

#[cfg(test)]
mod tests {
    use super::split_of;

    #[test]
    fn links_are_told_apart_by_the_split_of_the_page_they_lead_to() {
        for account in [
            "/profile",
            "/profile/edit#tokens",
            "/data?kind=entities&token=7",
            "/profile/security",
        ] {
            assert_eq!(split_of(account), Some(1), "{account}");
        }
        for admin in ["/admin/users?q=dana", "/admin/users/dana", "/admin/groups"] {
            assert_eq!(split_of(admin), Some(2), "{admin}");
        }
        for not_lazy in ["/login", "/", "/profile/editor", "/api/v1/me", "/admin"] {
            assert_eq!(split_of(not_lazy), None, "{not_lazy}");
        }
    }
}
