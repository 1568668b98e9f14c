//! Entities, observables, their request bodies and pages of them.

use app::backend::store::ObjectRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::GroupRef;

/// Body of `POST /api/v1/entities`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntity {
    /// campaign, course-of-action, exploit-target, incident, indicator, report, sighting, threat-actor or ttp
    #[serde(rename = "type")]
    pub kind: String,
    /// 1–500 characters.
    pub title: String,
    pub description: Option<String>,
}

/// Body of `POST /api/v1/observables`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObservable {
    /// ipv4, ipv6, domain, uri, email, hash-md5, hash-sha1 or hash-sha256
    #[serde(rename = "type")]
    pub kind: String,
    /// Validated and stored in canonical form.
    pub value: String,
}

/// An entity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entity {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub source: GroupRef,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// An observable.
#[derive(Debug, Serialize, ToSchema)]
pub struct Observable {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub source: GroupRef,
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
                name: r.source_name,
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
                name: r.source_name,
            },
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}
