//! `POST /api/v1/credentials/revoke`: where secret scanners (and anyone who finds a token in
//! a paste or a public repository) report leaked tokens. No authentication: holding a token
//! is enough to have it revoked. The answer never says which tokens were valid.

use app::backend::throttle::address_network;
use app::backend::tokens::exposure::{self, MAX_REPORTED};
use app::backend::{AppState, ClientAddr, Error};
use axum::Json;
use axum::extract::{Request, State};
use http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::error::{ApiError, ErrorEnvelope};

/// The largest report body. Reports are rate-limited per client address (an IPv6 /64 counts
/// as one), `exposure::REPORTS_PER_MINUTE` a minute on each instance.
pub const MAX_REPORT_BYTES: usize = 64 * 1024;

/// A report as Tessera's own clients send it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevocationReport {
    /// The exposed token values, at most 1,000.
    #[schema(max_items = 1000)]
    pub tokens: Vec<String>,
}

/// One finding as a secret-scanning service sends it (a list of these is also accepted).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScannerFinding {
    /// The exposed value.
    pub token: String,
    /// The scanner's name for the kind of secret.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Where it was found.
    pub url: Option<String>,
    /// The scanner's name for the place (commit, issue, gist…).
    pub source: Option<String>,
}

/// A report in either shape the endpoint reads: a [`RevocationReport`], or a list of
/// [`ScannerFinding`]s.
pub struct ReportBody;

impl PartialSchema for ReportBody {
    fn schema() -> RefOr<Schema> {
        let findings = ArrayBuilder::new()
            .items(Ref::from_schema_name("ScannerFinding"))
            .max_items(Some(MAX_REPORTED));
        OneOfBuilder::new()
            .item(Ref::from_schema_name("RevocationReport"))
            .item(findings)
            .into()
    }
}

impl ToSchema for ReportBody {}

/// The answer: how many values arrived, never how many were valid.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceived {
    pub received: usize,
}

fn malformed(detail: &str) -> ApiError {
    ApiError::bad_request(
        "malformed_report",
        format!("{detail} Send {{\"tokens\":[\"tsr_…\", …]}}."),
    )
}

/// The token values of a report: `{"tokens":[…]}`, or a list of findings `[{"token":…}]`.
fn reported_values(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| malformed(&format!("The body is not valid JSON: {e}.")))?;
    let values: Vec<String> = match value {
        Value::Array(_) => serde_json::from_value::<Vec<ScannerFinding>>(value)
            .map_err(|e| malformed(&format!("A list of findings needs a \"token\" in each: {e}.")))?
            .into_iter()
            .map(|f| f.token)
            .collect(),
        Value::Object(_) => {
            serde_json::from_value::<RevocationReport>(value)
                .map_err(|e| malformed(&format!("The report needs \"tokens\", a list of strings: {e}.")))?
                .tokens
        }
        _ => return Err(malformed("The body must be a JSON object or a list.")),
    };
    if values.len() > MAX_REPORTED {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("A report holds at most {MAX_REPORTED} tokens; send the rest in another request."),
        ));
    }
    Ok(values)
}

/// Revokes every valid token reported, at once; their owners see it in their profile.
#[utoipa::path(
    post,
    path = "/api/v1/credentials/revoke",
    tag = "credentials",
    security(()),
    request_body(
        content(
            (inline(ReportBody) = "application/json"),
        ),
        description = "`{\"tokens\":[…]}` with at most 1,000 values, or a list of findings `[{\"token\":…,\"type\":…,\"url\":…,\"source\":…}]` as secret-scanning services send them; at most 64 KB"
    ),
    responses(
        (status = 202, description = "Received; every valid token among them is revoked. Always this answer, whichever were valid", body = ReportReceived),
        (status = 400, description = "Not JSON, or not a report", body = ErrorEnvelope),
        (status = 413, description = "More than 64 KB or more than 1,000 tokens", body = ErrorEnvelope),
        (status = 415, description = "Not sent as application/json", body = ErrorEnvelope),
        (status = 429, description = "Too many reports from this address in the last minute", body = ErrorEnvelope,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn revoke_credentials(
    State(state): State<AppState>,
    request: Request,
) -> Result<(StatusCode, Json<ReportReceived>), ApiError> {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the report as JSON with Content-Type: application/json.",
        ));
    }
    if let Some(ClientAddr(ip)) = request.extensions().get::<ClientAddr>().copied() {
        state
            .exposure_reports
            .take(address_network(ip), state.clock.now())
            .map_err(|retry_after_secs| Error::TooMany {
                what: "reports from this address",
                retry_after_secs,
            })?;
    }
    let origin = super::bearer::request_origin(request.extensions(), request.headers());
    let body = axum::body::to_bytes(request.into_body(), MAX_REPORT_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("A report is at most {} KB.", MAX_REPORT_BYTES / 1024),
            )
        })?;
    let values = reported_values(&body)?;
    let received = exposure::report(&state, &values, &origin, exposure::BY_SCANNER).await?;
    Ok((StatusCode::ACCEPTED, Json(ReportReceived { received })))
}
