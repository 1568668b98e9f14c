//! Tessera's application crate: domain types shared by browser and server, the server
//! functions, the Leptos client (`csr`) and the server-side backend they call (`ssr`).

pub mod dates;
pub mod domain;
pub mod error;
pub mod navigation;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod backend;

#[cfg(feature = "csr")]
mod components;
#[cfg(feature = "csr")]
mod pages;
#[cfg(feature = "csr")]
mod shell;

#[cfg(feature = "csr")]
pub use shell::App;
