//! The Sessions section of Edit your profile: where the user is signed in (this browser
//! marked), signing one of the others out, and signing out everywhere else after a
//! confirmation.

mod confirm_dialog;
mod section;
mod table;

pub use section::SessionsSection;
