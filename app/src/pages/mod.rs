//! Route components, one folder or file per page. Pages own their `Action`s and `Resource`s;
//! the user who is signed in comes from `contexts::auth`. Every page but sign-in and "not
//! found" is routed through `lazy`, which loads its code when it is first shown.

mod admin;
mod data;
pub(crate) mod edit_profile;
mod lazy;
mod login;
mod not_found;
mod profile;
mod security_log;
mod token_notices;

use admin::{AdminGroupsPage, AdminUserPage, AdminUsersPage};
use data::DataPage;
use edit_profile::EditProfilePage;
use profile::ProfilePage;
use security_log::SecurityLogPage;

pub use lazy::{
    AdminGroupsRoute, AdminUserRoute, AdminUsersRoute, DataRoute, EditProfileRoute, ProfileRoute, SecurityLogRoute,
    preload_on_intent,
};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use security_log::SecurityLogLink;
