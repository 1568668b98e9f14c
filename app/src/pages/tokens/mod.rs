//! The API tokens section of Edit your profile and its dialogs.

mod create_dialog;
mod delete_dialog;
mod section;

pub use section::TokensSection;
