//! The pages a visitor to `/login` never needs, loaded with their WebAssembly code the first
//! time one of them is entered. `scripts/split-client.sh` cuts that code out of the built
//! client at two split points, one per `#[lazy]` function here: the account's pages (My profile,
//! Edit your profile, Data, Security log) and the administrators' pages. A page then needs at
//! most three files besides the main module: its group's, and the code both groups share. The
//! layout and the contexts stay in the main module; the sign-in page is the server's.
//!
//! None of these pages loads data before its view: each page starts its own `Resource`s.

use leptos::lazy;
use leptos::prelude::*;

use super::{AdminGroupsPage, AdminUserPage, AdminUsersPage, DataPage, EditProfilePage, ProfilePage, SecurityLogPage};
use crate::router::{Address, Page, Route};

/// A page of the account's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AccountPage {
    Profile,
    EditProfile,
    Data,
    SecurityLog,
}

/// A page of the administrators' split.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AdminPage {
    Users,
    /// A user's page, by username.
    User(String),
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
        AdminPage::User(username) => view! { <AdminUserPage username/> }.into_any(),
        AdminPage::Groups => view! { <AdminGroupsPage/> }.into_any(),
    }
}

/// One of the two splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    Account,
    Admin,
}

impl Split {
    /// Fetches the split's code without showing a page of it.
    async fn preload(self) {
        match self {
            Self::Account => __preload_account_page().await,
            Self::Admin => __preload_admin_page().await,
        }
    }
}

impl Page {
    /// Fetches the code of this page, once.
    pub async fn load(&self) {
        self.split().preload().await;
    }

    /// The split whose code shows this page.
    fn split(&self) -> Split {
        match self {
            Page::Profile | Page::EditProfile | Page::Data | Page::SecurityLog => Split::Account,
            Page::AdminUsers | Page::AdminUser(_) | Page::AdminGroups => Split::Admin,
        }
    }
}

/// The view of `page`, once its split's code is here (at once when it already is).
pub async fn page_view(page: Page) -> AnyView {
    match page {
        Page::Profile => account_page(AccountPage::Profile).await,
        Page::EditProfile => account_page(AccountPage::EditProfile).await,
        Page::Data => account_page(AccountPage::Data).await,
        Page::SecurityLog => account_page(AccountPage::SecurityLog).await,
        Page::AdminUsers => admin_page(AdminPage::Users).await,
        Page::AdminUser(username) => admin_page(AdminPage::User(username)).await,
        Page::AdminGroups => admin_page(AdminPage::Groups).await,
    }
}

/// The split the page a link leads to is in, if any.
fn split_of(href: &str) -> Option<Split> {
    let address = Address::parse(href)?;
    Route::of(&address.path).page().map(Page::split)
}

/// Fetches the code of the page a link leads to as soon as the pointer is over the link or it
/// gets the keyboard's focus, so that the click usually finds the page loaded. Each split is
/// fetched once; a failed fetch is left for the navigation to report.
pub fn preload_on_intent() {
    let started = StoredValue::new(Vec::<Split>::new());
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
        if started.with_value(|s| s.contains(&split)) {
            return;
        }
        started.update_value(|s| s.push(split));
        leptos::task::spawn_local(split.preload());
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
    use super::{Split, split_of};

    #[test]
    fn links_are_told_apart_by_the_split_of_the_page_they_lead_to() {
        for account in [
            "/profile",
            "/profile/edit#tokens",
            "/data?kind=entities&token=7",
            "/profile/security",
        ] {
            assert_eq!(split_of(account), Some(Split::Account), "{account}");
        }
        for admin in ["/admin/users?q=dana", "/admin/users/dana", "/admin/groups"] {
            assert_eq!(split_of(admin), Some(Split::Admin), "{admin}");
        }
        for not_lazy in ["/login", "/", "/profile/editor", "/api/v1/me", "/admin"] {
            assert_eq!(split_of(not_lazy), None, "{not_lazy}");
        }
    }
}
