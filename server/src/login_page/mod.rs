//! `/login`, the sign-in page, written by the server as plain HTML: the first page a person
//! sees needs no script and no wasm, only itself and the stylesheet, and every password
//! manager knows what to do with it.
//!
//! The form posts back to the address it was shown at, `?next=` included, and only from our
//! own pages (as server functions, see `security::is_same_origin`). A right password starts
//! the session and answers 303 to `next` (a path on this site, see `next::safe_next`) or My
//! profile; a refusal shows the form again, the username kept and the password never echoed,
//! with the message by the field it belongs to or at the top. Sign-in itself is
//! `sessions::sign_in`, shared with the `sign_in` server function. No copy of the page is
//! stored (`no-store`), so going back to it never shows what was typed.
//!
//! While the person types, the page prefetches at idle priority what My profile will need: the
//! client's main module (the files `index.html` preloads) and the account's split with the code
//! it shares (named by `index.html`'s `tessera-after-sign-in` meta tag, which
//! `scripts/split-client.sh` writes), so the page after sign-in starts from the cache.

mod html;
mod next;

use std::sync::Arc;

use app::backend::security_log::Origin;
use app::backend::{AppState, ClientAddr, sessions};
use app::error::AppError;
use app::server_fns::Secret;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;
use tower_sessions::Session;

use crate::hosts::AllowedHosts;
use crate::index_page::{self, IndexPage, Page};
use crate::security;

/// What the sign-in page takes from the client's page (its stylesheet, and the files to
/// prefetch), and the form with nothing typed, ready in every encoding.
#[derive(Debug)]
pub(crate) struct LoginShell {
    /// Tags for the page's `<head>`.
    head: String,
    blank: Page,
    /// The page runs no script: the policy allows none inline.
    csp: HeaderValue,
}

impl LoginShell {
    /// The sign-in page for the client page `index` (none: the client is not built, and the
    /// page goes without a stylesheet).
    pub(crate) fn new(index: Option<&str>) -> Self {
        let head = index.map(html::head_of).unwrap_or_default();
        let blank = Page::new(html::render(&head, "", None).into_bytes(), None);
        Self {
            head,
            blank,
            csp: security::content_security_policy(""),
        }
    }
}

/// What the sign-in page's handlers need.
#[derive(Clone)]
pub(crate) struct SignInPage {
    pub(crate) state: AppState,
    pub(crate) page: Arc<IndexPage>,
    /// The origins the form may be posted from.
    pub(crate) allowed: Arc<AllowedHosts>,
}

/// The `?next=` of the sign-in page's address: where to go once signed in.
#[derive(Debug, Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// Where to send someone signed in: `next` when it is a path on this site, else My profile.
/// An address whose query cannot be read counts as having no `next`.
fn destination(next: Result<Query<Next>, QueryRejection>) -> String {
    next::safe_next(next.ok().and_then(|Query(n)| n.next).as_deref())
}

/// What the form sends. A missing field is an empty one, refused with a message by it.
#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: Secret,
}

/// `GET /login`: the form, or, for someone already signed in, a redirect to where they were
/// going.
pub(crate) async fn get_sign_in_page(
    State(page): State<SignInPage>,
    session: Session,
    next: Result<Query<Next>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    if sessions::current_user(&page.state, &session)
        .await
        .ok()
        .flatten()
        .is_some()
    {
        return see_other(&destination(next));
    }
    let loaded = page.page.current();
    let shell = &loaded.login;
    index_page::respond(&shell.blank, shell.csp.clone(), "no-store", &headers)
}

/// `POST /login`: signs in and redirects, or shows the form again with the refusal.
pub(crate) async fn post_sign_in_form(
    State(page): State<SignInPage>,
    session: Session,
    next: Result<Query<Next>, QueryRejection>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let loaded = page.page.current();
    let shell = &loaded.login;
    if !security::is_same_origin(&headers, &page.allowed) {
        tracing::warn!("refused a sign-in form posted from another site");
        return refused(shell, "", &AppError::Forbidden);
    }
    let Ok(Form(form)) = form else {
        let error = AppError::invalid(
            "request",
            "The sign-in form was not sent as a form. Reload the page and try again.",
        );
        return refused(shell, "", &error);
    };
    let agent = headers.get(header::USER_AGENT).map(HeaderValue::as_bytes);
    let origin = Origin::new(client.map(|Extension(ClientAddr(ip))| ip), agent);
    let password = form.password.into_inner();
    match sessions::sign_in(&page.state, &session, &form.username, password, &origin).await {
        Ok(_) => see_other(&destination(next)),
        Err(error) => refused(shell, &form.username, &AppError::from(error)),
    }
}

/// A 303 to `path`, a path on this site (written as a `Location` by `next::location`).
fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    out.insert(header::LOCATION, next::location(path));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The form again, with `username` kept and `error` shown; answered with the error's status
/// (and `Retry-After` when it says to wait).
fn refused(shell: &LoginShell, username: &str, error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Html(html::render(&shell.head, username, Some(error)))).into_response();
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out.insert(header::CONTENT_SECURITY_POLICY, shell.csp.clone());
    if let Some(secs) = error.retry_after_secs() {
        out.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}
