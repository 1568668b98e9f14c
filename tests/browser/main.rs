//! Browser tests: headless Chromium walks Tessera the way a person does.

mod profile_journey;
mod tokens_journey;
