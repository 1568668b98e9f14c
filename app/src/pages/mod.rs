//! Route components, one folder or file per page. Pages own their `Action`s and `Resource`s;
//! the user who is signed in comes from `contexts::auth`. Every page but "not found" is routed
//! through `lazy`, which loads its code when it is first shown. The sign-in page is no part of
//! the client: the server writes it (its `login_page`).

mod admin;
mod data;
pub(crate) mod edit_profile;
mod lazy;
mod not_found;
mod profile;
mod security_log;
mod token_notices;

use admin::{AdminGroupsPage, AdminUserPage, AdminUsersPage};
use data::DataPage;
use edit_profile::EditProfilePage;
use profile::ProfilePage;
use security_log::SecurityLogPage;

pub use lazy::{page_view, preload_on_intent};
pub use not_found::NotFoundPage;
pub use security_log::SecurityLogLink;
