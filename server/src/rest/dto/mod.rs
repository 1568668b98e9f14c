//! What the REST API reads and writes as JSON, apart from the handlers: request bodies,
//! resources and pages. Conversions from backend records live beside each type.

mod json;
mod me;
mod objects;
mod rfc3339;
mod rotation;

pub use me::{Access, GroupRef, Me, TokenRef};
pub use objects::{Entity, NewEntity, NewObservable, Observable, Page};
pub use rotation::{GraceParam, RotateRequest, RotatedToken};
