//! Presentational components: props in, callbacks out.

pub mod avatar;
pub mod avatar_menu;
pub mod field;
pub mod modal;
pub mod side_nav;
pub mod source_warning;
