//! The Data page: the entities and observables the user's groups can see, newest first,
//! narrowed by kind, type, source and token; and deleting what one of your tokens created.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::security_log::LoggedTokenView;
use super::views::GroupView;
use crate::error::AppError;

/// Objects on one page.
pub const DATA_PAGE: i64 = 50;

/// An entity or an observable as the Data page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectView {
    pub id: i64,
    /// Its type: `report`, `domain`…
    pub object_type: String,
    /// An entity's title or an observable's value.
    pub text: String,
    pub description: Option<String>,
    pub source: GroupView,
    /// The creator's username.
    pub created_by: String,
    /// The token it was created with.
    pub token: Option<i64>,
    #[cfg_attr(feature = "csr", serde(deserialize_with = "crate::server_fns::wire_time::instant"))]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of the Data list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPage {
    pub items: Vec<ObjectView>,
    /// The `before` of the next (older) page, when there is one.
    pub next: Option<i64>,
    /// With a token filter: how many entities and observables the user created with that
    /// token (what deleting them would remove).
    pub created_with_token: Option<(i64, i64)>,
}

/// What deleting a token's data removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedData {
    pub entities: u64,
    pub observables: u64,
}

/// `kind` is `entities` or `observables`; `object_type`, `source` (a group id) and `token`
/// (a token id) are empty for any; `before` is the last id of the page before.
#[server(prefix = "/rpc", endpoint = "list_data")]
pub async fn list_data(
    kind: String,
    object_type: String,
    source: String,
    token: String,
    before: Option<i64>,
) -> Result<DataPage, AppError> {
    use crate::backend::objects;
    use crate::backend::store::{GroupId, ObjectFilter, ObjectKind, TokenId};
    let (state, user) = super::context::signed_in().await?;
    let kind = match kind.as_str() {
        "entities" => ObjectKind::Entity,
        "observables" => ObjectKind::Observable,
        _ => return Err(AppError::invalid("kind", "Choose Entities or Observables.")),
    };
    let id = |field: &str, text: &str| -> Result<Option<i64>, AppError> {
        if text.is_empty() {
            Ok(None)
        } else {
            text.parse()
                .map(Some)
                .map_err(|_| AppError::invalid(field, format!("Choose a {field} from the list.")))
        }
    };
    let filter = ObjectFilter {
        object_type: Some(object_type).filter(|t| !t.is_empty()),
        source: id("source", &source)?.map(GroupId),
        token: id("token", &token)?.map(TokenId),
    };
    let page = objects::list_filtered(&state, user.id, kind, &filter, before, DATA_PAGE).await?;
    let created_with_token = match filter.token {
        Some(token) => Some(
            state
                .store
                .count_objects_of_token(user.id, token)
                .await
                .map_err(crate::backend::Error::from)?,
        ),
        None => None,
    };
    let next = if page.more {
        page.items.last().map(|o| o.id)
    } else {
        None
    };
    Ok(DataPage {
        items: page
            .items
            .into_iter()
            .map(|o| ObjectView {
                id: o.id,
                object_type: o.object_type,
                text: o.text,
                description: o.description,
                source: GroupView {
                    id: o.source_id.0,
                    name: o.source_name,
                },
                created_by: o.created_by,
                token: o.token_id.map(|t| t.0),
                created_at: o.created_at,
            })
            .collect(),
        next,
        created_with_token,
    })
}

/// Every token of the signed-in user, deleted ones too, newest first: what the Data page's
/// token filter offers, so that what a deleted (or leaked and revoked) token created can still
/// be found and deleted.
#[server(prefix = "/rpc", endpoint = "data_tokens")]
pub async fn data_tokens() -> Result<Vec<LoggedTokenView>, AppError> {
    let (state, user) = super::context::signed_in().await?;
    let tokens = state
        .store
        .logged_tokens_of(user.id)
        .await
        .map_err(crate::backend::Error::from)?;
    Ok(tokens.into_iter().map(LoggedTokenView::from).collect())
}

/// Deletes every entity and observable the signed-in user created with their token `token`.
#[server(prefix = "/rpc", endpoint = "delete_token_data")]
pub async fn delete_token_data(token: i64) -> Result<DeletedData, AppError> {
    let (state, user) = super::context::signed_in().await?;
    let (entities, observables) =
        crate::backend::objects::delete_created_with(&state, &user, crate::backend::store::TokenId(token)).await?;
    Ok(DeletedData { entities, observables })
}
