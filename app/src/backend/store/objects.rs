//! The `entities` and `observables` tables: what API requests create. Both have the same
//! shape (a type, a text, a source group, who and which token created it), so one set of
//! functions serves both. Reads are scoped to the groups the reader belongs to.

use chrono::{DateTime, Utc};
use sqlx::Row as _;

use super::{Group, GroupId, Store, StoreResult, TokenId, UserId, from_millis, to_millis};

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Entity,
    Observable,
}

impl ObjectKind {
    fn table(self) -> &'static str {
        match self {
            Self::Entity => "entities",
            Self::Observable => "observables",
        }
    }

    /// The column holding the main text: an entity's title, an observable's value.
    fn text_column(self) -> &'static str {
        match self {
            Self::Entity => "title",
            Self::Observable => "value",
        }
    }

    fn select(self) -> String {
        let description = match self {
            Self::Entity => "o.description",
            Self::Observable => "CAST(NULL AS TEXT)",
        };
        format!(
            "SELECT o.id, o.kind, o.{text} AS text, {description} AS description, g.id AS group_id, \
             g.name AS group_name, u.username AS created_by, o.token_id, o.created_at \
             FROM {table} o JOIN groups g ON g.id = o.source_group_id JOIN users u ON u.id = o.created_by",
            text = self.text_column(),
            table = self.table()
        )
    }
}

/// What creating an object needs; `text` is the title or the canonical value.
#[derive(Debug, Clone)]
pub struct NewObject<'a> {
    pub object_type: &'a str,
    pub text: &'a str,
    pub description: Option<&'a str>,
    pub source: GroupId,
    pub created_by: UserId,
    pub token: Option<TokenId>,
    pub created_at: DateTime<Utc>,
}

/// A stored entity or observable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRecord {
    pub id: i64,
    pub object_type: String,
    pub text: String,
    pub description: Option<String>,
    pub source: Group,
    pub created_by: String,
    pub token_id: Option<TokenId>,
    pub created_at: DateTime<Utc>,
}

fn object_from_row(row: &sqlx::any::AnyRow) -> Result<ObjectRecord, sqlx::Error> {
    Ok(ObjectRecord {
        id: row.try_get("id")?,
        object_type: row.try_get("kind")?,
        text: row.try_get("text")?,
        description: row.try_get("description")?,
        source: Group {
            id: row.try_get("group_id")?,
            name: row.try_get("group_name")?,
        },
        created_by: row.try_get("created_by")?,
        token_id: row.try_get("token_id")?,
        created_at: from_millis(row.try_get("created_at")?),
    })
}

const VISIBLE: &str = "o.source_group_id IN (SELECT group_id FROM memberships WHERE user_id = $1)";

impl Store {
    #[tracing::instrument(skip_all)]
    pub async fn insert_object(&self, kind: ObjectKind, new: &NewObject<'_>) -> StoreResult<i64> {
        let (columns, values) = match kind {
            ObjectKind::Entity => ("kind, title, description", "$1, $2, $3"),
            ObjectKind::Observable => ("kind, value", "$1, $2"),
        };
        let next = match kind {
            ObjectKind::Entity => 4,
            ObjectKind::Observable => 3,
        };
        let sql = format!(
            "INSERT INTO {table} ({columns}, source_group_id, created_by, token_id, created_at) \
             VALUES ({values}, ${a}, ${b}, ${c}, ${d}) RETURNING id",
            table = kind.table(),
            a = next,
            b = next + 1,
            c = next + 2,
            d = next + 3
        );
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(new.object_type).bind(new.text);
        if kind == ObjectKind::Entity {
            query = query.bind(new.description);
        }
        Ok(query
            .bind(new.source)
            .bind(new.created_by)
            .bind(new.token)
            .bind(to_millis(new.created_at))
            .fetch_one(&self.pool)
            .await?)
    }

    /// One object, if its source is one of the reader's groups.
    #[tracing::instrument(skip_all)]
    pub async fn object_visible_to(
        &self,
        kind: ObjectKind,
        reader: UserId,
        id: i64,
    ) -> StoreResult<Option<ObjectRecord>> {
        let row = sqlx::query(&format!("{} WHERE {VISIBLE} AND o.id = $2", kind.select()))
            .bind(reader)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(object_from_row).transpose()?)
    }

    /// Up to `limit` objects visible to the reader, newest first, older than `before` (an id).
    #[tracing::instrument(skip_all)]
    pub async fn objects_visible_to(
        &self,
        kind: ObjectKind,
        reader: UserId,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<ObjectRecord>> {
        let rows = sqlx::query(&format!(
            "{} WHERE {VISIBLE} AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
            kind.select()
        ))
        .bind(reader)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(object_from_row).collect::<Result<_, _>>()?)
    }
}
