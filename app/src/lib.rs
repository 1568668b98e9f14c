//! Tessera's application crate. Shared by browser and server: `domain` (the parse-don't-validate
//! types every form and endpoint uses), `server_fns` (the `#[server]` functions the client calls
//! and the views they answer with) and `error` (what they answer instead). Server only (`ssr`):
//! `backend`, the service layer every way in calls. Browser only (`csr`): the Leptos client
//! (`shell`, `router`, `layout`, `pages`, `components`, `contexts`). `dates` (how the client writes
//! times) is plain functions, tested natively; `brand` is Tessera's mark, which both draw.

pub mod brand;
pub mod dates;
pub mod domain;
pub mod error;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod backend;

#[cfg(feature = "csr")]
mod components;
#[cfg(feature = "csr")]
mod contexts;
#[cfg(feature = "csr")]
mod layout;
#[cfg(feature = "csr")]
mod pages;
#[cfg(feature = "csr")]
mod router;
#[cfg(feature = "csr")]
mod shell;

#[cfg(feature = "csr")]
pub use shell::App;
