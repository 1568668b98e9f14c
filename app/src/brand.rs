//! Tessera's mark, as SVG markup drawn in the page wherever the brand shows: the client's side
//! bar and the server's sign-in page. Drawn, not fetched: an image file that is not
//! content-hashed would be revalidated on every page load. 28 px square; `.brand-large` makes
//! it 36.

/// The mark, hidden from assistive technology: the brand's name is written beside it.
pub const LOGO_SVG: &str = concat!(
    r##"<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">"##,
    r##"<rect width="32" height="32" rx="7" fill="#2f5bd3"></rect>"##,
    r##"<path d="M7 7h8v8H7zM17 7h8v8h-8zM7 17h8v8H7z" fill="#fff"></path>"##,
    r##"<path d="M17 17h8v8h-8z" fill="#9db4f2"></path></svg>"##
);
