//! Plain HTTP from the test to the running server, for the REST API.

/// A plain HTTP call from the test to the server (for the REST API), returning status and body.
pub async fn http(
    method: http::Method,
    url: &str,
    token: Option<&str>,
    json: Option<serde_json::Value>,
) -> Result<(http::StatusCode, serde_json::Value), String> {
    use http_body_util::BodyExt as _;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<axum::body::Bytes>>();
    let mut request = http::Request::builder()
        .method(method)
        .uri(url)
        .header(http::header::USER_AGENT, "tessera-browser-test/1.0");
    if let Some(token) = token {
        request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match json {
        Some(json) => {
            request = request.header(http::header::CONTENT_TYPE, "application/json");
            axum::body::Bytes::from(json.to_string())
        }
        None => axum::body::Bytes::new(),
    };
    let request = request
        .body(http_body_util::Full::new(body))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    let value = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?
    };
    Ok((status, value))
}
