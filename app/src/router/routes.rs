//! The client's one route table: which page an address shows. The layout, the lazy loading of
//! pages and the preloading of a link's code all ask `Route::of`.

use super::address::percent_decode;

/// A page of the client; all of them are shown in the signed-in layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/profile`.
    Profile,
    /// `/profile/edit`, with the token, password and session dialogs.
    EditProfile,
    /// `/data`.
    Data,
    /// `/profile/security`.
    SecurityLog,
    /// `/admin/users`.
    AdminUsers,
    /// `/admin/users/NAME`, with the name decoded.
    AdminUser(String),
    /// `/admin/groups`.
    AdminGroups,
}

/// What an address shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// One of the client's pages.
    Page(Page),
    /// An address that stands for another, replaced in the history by that one.
    Redirect(&'static str),
    /// Not the client's: "Page not found" when the server sent the client for it, and a link
    /// to it is left to the browser (the sign-in page, the REST API, files).
    NotFound,
}

impl Route {
    /// The route of a path (no query, no fragment); one trailing slash makes no difference.
    pub fn of(path: &str) -> Self {
        let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
        let page = match path {
            "/" => return Self::Redirect("/profile"),
            "/admin" => return Self::Redirect("/admin/users"),
            "/profile" => Page::Profile,
            "/profile/edit" => Page::EditProfile,
            "/data" => Page::Data,
            "/profile/security" => Page::SecurityLog,
            "/admin/users" => Page::AdminUsers,
            "/admin/groups" => Page::AdminGroups,
            _ => match path.strip_prefix("/admin/users/") {
                Some(name) if !name.is_empty() && !name.contains('/') => Page::AdminUser(percent_decode(name)),
                _ => return Self::NotFound,
            },
        };
        Self::Page(page)
    }

    /// The page shown, if any.
    pub fn page(&self) -> Option<&Page> {
        match self {
            Self::Page(page) => Some(page),
            Self::Redirect(_) | Self::NotFound => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Page, Route};

    #[test]
    fn every_page_has_its_address() {
        for (path, page) in [
            ("/profile", Page::Profile),
            ("/profile/", Page::Profile),
            ("/profile/edit", Page::EditProfile),
            ("/data", Page::Data),
            ("/profile/security", Page::SecurityLog),
            ("/admin/users", Page::AdminUsers),
            ("/admin/users/", Page::AdminUsers),
            ("/admin/users/dana", Page::AdminUser("dana".to_owned())),
            ("/admin/users/d%C3%A1na.x", Page::AdminUser("dána.x".to_owned())),
            ("/admin/groups", Page::AdminGroups),
        ] {
            assert_eq!(Route::of(path), Route::Page(page), "{path}");
        }
    }

    #[test]
    fn the_root_and_the_admin_area_stand_for_their_first_page() {
        assert_eq!(Route::of("/"), Route::Redirect("/profile"));
        assert_eq!(Route::of("/admin"), Route::Redirect("/admin/users"));
    }

    #[test]
    fn other_addresses_are_not_the_clients() {
        for path in [
            "",
            "/login",
            "/logout",
            "/api/v1/me",
            "/profile//",
            "/profile/editor",
            "/admin/users/dana/tokens",
            "/admin/groupsx",
            "/PROFILE",
        ] {
            assert_eq!(Route::of(path), Route::NotFound, "{path}");
        }
    }
}
