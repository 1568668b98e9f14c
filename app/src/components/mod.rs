//! Presentational components: props in, callbacks out, no server calls; and the helper that
//! puts a server function's refusal next to the form control it names.

pub mod alert;
pub mod avatar;
pub mod avatar_menu;
pub mod clipboard;
pub mod confirm_dialog;
pub mod confirm_password_dialog;
pub mod expiry_banner;
pub mod field;
pub mod form_errors;
pub mod loaded;
pub mod modal;
pub mod side_nav;
pub mod source_warning;
