//! The API tokens section of Edit your profile and its dialogs.

mod create_dialog;
mod delete_dialog;
mod section;
mod table;

pub use section::TokensSection;
