//! Another browser of the same person, over plain HTTP: it signs in the way the sign-in page
//! does (a same-origin form POST to the server function) with a user agent of its own, and
//! can ask whether its cookie still signs it in.

use http::{HeaderMap, Method, header};
use http_body_util::BodyExt as _;
use server_fn::ServerFn as _;

/// Posts `form` to the server function at `path` from the page's origin `base`, with the
/// session `cookie` and `User-Agent: agent`; answers the status, headers and body.
async fn post_form(
    base: &str,
    path: &str,
    form: String,
    cookie: Option<&str>,
    agent: &str,
) -> Result<(http::StatusCode, HeaderMap, String), String> {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<axum::body::Bytes>>();
    let mut request = http::Request::builder()
        .method(Method::POST)
        .uri(format!("{base}{path}"))
        .header(header::ORIGIN, base)
        .header(header::USER_AGENT, agent)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request
        .body(http_body_util::Full::new(axum::body::Bytes::from(form)))
        .map_err(|e| e.to_string())?;
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, headers, String::from_utf8_lossy(&body).into_owned()))
}

/// Signs `username` in from another browser sending `User-Agent: agent`; answers its session
/// cookie (`name=value`).
pub async fn sign_in_elsewhere(base: &str, username: &str, password: &str, agent: &str) -> Result<String, String> {
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("username", username)
        .append_pair("password", password)
        .finish();
    let (status, headers, body) = post_form(base, app::server_fns::session::SignIn::PATH, form, None, agent).await?;
    if !status.is_success() {
        return Err(format!("signing in elsewhere answered {status}: {body}"));
    }
    headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| "signing in elsewhere set no cookie".to_owned())
}

/// Whether the session `cookie` still signs its holder in.
pub async fn still_signed_in(base: &str, cookie: &str, agent: &str) -> Result<bool, String> {
    let path = app::server_fns::session::CurrentUser::PATH;
    let (status, _, body) = post_form(base, path, String::new(), Some(cookie), agent).await?;
    if !status.is_success() {
        return Err(format!("current_user answered {status}: {body}"));
    }
    Ok(body.trim() != "null")
}
