//! Browser tests: headless Chromium walks Tessera the way a person does.

mod admin_journey;
mod api_journey;
mod auth_unknown;
mod keyboard_journey;
mod leak_journey;
mod navigation;
mod phone_layout;
mod profile_journey;
mod security_log_journey;
mod sessions_journey;
mod split_loading;
mod sudo_journey;
mod token_policy_journey;
mod token_states;
mod tokens_journey;
