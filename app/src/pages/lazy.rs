//! The pages a visitor to `/login` never needs, each loaded with its own WebAssembly chunk the
//! first time its route is entered. `scripts/split-client.sh` cuts the chunks out of the built
//! client at the split points `#[lazy_route]` marks; the sign-in page, the layout and the
//! contexts stay in the main module.
//!
//! None of these routes loads data before its view: each page starts its own `Resource`s.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::{AdminGroupsPage, AdminUserPage, AdminUsersPage, DataPage, EditProfilePage, ProfilePage, SecurityLogPage};

/// `/profile`.
pub struct ProfileRoute;

#[lazy_route]
impl LazyRoute for ProfileRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <ProfilePage/> }.into_any()
    }
}

/// `/profile/edit`, with the token, password and session dialogs.
pub struct EditProfileRoute;

#[lazy_route]
impl LazyRoute for EditProfileRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <EditProfilePage/> }.into_any()
    }
}

/// `/data`.
pub struct DataRoute;

#[lazy_route]
impl LazyRoute for DataRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <DataPage/> }.into_any()
    }
}

/// `/profile/security`.
pub struct SecurityLogRoute;

#[lazy_route]
impl LazyRoute for SecurityLogRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <SecurityLogPage/> }.into_any()
    }
}

/// `/admin/users`.
pub struct AdminUsersRoute;

#[lazy_route]
impl LazyRoute for AdminUsersRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminUsersPage/> }.into_any()
    }
}

/// `/admin/users/NAME`.
pub struct AdminUserRoute;

#[lazy_route]
impl LazyRoute for AdminUserRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminUserPage/> }.into_any()
    }
}

/// `/admin/groups`.
pub struct AdminGroupsRoute;

#[lazy_route]
impl LazyRoute for AdminGroupsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminGroupsPage/> }.into_any()
    }
}
