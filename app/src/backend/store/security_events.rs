//! The `security_events` table: appended to, read by owner or for an audit, never changed.

use chrono::{DateTime, Utc};

use super::{Store, StoreResult, Timestamp, TokenId, UserId};

/// An event to append; the backend has bounded and cleaned every text.
#[derive(Debug, Clone)]
pub struct NewSecurityEvent<'a> {
    pub at: DateTime<Utc>,
    pub kind: &'a str,
    pub user: Option<UserId>,
    /// The name tried, for a failed sign-in of a name that is no account.
    pub username: Option<&'a str>,
    pub token: Option<TokenId>,
    pub client_addr: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub detail: Option<&'a str>,
    /// The administrator who did it, when not the user.
    pub actor: Option<UserId>,
}

/// A stored event, with its user's name and its token's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SecurityEventRecord {
    pub id: i64,
    #[sqlx(try_from = "Timestamp")]
    pub at: DateTime<Utc>,
    pub kind: String,
    pub user_id: Option<UserId>,
    /// The account's name, or the name tried when there is no such account.
    pub username: Option<String>,
    pub token_id: Option<TokenId>,
    pub token_name: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
    /// The administrator who did it, when not the user.
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
}

/// A token a user's log can be filtered by.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedToken {
    pub id: TokenId,
    pub name: String,
    /// 1 when the token is deleted or otherwise revoked.
    pub revoked: i64,
}

const EVENT_COLUMNS: &str = "e.id, e.at, e.kind, e.user_id, COALESCE(u.username, e.username) AS username, \
     e.token_id, t.name AS token_name, e.client_addr, e.user_agent, e.detail, \
     e.actor_id, a.username AS actor_name \
     FROM security_events e \
     LEFT JOIN users u ON u.id = e.user_id \
     LEFT JOIN users a ON a.id = e.actor_id \
     LEFT JOIN api_tokens t ON t.id = e.token_id";

impl Store {
    /// Appends one event.
    #[tracing::instrument(skip_all)]
    pub async fn insert_security_event(&self, event: &NewSecurityEvent<'_>) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO security_events (at, kind, user_id, username, token_id, client_addr, user_agent, detail, actor_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Timestamp(event.at))
        .bind(event.kind)
        .bind(event.user)
        .bind(event.username)
        .bind(event.token)
        .bind(event.client_addr)
        .bind(event.user_agent)
        .bind(event.detail)
        .bind(event.actor)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Up to `limit` of the user's events, newest first, skipping the `offset` newest; only
    /// those about `token` when given.
    #[tracing::instrument(skip_all)]
    pub async fn security_events_of(
        &self,
        user: UserId,
        token: Option<TokenId>,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<SecurityEventRecord>> {
        let query = match token {
            None => {
                format!("SELECT {EVENT_COLUMNS} WHERE e.user_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3")
            }
            Some(_) => format!(
                "SELECT {EVENT_COLUMNS} WHERE e.user_id = $1 AND e.token_id = $4 \
                 ORDER BY e.at DESC, e.id DESC LIMIT $2 OFFSET $3"
            ),
        };
        let mut query = sqlx::query_as(&query).bind(user).bind(limit).bind(offset);
        if let Some(token) = token {
            query = query.bind(token);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Every token of the user's, deleted ones too, newest first: what their log can be
    /// filtered by.
    #[tracing::instrument(skip_all)]
    pub async fn logged_tokens_of(&self, user: UserId) -> StoreResult<Vec<LoggedToken>> {
        Ok(sqlx::query_as(
            "SELECT id, name, CAST(CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS revoked \
             FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Up to `limit` events after the event `after_id`, oldest first, for an audit: of one
    /// user when given, at or after `since` when given.
    #[tracing::instrument(skip_all)]
    pub async fn audit_events(
        &self,
        user: Option<UserId>,
        since: Option<DateTime<Utc>>,
        after_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<SecurityEventRecord>> {
        let mut filter = String::new();
        let mut next = 3;
        if user.is_some() {
            filter.push_str(&format!(" AND e.user_id = ${next}"));
            next += 1;
        }
        if since.is_some() {
            filter.push_str(&format!(" AND e.at >= ${next}"));
        }
        let query = format!("SELECT {EVENT_COLUMNS} WHERE e.id > $1{filter} ORDER BY e.id LIMIT $2");
        let mut query = sqlx::query_as(&query).bind(after_id).bind(limit);
        if let Some(user) = user {
            query = query.bind(user);
        }
        if let Some(since) = since {
            query = query.bind(Timestamp(since));
        }
        Ok(query.fetch_all(&self.pool).await?)
    }
}
