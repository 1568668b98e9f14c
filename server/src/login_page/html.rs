//! The sign-in page's markup: the `<head>` tags taken from the client's page, and the form,
//! marked up like the client's own fields so the same stylesheet and checks apply.

use std::fmt::Write as _;

use app::error::AppError;

/// The `<head>` tags taken from the client's page: its stylesheets as they are, and a
/// prefetch of each file it preloads (the main module and its scripts) and of each file its
/// `tessera-after-sign-in` meta tag names (what My profile needs beyond the main module).
pub(super) fn head_of(index: &str) -> String {
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
pub(super) fn render(head: &str, username: &str, refusal: Option<&AppError>) -> String {
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
            r#"<div class="brand brand-large"><span class="brand-mark">{logo}</span>"#,
            r#"<span>Tessera</span></div><h1>Sign in</h1>"#
        ),
        head = head,
        logo = app::brand::LOGO_SVG
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
