//! The API tokens section of Edit your profile: the section (which owns the token list and
//! the create, edit, rotate and delete actions), the table, and the dialogs.

mod check_dialog;
mod create_dialog;
mod create_form;
mod delete_dialog;
mod edit_dialog;
mod expiry_fields;
mod rotate_dialog;
mod section;
mod source_field;
mod table;
mod token_created;
mod usage_chart;

pub use section::TokensSection;
pub(crate) use table::TokenTable;
