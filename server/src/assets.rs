//! The built client, served the way a CDN would: compressed (brotli or gzip, whichever the
//! browser accepts, made once at start and kept beside each file), content-hashed files
//! (Trunk's, and the wasm chunks of lazily loaded pages) cached for a year as immutable, and everything else (`index.html`, the SPA fallback
//! for deep links, `favicon.svg`) revalidated on every use, answered 304 when unchanged. The page
//! itself comes from memory (`index_page`). A `Range` request gets its bytes from the file as
//! it is, never from a compressed copy, so the offsets mean the same to every client.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::extract::State;
use axum::handler::Handler as _;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, get_service};
use http::{HeaderMap, HeaderValue, header};
use tower_http::services::ServeDir;

use crate::index_page::{self, IndexPage};

/// Files worth compressing: text and WebAssembly.
const COMPRESSIBLE: [&str; 7] = ["html", "js", "wasm", "css", "svg", "json", "txt"];
/// Smaller files gain too little to be worth a second round trip through the decoder.
const MIN_SIZE: u64 = 1024;

/// Writes `FILE.br` and `FILE.gz` beside each compressible file of `dist` that lacks them or
/// is newer than them; answers how many files it compressed.
pub fn precompress(dist: &Path) -> anyhow::Result<usize> {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return Ok(0);
    };
    let mut compressed = 0;
    for entry in entries {
        let path = entry?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        // The page is compressed in memory as it is read (see `index_page`).
        let is_page = path.file_name().is_some_and(|name| name == "index.html");
        if !compressible || is_page || !meta.is_file() || meta.len() < MIN_SIZE {
            continue;
        }
        let (br, gz) = (with_suffix(&path, "br"), with_suffix(&path, "gz"));
        if is_fresh(&br, &meta) && is_fresh(&gz, &meta) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        write_atomically(&gz, &gzip(&bytes)?)?;
        write_atomically(&br, &brotli(&bytes)?)?;
        compressed += 1;
    }
    Ok(compressed)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `compressed` exists and was written after its source last changed.
fn is_fresh(compressed: &Path, source: &std::fs::Metadata) -> bool {
    match (
        std::fs::metadata(compressed).and_then(|m| m.modified()),
        source.modified(),
    ) {
        (Ok(compressed), Ok(source)) => compressed >= source,
        _ => false,
    }
}

pub(crate) fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Brotli at its best quality, with a window just large enough for `bytes`: the encoder's
/// working memory grows with the window (tens of MiB at the largest), and the allocator keeps
/// what a compression at start used for the life of the process.
pub(crate) fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: brotli_window(bytes.len()),
        size_hint: bytes.len(),
        ..Default::default()
    };
    ::brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// The base-2 logarithm of the smallest window brotli allows (10 to 24) that holds `len` bytes
/// (a window of 2^n holds 2^n - 16).
fn brotli_window(len: usize) -> i32 {
    let needed = len
        .saturating_add(16)
        .checked_next_power_of_two()
        .map_or(usize::BITS, usize::trailing_zeros);
    i32::try_from(needed).unwrap_or(24).clamp(10, 24)
}

/// Writes a file whole or not at all, so another instance sharing `dist` never serves half.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = with_suffix(path, &format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, bytes).with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

/// The client's routes: the page at `/` and `/index.html`, every file of `dist` (precompressed
/// variants preferred), and the page again for any other path, so deep links and reloads work.
pub fn routes<S: Clone + Send + Sync + 'static>(dist: &Path, page: Arc<IndexPage>) -> Router<S> {
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page_or_missing_file.with_state(Arc::clone(&page)));
    Router::new()
        .route("/", get(index_page::serve_index))
        .route("/index.html", get(index_page::serve_index))
        .with_state(page)
        .fallback_service(
            get_service(files)
                .layer(middleware::from_fn(cache_control))
                .layer(middleware::from_fn(ranges_of_the_file_itself)),
        )
}

/// Whether `path` names a file of the built client by its extension (a page's address, such as
/// `/admin/users/svc-0123456789abcdef`, has none).
fn is_client_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, extension)| matches!(extension, "wasm" | "js" | "css"))
}

/// The page, for a deep link or a reload; but 404 for a content-hashed file that is not in
/// `dist`: a chunk of an earlier build, asked for by a tab opened before the client was
/// rebuilt. The page in its place would only fail to load as code.
async fn page_or_missing_file(State(page): State<Arc<IndexPage>>, uri: http::Uri, headers: HeaderMap) -> Response {
    if is_client_file(uri.path()) && is_content_hashed(uri.path()) {
        let mut response = (
            http::StatusCode::NOT_FOUND,
            "This file of the web client is not here any more: reload the page.\n",
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    index_page::serve_index(State(page), headers).await
}

/// Compressed variants of a file are chosen by `Accept-Encoding`; a `Range` request is
/// answered from the file itself instead, so that a resumed download's offsets do not depend
/// on the encoding the server picked the first time.
async fn ranges_of_the_file_itself(mut req: Request, next: Next) -> Response {
    if req.headers().contains_key(header::RANGE) {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.run(req).await
}

/// A content coding we have a copy in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The coding to answer with: brotli, then gzip, when `Accept-Encoding` allows it (a
/// `q=0` refuses one; `*` stands for those not named), identity otherwise.
pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let offers: Vec<(String, bool)> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (name, !refused)
        })
        .collect();
    let accepts = |coding: &str| {
        let named = offers.iter().find(|(name, _)| name == coding);
        let any = offers.iter().find(|(name, _)| name == "*");
        named.or(any).is_some_and(|(_, accepted)| *accepted)
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether a file name carries a content hash, Trunk's (`app-6541bb8a988c8a64_bg.wasm`,
/// `main-8bade48c92fd936.css`) or that of scripts/split-client.sh for the lazily loaded chunks
/// and their loader (`chunk_14-50d5ea6fa151db4d.wasm`, `__wasm_split-15ec5af5fc586e73.js`):
/// its content never changes under that name.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| (15..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Sets `Cache-Control` on the client's files (a year and `immutable` for content-hashed
/// ones, revalidation for the rest) and `Vary: Accept-Encoding`. The page, also served for
/// unknown paths, sets its own.
async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_content_hashed(req.uri().path());
    let mut response = next.run(req).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same URL answers differently by Accept-Encoding: caches must keep them apart.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_names_are_told_apart_from_the_rest() {
        for hashed in [
            "/app-6541bb8a988c8a64_bg.wasm",
            "/app-6541bb8a988c8a64.js",
            "/main-8bade48c92fd936.css",
            "/__wasm_split-15ec5af5fc586e73.js",
            "/split___profile_route_view_3926419954137871238-ad364b9423d665c4.wasm",
            "/chunk_14-50d5ea6fa151db4d.wasm",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/favicon.svg",
            "/profile/edit",
            "/my-report.js",
            "/x-zzzzzzzzzzzzzzzz.js",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn compressed_copies_are_made_once_and_remade_when_the_file_changes() {
        let dist = tempfile::tempdir().expect("temp dir");
        let js = dist.path().join("app-0123456789abcdef.js");
        std::fs::write(&js, "console.log('tessera');\n".repeat(200)).expect("write");
        std::fs::write(dist.path().join("tiny.css"), "a{}").expect("write");
        assert_eq!(precompress(dist.path()).expect("compress"), 1);
        assert_eq!(precompress(dist.path()).expect("again"), 0, "fresh copies are kept");
        let gz = std::fs::read(with_suffix(&js, "gz")).expect("gz");
        let br = std::fs::read(with_suffix(&js, "br")).expect("br");
        assert!(gz.len() < 200 && br.len() < 200, "{} {}", gz.len(), br.len());
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut decoded).expect("gunzip");
        assert_eq!(decoded, std::fs::read_to_string(&js).expect("read"));
        assert!(
            !with_suffix(&dist.path().join("tiny.css"), "br").exists(),
            "tiny files are left alone"
        );
    }

    #[test]
    fn brotli_windows_fit_the_input_and_every_size_round_trips() {
        assert_eq!(brotli_window(0), 10);
        assert_eq!(brotli_window(1008), 10);
        assert_eq!(brotli_window(1009), 11);
        assert_eq!(brotli_window(1_300_000), 21);
        assert_eq!(brotli_window(1 << 24), 24);
        assert_eq!(brotli_window(usize::MAX / 2), 24);
        // Whatever the window, what is compressed decodes to the same bytes: sizes on both
        // sides of window boundaries.
        for len in [0_usize, 1, 1008, 1009, 1024, 70_000, (1 << 17) + 3, 1_500_000] {
            let bytes: Vec<u8> = (0..len)
                .map(|i| ((i * 7919) % 251) as u8 ^ (i / 65_536) as u8)
                .collect();
            let packed = brotli(&bytes).expect("compress");
            let mut unpacked = Vec::new();
            ::brotli::BrotliDecompress(&mut &packed[..], &mut unpacked).expect("decompress");
            assert_eq!(unpacked, bytes, "{len} bytes");
        }
    }
}
