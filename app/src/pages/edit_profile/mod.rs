//! `/profile/edit`, "Edit your profile": the page, its profile form (display name, email,
//! default source), in `tokens` the API tokens section with its dialogs, and the password
//! form.

mod page;
mod password_form;
mod profile_form;
mod source_select;
mod tokens;

pub use page::EditProfilePage;
