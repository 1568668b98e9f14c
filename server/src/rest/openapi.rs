//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the REST API, generated from
//! the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::answers::SharedAnswers;
use super::credentials::{ReportReceived, RevocationReport, ScannerFinding};
use super::dto::{
    Access, Entity, GraceParam, GroupRef, Me, NewEntity, NewObservable, Observable, Page, RotateRequest, RotatedToken,
    TokenRef,
};
use super::error::{ErrorEnvelope, ErrorItem};
use super::schema::{ObservableVariants, OptionalBodies};
use super::{credentials, entities, me, observables, tokens};

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("tsr_ token")
                    .description(Some("A personal API token created in Edit your profile → API tokens."))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Tessera API", description = "Personal-API-token access to a threat-intelligence platform."),
    paths(
        me::get_me,
        entities::create_entity,
        entities::list_entities,
        entities::get_entity,
        entities::delete_entity,
        observables::create_observable,
        observables::list_observables,
        observables::get_observable,
        observables::delete_observable,
        tokens::delete_current_token,
        tokens::rotate_current_token,
        credentials::revoke_credentials,
    ),
    components(schemas(
        Me, TokenRef, Access, GroupRef, Entity, Observable, NewEntity, NewObservable, Page<Entity>, Page<Observable>,
        RotateRequest, RotatedToken, GraceParam, RevocationReport, ScannerFinding, ReportReceived, ErrorEnvelope,
        ErrorItem
    )),
    modifiers(&BearerScheme, &ObservableVariants, &OptionalBodies, &SharedAnswers)
)]
pub struct ApiDoc;

/// The document, served without authentication.
pub async fn get_openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
