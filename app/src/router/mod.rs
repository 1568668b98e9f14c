//! Navigation inside the client: the address it shows, links followed without reloading the
//! page, the history's back and forward, and redirects. Written for Tessera's few routes
//! (`routes`), small enough that it weighs little in the main module.
//!
//! A link is followed in the client when it is a plain click on `<a href="/…">` whose path is
//! one of the client's routes; any other link (the sign-in page, the REST API, a new tab, a
//! download) is left to the browser.

mod address;
mod routes;

use leptos::prelude::*;
use wasm_bindgen::{JsCast as _, JsValue};

pub use address::{Address, Query, percent_decode};
pub use routes::{Page, Route};

/// The address the client shows, provided at the root; `Copy`, so closures hold it freely.
#[derive(Debug, Clone, Copy)]
pub struct Router {
    address: RwSignal<Address>,
    route: Memo<Route>,
    query: Memo<Query>,
    /// A followed link leads to another page: scroll once that page is shown.
    scroll_when_shown: StoredValue<bool>,
}

/// The address of the page, as the browser has it now.
fn current_address() -> Address {
    let location = window().location();
    Address {
        path: location.pathname().unwrap_or_default(),
        search: location.search().unwrap_or_default(),
        hash: location.hash().unwrap_or_default(),
    }
}

/// Starts navigation for the whole client: follows links, listens to back and forward, and
/// replaces an address that stands for another.
pub fn provide_router() -> Router {
    let address = RwSignal::new(current_address());
    let route = Memo::new(move |_| address.with(|a| Route::of(&a.path)));
    let query = Memo::new(move |_| address.with(|a| Query::parse(&a.search)));
    let router = Router {
        address,
        route,
        query,
        scroll_when_shown: StoredValue::new(false),
    };
    provide_context(router);
    Effect::new(move || {
        if let Route::Redirect(to) = route.get() {
            router.replace(to);
        }
    });
    let clicks = window_event_listener(leptos::ev::click, move |ev| router.follow_link(&ev));
    let history = window_event_listener(leptos::ev::popstate, move |_| address.set(current_address()));
    on_cleanup(move || {
        clicks.remove();
        history.remove();
    });
    router
}

impl Router {
    /// The router provided at the root.
    pub fn expect() -> Self {
        expect_context()
    }

    /// What the address shows.
    pub fn route(self) -> Memo<Route> {
        self.route
    }

    /// The address's query parameters.
    pub fn query(self) -> Memo<Query> {
        self.query
    }

    /// Path and query of the address now, without tracking it.
    pub fn here(self) -> String {
        self.address.with_untracked(|a| format!("{}{}", a.path, a.search))
    }

    /// Shows `href`, as a new entry of the history.
    pub fn go(self, href: &str) {
        self.navigate(href, false);
    }

    /// Shows `href` in place of the current entry of the history.
    pub fn replace(self, href: &str) {
        self.navigate(href, true);
    }

    fn navigate(self, href: &str, replace: bool) {
        let Some(next) = Address::parse(href) else {
            leave_for(href);
            return;
        };
        let (href, route) = match Route::of(&next.path) {
            Route::NotFound => {
                leave_for(href);
                return;
            }
            // A link to an address that stands for another goes straight to that one.
            Route::Redirect(to) => (to, Route::of(to)),
            route => (href, route),
        };
        // Following a link to the address already shown adds no entry to the history.
        let replace = replace || self.address.with_untracked(|a| a.href() == href);
        let written = window().history().and_then(|history| {
            if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(href))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(href))
            }
        });
        if let Err(error) = written {
            leptos::logging::error!("could not change the address to {href}: {error:?}");
            return;
        }
        let same_page = self.route.with_untracked(|shown| shown.page() == route.page());
        // The browser's own reading of the address (percent-encoding, dot segments), as
        // back and forward give it.
        self.address.set(current_address());
        if same_page {
            scroll_into_place();
        } else {
            self.scroll_when_shown.set_value(true);
        }
    }

    /// Called once the page the address shows is on screen: scrolls as a followed link asks.
    pub fn page_shown(self) {
        if self.scroll_when_shown.get_value() {
            self.scroll_when_shown.set_value(false);
            request_animation_frame(scroll_into_place);
        }
    }

    /// Follows a clicked link in the client when it is one of the client's routes, opened in
    /// this tab without a modifier key.
    fn follow_link(self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let elsewhere = link
            .get_attribute("target")
            .is_some_and(|t| !t.is_empty() && t != "_self")
            || link.has_attribute("download")
            || link
                .get_attribute("rel")
                .is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
        if elsewhere {
            return;
        }
        let Some(href) = link.get_attribute("href") else {
            return;
        };
        if Address::parse(&href).is_some_and(|a| Route::of(&a.path) != Route::NotFound) {
            ev.prevent_default();
            self.go(&href);
        }
    }
}

/// Loads `href` in place of the client: it is not one of the client's pages.
fn leave_for(href: &str) {
    if let Err(error) = window().location().assign(href) {
        leptos::logging::error!("could not open {href}: {error:?}");
    }
}

/// After a followed link: to the element the fragment names, if the page has it, else to the
/// top.
fn scroll_into_place() {
    let hash = window().location().hash().unwrap_or_default();
    let target = hash
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document().get_element_by_id(&percent_decode(id)));
    match target {
        Some(element) => element.scroll_into_view(),
        None => window().scroll_to_with_x_and_y(0.0, 0.0),
    }
}
