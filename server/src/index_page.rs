//! `index.html`, the page every route of the client starts from (`/`, `/index.html` and every
//! deep link), served from memory: compressed once per version of the file, with an `ETag`,
//! and with a Content-Security-Policy made from the very bytes served.
//!
//! Each request looks at the file's modification time and length (one `stat`); when either
//! changed, say because `dist/` was rebuilt under a running server, the page is read again and
//! its start-up script hashed again, so the new page is never refused its own script.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest as _, Sha256};

use crate::assets::{self, Encoding};
use crate::login_page::LoginShell;
use crate::security;

/// The page as last read, and the policy that lets its start-up script run.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// Modification time and length of the file read; `None` when there was none.
    stamp: Option<(SystemTime, u64)>,
    page: Option<Page>,
    csp: HeaderValue,
    /// The sign-in page, made from this one's stylesheet and modules (see `login_page`).
    pub(crate) login: LoginShell,
}

/// One version of a page, in each encoding.
#[derive(Debug)]
pub(crate) struct Page {
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    /// A digest of the page, the stem of each encoding's `ETag`.
    digest: String,
    modified: Option<DateTime<Utc>>,
}

/// The client's `index.html`, re-read when it changes.
#[derive(Debug)]
pub struct IndexPage {
    file: PathBuf,
    loaded: RwLock<Arc<Loaded>>,
}

impl IndexPage {
    /// Reads `dist/index.html` (a missing file is a page to be built later, not an error).
    pub fn new(dist: &Path) -> Self {
        let file = dist.join("index.html");
        let loaded = RwLock::new(Arc::new(load(&file)));
        Self { file, loaded }
    }

    /// The page as it is now on disk: the copy in memory, or a fresh one when the file's
    /// modification time or length changed since it was read.
    pub(crate) fn current(&self) -> Arc<Loaded> {
        let stamp = stamp_of(&self.file);
        let loaded = Arc::clone(&self.loaded.read().unwrap_or_else(PoisonError::into_inner));
        if loaded.stamp == stamp {
            return loaded;
        }
        // A rebuild is rare and the page small: reading and compressing it here costs less
        // than a trip to the blocking pool on every request would.
        let fresh = Arc::new(load(&self.file));
        tracing::info!(file = %self.file.display(), "the client's page changed; serving the new one");
        *self.loaded.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&fresh);
        fresh
    }

    /// The policy of the page last read, for responses that are not the page. It costs no
    /// `stat`: only the page itself needs the policy of the file as it is now.
    pub fn csp(&self) -> HeaderValue {
        self.loaded.read().unwrap_or_else(PoisonError::into_inner).csp.clone()
    }
}

fn stamp_of(file: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(file).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn load(file: &Path) -> Loaded {
    // The stamp is taken before reading: should the file change in between, the next request
    // sees a newer stamp and reads it again.
    let stamp = stamp_of(file);
    let Some(html) = stamp.and_then(|_| std::fs::read(file).ok()) else {
        return Loaded {
            stamp,
            page: None,
            csp: security::content_security_policy(""),
            login: LoginShell::new(None),
        };
    };
    let text = String::from_utf8_lossy(&html);
    let csp = security::content_security_policy(&text);
    let login = LoginShell::new(Some(&text));
    let modified = stamp.map(|(modified, _)| DateTime::<Utc>::from(modified));
    Loaded {
        stamp,
        page: Some(Page::new(html, modified)),
        csp,
        login,
    }
}

impl Page {
    /// `html` in each encoding, with a digest for its `ETag`; `modified` is the file's time,
    /// for `Last-Modified` (none for a page made in memory).
    pub(crate) fn new(html: Vec<u8>, modified: Option<DateTime<Utc>>) -> Self {
        let compressed = assets::gzip(&html).and_then(|gzip| Ok((gzip, assets::brotli(&html)?)));
        let (gzip, brotli) = compressed.unwrap_or_else(|error| {
            tracing::warn!(error = format!("{error:#}"), "could not compress a page");
            (Vec::new(), Vec::new())
        });
        let digest = Sha256::digest(&html);
        Self {
            digest: digest[..12].iter().map(|b| format!("{b:02x}")).collect(),
            identity: Bytes::from(html),
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
            modified,
        }
    }

    /// The body and `ETag` in `encoding` (identity when that one could not be made).
    fn encoded(&self, encoding: Encoding) -> (Bytes, Option<&'static str>, String) {
        let (body, name) = match encoding {
            Encoding::Brotli if !self.brotli.is_empty() => (&self.brotli, Some("br")),
            Encoding::Gzip if !self.gzip.is_empty() => (&self.gzip, Some("gzip")),
            _ => (&self.identity, None),
        };
        let etag = match name {
            Some(name) => format!("\"{}-{name}\"", self.digest),
            None => format!("\"{}\"", self.digest),
        };
        (body.clone(), name, etag)
    }

    /// Whether the client's copy is this one: its `If-None-Match` names `etag`, or, without
    /// that header, its `If-Modified-Since` is no earlier than the file's time.
    fn is_unchanged_for(&self, headers: &HeaderMap, etag: &str) -> bool {
        if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
            return tags.to_str().is_ok_and(|tags| {
                tags.split(',')
                    .map(|tag| tag.trim().trim_start_matches("W/"))
                    .any(|tag| tag == "*" || tag == etag)
            });
        }
        let since = headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
        match (since, self.modified) {
            (Some(since), Some(modified)) => modified.timestamp() <= since.timestamp(),
            _ => false,
        }
    }
}

/// The page for `/admin/…`: the same page, answered 403 unless this session is an active
/// administrator's, so only administrators get the admin area's addresses with success (the
/// client then shows others "Administrators only", or the sign-in page).
pub async fn serve_admin_index(
    State((state, index)): State<(app::backend::AppState, Arc<IndexPage>)>,
    session: tower_sessions::Session,
    headers: HeaderMap,
) -> Response {
    let admin = app::backend::sessions::current_user(&state, &session)
        .await
        .ok()
        .flatten()
        .is_some_and(|user| user.is_admin());
    let mut response = serve_index(State(index), headers).await;
    if !admin && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::FORBIDDEN;
    }
    response
}

/// Answers `index.html` as the request's `Accept-Encoding` prefers, or 304 when the client's
/// copy is current, or 404 when the client is not built.
pub async fn serve_index(State(index): State<Arc<IndexPage>>, headers: HeaderMap) -> Response {
    let loaded = index.current();
    let Some(page) = &loaded.page else {
        let mut response = (StatusCode::NOT_FOUND, "The web client is not built.\n").into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    };
    respond(page, loaded.csp.clone(), "no-cache", &headers)
}

/// Answers `page` as the request's `Accept-Encoding` prefers, or 304 when the client's copy
/// is current, with `Cache-Control: cache_control` (`no-cache`: revalidated on every use),
/// under the policy `csp`.
pub(crate) fn respond(page: &Page, csp: HeaderValue, cache_control: &'static str, headers: &HeaderMap) -> Response {
    let (body, encoding, etag) = page.encoded(assets::negotiate(headers));
    let unchanged = page.is_unchanged_for(headers, &etag);
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(body))
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    out.insert(header::CONTENT_SECURITY_POLICY, csp);
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, etag);
    }
    if let Some(modified) = page.modified {
        let date = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(date) = HeaderValue::from_str(&date) {
            out.insert(header::LAST_MODIFIED, date);
        }
    }
    if !unchanged {
        out.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if let Some(encoding) = encoding {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
    }
    response
}
