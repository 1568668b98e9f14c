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

/// The lazily loaded pages, as bits of a set.
fn route_bit(path: &str) -> Option<u8> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    Some(match path {
        "/profile" => 1,
        "/profile/edit" => 1 << 1,
        "/data" => 1 << 2,
        "/profile/security" => 1 << 3,
        "/admin/users" => 1 << 4,
        "/admin/groups" => 1 << 6,
        _ if path.starts_with("/admin/users/") => 1 << 5,
        _ => return None,
    })
}

/// Fetches the code of the page a link leads to as soon as the pointer is over the link or it
/// gets the keyboard's focus, so that the click usually finds the page loaded. Each page is
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
        let Some(bit) = link.get_attribute("href").as_deref().and_then(route_bit) else {
            return;
        };
        if started.get_value() & bit != 0 {
            return;
        }
        started.update_value(|s| *s |= bit);
        leptos::task::spawn_local(async move {
            match bit {
                1 => ProfileRoute::preload().await,
                2 => EditProfileRoute::preload().await,
                4 => DataRoute::preload().await,
                8 => SecurityLogRoute::preload().await,
                16 => AdminUsersRoute::preload().await,
                32 => AdminUserRoute::preload().await,
                _ => AdminGroupsRoute::preload().await,
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
    use super::route_bit;

    #[test]
    fn links_are_told_apart_by_the_page_they_lead_to() {
        assert_eq!(route_bit("/profile"), Some(1));
        assert_eq!(route_bit("/profile/edit#tokens"), Some(2));
        assert_eq!(route_bit("/data?kind=entities&token=7"), Some(4));
        assert_eq!(route_bit("/admin/users?q=dana"), Some(16));
        assert_eq!(route_bit("/admin/users/dana"), Some(32));
        assert_eq!(route_bit("/admin/groups"), Some(64));
        for not_lazy in ["/login", "/", "/profile/editor", "/api/v1/me", "/admin"] {
            assert_eq!(route_bit(not_lazy), None, "{not_lazy}");
        }
    }
}
