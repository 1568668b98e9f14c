//! What frames the pages: the guard that sends visitors to sign in, and the layout of
//! signed-in pages (side navigation and account menu around the page).

mod require_sign_in;
mod signed_in;

pub use require_sign_in::RequireSignIn;
pub use signed_in::SignedInLayout;
