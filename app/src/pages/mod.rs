//! Route components, one folder or file per page. Pages own their `Action`s and `Resource`s;
//! the user who is signed in comes from `contexts::auth`.

mod admin;
mod data;
pub(crate) mod edit_profile;
mod login;
mod not_found;
mod profile;
mod security_log;
mod token_notices;

pub use admin::{AdminGroupsPage, AdminUserPage, AdminUsersPage};
pub use data::DataPage;
pub use edit_profile::EditProfilePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use security_log::{SecurityLogLink, SecurityLogPage};
