//! Server functions, one area per file. Each has an explicit, stable endpoint under `/rpc`
//! and a thin body: parse, require the session user, call one backend function, map to a DTO.

pub mod admin;
#[cfg(feature = "ssr")]
pub mod context;
pub mod data;
pub mod leaks;
pub mod profile;
pub mod secret;
pub mod security_log;
pub mod session;
pub mod sessions;
pub mod tokens;
pub mod views;
pub mod wire_time;

pub use secret::Secret;
pub use views::{
    AdminGroupView, AdminUserDetailView, AdminUserView, AdminUsersView, CreatedToken, CreatedUserView, DayUsage,
    ExpiringToken, ExposedTokenView, GroupView, InactiveView, SessionView, TokenCheckView, TokenView, UserView,
};
