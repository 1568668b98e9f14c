//! Presentational pieces of the API tokens section.

pub mod token_table;
