//! `/profile/edit`, "Edit your profile": the page, its profile form (display name, email,
//! default source), in `tokens` the API tokens section with its dialogs, the password form,
//! and in `sessions` the list of the user's sessions.

mod page;
mod password_form;
mod profile_form;
mod sessions;
mod source_select;
mod tokens;

pub use page::EditProfilePage;
pub(crate) use tokens::TokenTable;
