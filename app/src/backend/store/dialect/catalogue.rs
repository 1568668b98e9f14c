//! What the database's schema looks like, read from the database itself, in terms both
//! backends share: tables, columns (integer or text, nullable or not) and indexes. A test
//! compares SQLite's and PostgreSQL's so the two sets of migrations cannot drift apart.

use std::collections::BTreeSet;

use sqlx::Row as _;

use super::Backend;
use crate::backend::store::{Store, StoreResult};

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub table: String,
    pub name: String,
    /// `integer` or `text` (anything else is reported as the database names it).
    pub kind: String,
    pub nullable: bool,
}

/// One index, primary keys included.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub primary: bool,
    /// Whether the index has a WHERE clause.
    pub partial: bool,
}

/// The whole schema, without the migrations bookkeeping table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub columns: BTreeSet<Column>,
    pub indexes: BTreeSet<Index>,
}

fn kind_of(declared: &str) -> String {
    let upper = declared.to_ascii_uppercase();
    if upper.contains("INT") {
        "integer".into()
    } else if upper == "TEXT" {
        "text".into()
    } else {
        declared.to_ascii_lowercase()
    }
}

impl Store {
    /// Reads the schema from the database's catalogue.
    pub async fn schema(&self) -> StoreResult<Schema> {
        match self.backend {
            Backend::Sqlite => self.sqlite_schema().await,
            Backend::Postgres => self.postgres_schema().await,
        }
    }

    async fn sqlite_schema(&self) -> StoreResult<Schema> {
        let mut schema = Schema::default();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        for table in tables {
            let columns = sqlx::query(r#"SELECT name, type, "notnull" AS required, pk FROM pragma_table_info($1)"#)
                .bind(&table)
                .fetch_all(&self.pool)
                .await?;
            let mut primary: Vec<(i64, String)> = Vec::new();
            for row in &columns {
                let name: String = row.try_get("name")?;
                let pk: i64 = row.try_get("pk")?;
                if pk > 0 {
                    primary.push((pk, name.clone()));
                }
                schema.columns.insert(Column {
                    table: table.clone(),
                    name,
                    kind: kind_of(&row.try_get::<String, _>("type")?),
                    nullable: row.try_get::<i64, _>("required")? == 0 && pk == 0,
                });
            }
            primary.sort();
            if !primary.is_empty() {
                schema.indexes.insert(Index {
                    table: table.clone(),
                    columns: primary.into_iter().map(|(_, c)| c).collect(),
                    unique: true,
                    primary: true,
                    partial: false,
                });
            }
            let indexes =
                sqlx::query(r#"SELECT name, "unique" AS is_unique, origin, partial FROM pragma_index_list($1)"#)
                    .bind(&table)
                    .fetch_all(&self.pool)
                    .await?;
            for row in &indexes {
                if row.try_get::<String, _>("origin")? == "pk" {
                    continue;
                }
                let name: String = row.try_get("name")?;
                let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&self.pool)
                    .await?;
                schema.indexes.insert(Index {
                    table: table.clone(),
                    columns,
                    unique: row.try_get::<i64, _>("is_unique")? == 1,
                    primary: false,
                    partial: row.try_get::<i64, _>("partial")? == 1,
                });
            }
        }
        Ok(schema)
    }

    async fn postgres_schema(&self) -> StoreResult<Schema> {
        let mut schema = Schema::default();
        let columns = sqlx::query(
            "SELECT CAST(table_name AS TEXT) AS table_name, CAST(column_name AS TEXT) AS column_name, \
             CAST(data_type AS TEXT) AS data_type, CAST(is_nullable AS TEXT) AS is_nullable \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in &columns {
            schema.columns.insert(Column {
                table: row.try_get("table_name")?,
                name: row.try_get("column_name")?,
                kind: kind_of(&row.try_get::<String, _>("data_type")?),
                nullable: row.try_get::<String, _>("is_nullable")? == "YES",
            });
        }
        let indexes = sqlx::query(
            "SELECT CAST(t.relname AS TEXT) AS table_name, ix.indisunique AS is_unique, \
             ix.indisprimary AS is_primary, ix.indpred IS NOT NULL AS is_partial, \
             array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',') AS columns \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace ns ON ns.oid = t.relnamespace \
             WHERE ns.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in &indexes {
            let columns: String = row.try_get("columns")?;
            schema.indexes.insert(Index {
                table: row.try_get("table_name")?,
                columns: columns.split(',').map(str::to_owned).collect(),
                unique: row.try_get("is_unique")?,
                primary: row.try_get("is_primary")?,
                partial: row.try_get("is_partial")?,
            });
        }
        Ok(schema)
    }
}
