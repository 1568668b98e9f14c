//! The Security log page: the signed-in user's own events, never anyone else's.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One event as the Security log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEventView {
    pub id: i64,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub at: DateTime<Utc>,
    /// The stored kind, such as `token_created`.
    pub kind: String,
    /// The event in words, such as "Token created".
    pub event: String,
    pub detail: Option<String>,
    pub token_id: Option<i64>,
    pub token_name: Option<String>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

/// A token the log can be filtered by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedTokenView {
    pub id: i64,
    pub name: String,
    pub deleted: bool,
}

impl LoggedTokenView {
    /// Its name as a filter offers it: "(deleted)" after the name of a deleted token.
    pub fn label(&self) -> String {
        if self.deleted {
            format!("{} (deleted)", self.name)
        } else {
            self.name.clone()
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::backend::store::LoggedToken> for LoggedTokenView {
    fn from(t: crate::backend::store::LoggedToken) -> Self {
        Self {
            id: t.id.0,
            name: t.name,
            deleted: t.revoked != 0,
        }
    }
}

/// One page of the signed-in user's log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityLogView {
    pub events: Vec<SecurityEventView>,
    /// From 1.
    pub page: u32,
    /// Whether older events follow.
    pub more: bool,
    pub tokens: Vec<LoggedTokenView>,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub now: DateTime<Utc>,
}

#[cfg(feature = "ssr")]
impl From<crate::backend::store::SecurityEventRecord> for SecurityEventView {
    fn from(e: crate::backend::store::SecurityEventRecord) -> Self {
        use crate::backend::security_log::EventKind;
        Self {
            id: e.id,
            at: e.at,
            event: EventKind::parse(&e.kind).map_or_else(|| e.kind.clone(), |k| k.words().to_owned()),
            kind: e.kind,
            detail: e.detail,
            token_id: e.token_id.map(|t| t.0),
            token_name: e.token_name,
            client_addr: e.client_addr,
            user_agent: e.user_agent,
        }
    }
}

/// Page `page` (from 1, 50 a page) of the signed-in user's security log, newest first;
/// `token` is empty for every event, else one of the user's token ids.
#[server(prefix = "/rpc", endpoint = "security_log")]
pub async fn security_log(page: u32, token: String) -> Result<SecurityLogView, AppError> {
    use crate::backend::security_log::{self, Filter};
    use crate::backend::store::TokenId;
    let (state, user) = super::context::signed_in().await?;
    let token = match token.as_str() {
        "" => None,
        id => Some(TokenId(
            id.parse()
                .map_err(|_| AppError::invalid("token", "Choose one of your tokens."))?,
        )),
    };
    let log = security_log::list(&state, &user, Filter { token }, page).await?;
    Ok(SecurityLogView {
        events: log.events.into_iter().map(Into::into).collect(),
        page: log.page,
        more: log.more,
        tokens: log.tokens.into_iter().map(LoggedTokenView::from).collect(),
        now: state.clock.now(),
    })
}
