//! `/login`, the sign-in page, written by the server as plain HTML: the first page a person
//! sees needs no script and no wasm, only itself and the stylesheet, and every password
//! manager knows what to do with it.
//!
//! The form posts back to the address it was shown at, `?next=` included. A right password
//! starts the session and answers 303 to `next` (a path on this site, see `safe_next`) or My
//! profile; a refusal shows the form again, the username kept and the password emptied, with
//! the message by the field it belongs to or at the top. Sign-in itself is
//! `sessions::sign_in`, shared with the `sign_in` server function.
//!
//! While the person types, the page prefetches at idle priority what My profile will need: the
//! client's main module (the files `index.html` preloads) and the account's split with the code
//! it shares (named by `index.html`'s `tessera-after-sign-in` meta tag, which
//! `scripts/split-client.sh` writes), so the page after sign-in starts from the cache.

use std::fmt::Write as _;
use std::sync::Arc;

use app::backend::security_log::Origin;
use app::backend::{AppState, ClientAddr, sessions};
use app::error::AppError;
use app::navigation::safe_next;
use app::server_fns::Secret;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;
use tower_sessions::Session;

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
        let head = index.map(head_of).unwrap_or_default();
        let blank = Page::new(render(&head, "", None).into_bytes(), None);
        Self {
            head,
            blank,
            csp: security::content_security_policy(""),
        }
    }
}

/// The `?next=` of the sign-in page's address: where to go once signed in.
#[derive(Debug, Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// Where to send someone signed in: `next` when it is a path on this site, else My profile.
/// An address whose query cannot be read counts as having no `next`.
fn destination(next: Result<Query<Next>, QueryRejection>) -> String {
    safe_next(next.ok().and_then(|Query(n)| n.next).as_deref())
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
pub(crate) async fn show(
    State((state, index)): State<(AppState, Arc<IndexPage>)>,
    session: Session,
    next: Result<Query<Next>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    if sessions::current_user(&state, &session).await.ok().flatten().is_some() {
        return see_other(&destination(next));
    }
    let loaded = index.current();
    index_page::respond(&loaded.login.blank, loaded.login.csp.clone(), &headers)
}

/// `POST /login`: signs in and redirects, or shows the form again with the refusal.
pub(crate) async fn submit(
    State((state, index)): State<(AppState, Arc<IndexPage>)>,
    session: Session,
    next: Result<Query<Next>, QueryRejection>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let loaded = index.current();
    let Ok(Form(form)) = form else {
        let error = AppError::invalid(
            "request",
            "The sign-in form was not sent as a form. Reload the page and try again.",
        );
        return refused(&loaded.login, "", &error);
    };
    let agent = headers.get(header::USER_AGENT).map(HeaderValue::as_bytes);
    let origin = Origin::new(client.map(|Extension(ClientAddr(ip))| ip), agent);
    let password = form.password.into_inner();
    match sessions::sign_in(&state, &session, &form.username, password, &origin).await {
        Ok(_) => see_other(&destination(next)),
        Err(error) => refused(&loaded.login, &form.username, &AppError::from(error)),
    }
}

/// A 303 to `path`, a path on this site.
fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(path) {
        out.insert(header::LOCATION, location);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The form again, with `username` kept and `error` shown; answered with the error's status
/// (and `Retry-After` when it says to wait).
fn refused(shell: &LoginShell, username: &str, error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Html(render(&shell.head, username, Some(error)))).into_response();
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out.insert(header::CONTENT_SECURITY_POLICY, shell.csp.clone());
    if let Some(secs) = error.retry_after_secs() {
        out.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// The `<head>` tags taken from the client's page: its stylesheets as they are, and a
/// prefetch of each file it preloads (the main module and its scripts) and of each file its
/// `tessera-after-sign-in` meta tag names (what My profile needs beyond the main module).
fn head_of(index: &str) -> String {
    let mut head = String::new();
    let mut prefetch = |href: &str| {
        let _ = write!(
            head,
            r#"<link rel="prefetch" href="{}" crossorigin="anonymous">"#,
            escape(href)
        );
    };
    let mut stylesheets = String::new();
    for tag in tags(index, "<link ") {
        match attribute(tag, "rel") {
            Some("stylesheet") => stylesheets.push_str(tag),
            Some("modulepreload" | "preload") => attribute(tag, "href").into_iter().for_each(&mut prefetch),
            _ => {}
        }
    }
    for tag in tags(index, "<meta ") {
        if attribute(tag, "name") == Some("tessera-after-sign-in") {
            attribute(tag, "content")
                .unwrap_or_default()
                .split_whitespace()
                .for_each(&mut prefetch);
        }
    }
    stylesheets + &head
}

/// Each tag of `html` that starts with `open` (such as `<link `), whole.
fn tags<'a>(html: &'a str, open: &'a str) -> impl Iterator<Item = &'a str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        let start = rest.find(open)?;
        let len = rest[start..].find('>')? + 1;
        let tag = &rest[start..start + len];
        rest = &rest[start + len..];
        Some(tag)
    })
}

/// The value of the double-quoted attribute `name` in `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Text for HTML content or a double-quoted attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The sign-in page: `head` from the client's page, `username` as typed, and the last
/// attempt's refusal, if any. Focus starts where the client's forms put it after a refusal: on
/// the message at the top, else on the first field refused, else on the username.
fn render(head: &str, username: &str, refusal: Option<&AppError>) -> String {
    let at = |field: &str| refusal.filter(|e| e.field() == Some(field)).map(ToString::to_string);
    let (username_error, password_error) = (at("username"), at("password"));
    let alert = refusal
        .filter(|e| !matches!(e.field(), Some("username" | "password")))
        .map(ToString::to_string);
    let focus_password = alert.is_none() && username_error.is_none() && password_error.is_some();
    let mut html = String::with_capacity(2048);
    let _ = write!(
        html,
        concat!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">"#,
            r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
            r#"<meta name="color-scheme" content="light dark"><title>Sign in · Tessera</title>"#,
            r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">{head}</head>"#,
            r#"<body><main class="centered"><form class="card narrow" method="post" novalidate>"#,
            r#"<div class="brand brand-large"><img src="/logo.svg" alt="" width="36" height="36">"#,
            r#"<span>Tessera</span></div><h1>Sign in</h1>"#
        ),
        head = head
    );
    if let Some(message) = &alert {
        let _ = write!(
            html,
            r#"<p class="alert" role="alert" tabindex="-1" autofocus>{}</p>"#,
            escape(message)
        );
    }
    let username_focus = alert.is_none() && !focus_password;
    field(
        &mut html,
        Field {
            id: "username",
            label: "Username",
            kind: "text",
            autocomplete: "username",
            value: username,
            error: username_error.as_deref(),
            autofocus: username_focus,
        },
    );
    field(
        &mut html,
        Field {
            id: "password",
            label: "Password",
            kind: "password",
            autocomplete: "current-password",
            value: "",
            error: password_error.as_deref(),
            autofocus: focus_password,
        },
    );
    html.push_str(concat!(
        r#"<button class="button primary wide" type="submit">Sign in</button>"#,
        "</form></main></body></html>"
    ));
    html
}

/// One labelled input of the form, marked up like the client's `TextField`.
struct Field<'a> {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: &'a str,
    error: Option<&'a str>,
    autofocus: bool,
}

fn field(html: &mut String, f: Field<'_>) {
    let id = f.id;
    let _ = write!(
        html,
        r#"<div class="field"><label for="{id}">{}</label><input id="{id}" name="{id}" type="{}" autocomplete="{}" required"#,
        f.label, f.kind, f.autocomplete
    );
    if !f.value.is_empty() {
        let _ = write!(html, r#" value="{}""#, escape(f.value));
    }
    if f.autofocus {
        html.push_str(" autofocus");
    }
    match f.error {
        Some(message) => {
            let _ = write!(
                html,
                r#" aria-invalid="true" aria-describedby="{id}-error"><p class="field-error" id="{id}-error">{}</p></div>"#,
                escape(message)
            );
        }
        None => html.push_str(r#" aria-invalid="false"></div>"#),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = concat!(
        r#"<html><head><link rel="icon" href="/favicon.svg">"#,
        r#"<link rel="stylesheet" href="/main-1a.css" integrity="sha384-x" crossorigin="anonymous"/>"#,
        r#"<link rel="modulepreload" href="/app-2b.js" crossorigin="anonymous" integrity="sha384-y">"#,
        r#"<link rel="preload" href="/app-2b_bg.wasm" as="fetch" type="application/wasm">"#,
        r#"<meta name="tessera-after-sign-in" content="/split_account_page_7-3c.wasm /chunk_1-4d.wasm">"#,
        r#"<script type="module">import init from '/app-2b.js';</script></head></html>"#
    );

    #[test]
    fn the_head_keeps_the_stylesheet_and_prefetches_what_the_client_preloads_and_names_for_after_sign_in() {
        let head = head_of(INDEX);
        assert_eq!(
            head,
            concat!(
                r#"<link rel="stylesheet" href="/main-1a.css" integrity="sha384-x" crossorigin="anonymous"/>"#,
                r#"<link rel="prefetch" href="/app-2b.js" crossorigin="anonymous">"#,
                r#"<link rel="prefetch" href="/app-2b_bg.wasm" crossorigin="anonymous">"#,
                r#"<link rel="prefetch" href="/split_account_page_7-3c.wasm" crossorigin="anonymous">"#,
                r#"<link rel="prefetch" href="/chunk_1-4d.wasm" crossorigin="anonymous">"#,
            )
        );
        assert_eq!(head_of("<html><body>no links</body></html>"), "");
    }

    #[test]
    fn what_was_typed_and_every_message_are_escaped() {
        let error = AppError::invalid("username", "<b>\"bad\"</b>");
        let html = render("", "\"><script>alert(1)</script>", Some(&error));
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains(r#"value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
            "{html}"
        );
    }

    #[test]
    fn focus_starts_at_what_to_fix() {
        let autofocused = |html: &str| {
            let at = html.find(" autofocus").expect("something is autofocused");
            let tag = html[..at].rfind('<').expect("a tag");
            html[tag..at].split_whitespace().collect::<Vec<_>>().join(" ")
        };
        assert!(autofocused(&render("", "", None)).starts_with(r#"<input id="username""#));
        let html = render("", "alice", Some(&AppError::BadCredentials));
        assert!(autofocused(&html).starts_with(r#"<p class="alert""#), "{html}");
        let html = render(
            "",
            "alice",
            Some(&AppError::invalid("password", "Enter your password.")),
        );
        assert!(autofocused(&html).starts_with(r#"<input id="password""#), "{html}");
        assert_eq!(html.matches(" autofocus").count(), 1, "{html}");
        assert!(html.contains(
            r#"aria-describedby="password-error"><p class="field-error" id="password-error">Enter your password.</p>"#
        ));
    }
}
