//! The REST API under /api/v1 driven in process, one file per resource or concern: bearer
//! authentication and the tokens it refuses, what read-only tokens may do, `me`, source attribution, request bodies,
//! entities, observables, visibility by group, paging, coalesced "last used" writes, the
//! verification cache, the OpenAPI document and the contract it states, and the one error
//! envelope.

mod access_levels;
mod bearer_auth;
mod contract;
mod credentials;
mod entities;
mod errors;
mod last_used;
mod me;
mod observables;
mod openapi;
mod paging;
mod refused_tokens;
mod request_bodies;
mod rotation;
mod sources;
mod token_sources;
mod usage;
mod verification_cache;
mod visibility;
