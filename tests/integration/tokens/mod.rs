//! Personal API tokens through their server functions: create, list and delete, expiry,
//! names, descriptions, hints and editing, who may call and how, the active-token limit, and what the store keeps (never the
//! plaintext, which only the one response that shows it carries).

mod access;
mod create;
mod edit;
mod expiry;
mod leaks;
mod limits;
mod names;
mod policy;
mod rotate;
mod stored;
