//! Route components.

mod edit_profile;
mod login;
mod not_found;
mod profile;

pub use edit_profile::EditProfilePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
