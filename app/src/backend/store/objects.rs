//! The `entities` and `observables` tables: what API requests create. Both have the same
//! shape (a type, a text, a source group, who and which token created it), so one set of
//! functions serves both. Reads are scoped to the groups the reader belongs to.

use chrono::{DateTime, Utc};

use super::{GroupId, Store, StoreResult, Timestamp, TokenId, UserId};

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
            "SELECT o.id, o.kind AS object_type, o.{text} AS text, {description} AS description, \
             g.id AS source_id, g.name AS source_name, u.username AS created_by, o.token_id, o.created_at \
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
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ObjectRecord {
    pub id: i64,
    pub object_type: String,
    pub text: String,
    pub description: Option<String>,
    /// The source group, by id and name.
    pub source_id: GroupId,
    pub source_name: String,
    /// The creator's username.
    pub created_by: String,
    pub token_id: Option<TokenId>,
    #[sqlx(try_from = "Timestamp")]
    pub created_at: DateTime<Utc>,
}

/// What the Data page narrows a list to; `None` for any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFilter {
    pub object_type: Option<String>,
    pub source: Option<GroupId>,
    pub token: Option<TokenId>,
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
            .bind(Timestamp(new.created_at))
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
        Ok(
            sqlx::query_as(&format!("{} WHERE {VISIBLE} AND o.id = $2", kind.select()))
                .bind(reader)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
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
        Ok(sqlx::query_as(&format!(
            "{} WHERE {VISIBLE} AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
            kind.select()
        ))
        .bind(reader)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Like `objects_visible_to`, narrowed by `filter`.
    #[tracing::instrument(skip_all)]
    pub async fn objects_filtered(
        &self,
        kind: ObjectKind,
        reader: UserId,
        filter: &ObjectFilter,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<ObjectRecord>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE {VISIBLE} AND o.id < $2 AND ($4 IS NULL OR o.kind = $4) \
             AND ($5 IS NULL OR o.source_group_id = $5) AND ($6 IS NULL OR o.token_id = $6) \
             ORDER BY o.id DESC LIMIT $3",
            kind.select()
        ))
        .bind(reader)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .bind(filter.object_type.as_deref())
        .bind(filter.source)
        .bind(filter.token)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Deletes one object its creator asks to delete; `false` when `creator` did not create
    /// an object with this id.
    #[tracing::instrument(skip_all)]
    pub async fn delete_object(&self, kind: ObjectKind, creator: UserId, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(&format!(
            "DELETE FROM {} WHERE id = $1 AND created_by = $2",
            kind.table()
        ))
        .bind(id)
        .bind(creator)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes every object `creator` created with their token `token`; answers how many
    /// entities and observables went.
    #[tracing::instrument(skip_all)]
    pub async fn delete_objects_of_token(&self, creator: UserId, token: TokenId) -> StoreResult<(u64, u64)> {
        let mut tx = self.pool.begin().await?;
        let mut counts = [0; 2];
        for (slot, kind) in counts.iter_mut().zip([ObjectKind::Entity, ObjectKind::Observable]) {
            *slot = sqlx::query(&format!(
                "DELETE FROM {} WHERE created_by = $1 AND token_id = $2",
                kind.table()
            ))
            .bind(creator)
            .bind(token)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok((counts[0], counts[1]))
    }

    /// How many entities and observables `creator` created with their token `token`.
    #[tracing::instrument(skip_all)]
    pub async fn count_objects_of_token(&self, creator: UserId, token: TokenId) -> StoreResult<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM entities WHERE created_by = $1 AND token_id = $2), \
                    (SELECT COUNT(*) FROM observables WHERE created_by = $1 AND token_id = $2)",
        )
        .bind(creator)
        .bind(token)
        .fetch_one(&self.pool)
        .await?)
    }
}
