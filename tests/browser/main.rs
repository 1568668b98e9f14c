//! Browser tests: headless Chromium walks Tessera the way a person does.

mod api_journey;
mod profile_journey;
mod tokens_journey;
