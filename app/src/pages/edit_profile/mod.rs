//! `/profile/edit`, "Edit your profile": the page, its profile form (display name, email,
//! default source) and, in `tokens`, the API tokens section with its dialogs.

mod page;
mod profile_form;
mod source_select;
mod tokens;

pub use page::EditProfilePage;
