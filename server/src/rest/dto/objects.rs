//! Entities, observables, their request bodies and pages of them.

use app::backend::store::ObjectRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

use super::GroupRef;
use crate::rest::schema;

/// Body of `POST /api/v1/entities`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    #[serde(rename = "type")]
    #[schema(schema_with = schema::entity_type)]
    pub kind: String,
    #[schema(schema_with = schema::title)]
    pub title: String,
    #[schema(schema_with = schema::description)]
    pub description: Option<String>,
}

/// Body of `POST /api/v1/observables`; its schema is one variant per type
/// (`schema::new_observable`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewObservable {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl PartialSchema for NewObservable {
    fn schema() -> RefOr<Schema> {
        schema::new_observable().into()
    }
}

impl ToSchema for NewObservable {}

/// An entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entity {
    pub id: i64,
    #[serde(rename = "type")]
    #[schema(schema_with = schema::entity_type)]
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub source: GroupRef<'static>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// An observable.
#[derive(Debug, Serialize, ToSchema)]
pub struct Observable {
    pub id: i64,
    #[serde(rename = "type")]
    #[schema(schema_with = schema::observable_type)]
    pub kind: String,
    /// The value in canonical form.
    pub value: String,
    pub source: GroupRef<'static>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A page of results, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next: Option<String>,
}

impl From<ObjectRecord> for Entity {
    fn from(r: ObjectRecord) -> Self {
        Self {
            id: r.id,
            kind: r.object_type,
            title: r.text,
            description: r.description,
            source: GroupRef {
                id: r.source_id.0,
                name: r.source_name.into(),
            },
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

impl From<ObjectRecord> for Observable {
    fn from(r: ObjectRecord) -> Self {
        Self {
            id: r.id,
            kind: r.object_type,
            value: r.text,
            source: GroupRef {
                id: r.source_id.0,
                name: r.source_name.into(),
            },
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}
