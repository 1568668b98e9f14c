//! Server functions called through their argument structs, the way the browser calls them:
//! a same-origin form POST to the struct's `PATH`, the struct encoded as the form body with
//! `serde_qs` (what server_fn's `PostUrl` encoding uses on both sides). A renamed argument
//! or function no longer compiles.

use app::server_fns::profile::{SetDefaultSource, UpdateProfile};
use app::server_fns::session::{ConfirmPassword, CurrentUser, SignIn};
use app::server_fns::sessions::{ListSessions, SignOutOtherSessions, SignOutSession};
use app::server_fns::tokens::{CreateToken, DeleteToken, ListTokens};
use app::server_fns::{CreatedToken, SessionView, UserView};
use axum::body::Body;
use http::{HeaderValue, Method, Request, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use server_fn::ServerFn;

use crate::{Client, HOST, PASSWORD, TestResponse};

impl Client {
    /// Calls a server function as the page does: `alice.call(DeleteToken { id }).await`.
    pub async fn call<F: ServerFn + Serialize>(&self, args: F) -> TestResponse {
        let mut request = self.call_request(&args);
        request.headers_mut().insert(header::ORIGIN, same_origin());
        self.send(request).await
    }

    /// Calls a server function that must succeed; answers what it returned, decoded.
    pub async fn call_ok<F>(&self, args: F) -> F::Output
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        let response = self.call(args).await;
        assert_eq!(response.status, StatusCode::OK, "{}: {}", F::PATH, response.text());
        response.decode()
    }

    /// A server-function request with no `Origin` header, for tests that add their own (or a
    /// `Sec-Fetch-Site`) to check what the server accepts.
    pub fn call_request<F: ServerFn + Serialize>(&self, args: &F) -> Request<Body> {
        let form = serde_qs::to_string(args).unwrap_or_else(|e| panic!("encode {}: {e}", F::PATH));
        self.form_request::<F>(form)
    }

    /// Calls server function `F` with a form body written by hand: only for tests that send
    /// arguments the struct cannot express (missing or of the wrong type).
    pub async fn call_with_form<F: ServerFn>(&self, form: &str) -> TestResponse {
        let mut request = self.form_request::<F>(form.to_owned());
        request.headers_mut().insert(header::ORIGIN, same_origin());
        self.send(request).await
    }

    fn form_request<F: ServerFn>(&self, form: String) -> Request<Body> {
        self.request(Method::POST, F::PATH)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("request")
    }

    /// Signs in with a username and password; the session cookie goes into this client's jar.
    pub async fn sign_in(&self, username: &str, password: &str) -> TestResponse {
        self.call(SignIn {
            username: username.to_owned(),
            password: password.to_owned().into(),
        })
        .await
    }

    /// Signs in as `username` with the test password; fails the test unless that works.
    pub async fn sign_in_as(&self, username: &str) {
        let response = self.sign_in(username, PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{username}: {}", response.text());
    }

    /// Enters the password again for sensitive actions ("sudo mode"), as the page's "Confirm
    /// your password" dialog does.
    pub async fn confirm_password(&self, password: &str) -> TestResponse {
        self.call(ConfirmPassword {
            password: password.to_owned().into(),
        })
        .await
    }

    /// Confirms the test password; fails the test unless that works.
    pub async fn confirm_password_ok(&self) {
        let response = self.confirm_password(PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }

    /// `current_user` as JSON: `null` when this client is not signed in.
    pub async fn current_user(&self) -> Value {
        self.call(CurrentUser {}).await.json()
    }

    /// The signed-in user's profile; fails the test when nobody is signed in.
    pub async fn profile(&self) -> UserView {
        self.call_ok(CurrentUser {}).await.expect("signed in")
    }

    /// How many active tokens the signed-in user has, as `current_user` tells it.
    pub async fn active_tokens(&self) -> u32 {
        self.profile().await.active_tokens
    }

    /// The id of the signed-in user's group `name`, as `current_user` tells it.
    pub async fn group_id(&self, name: &str) -> i64 {
        let profile = self.profile().await;
        profile
            .groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.id)
            .unwrap_or_else(|| panic!("not in {name:?}: {profile:?}"))
    }

    /// Chooses the default source by group id text (`""` clears it).
    pub async fn set_default_source(&self, group_id: &str) -> TestResponse {
        self.call(SetDefaultSource {
            group_id: group_id.to_owned(),
        })
        .await
    }

    /// Creates a token that must be accepted: `expiry` is `never`, a number of months or
    /// `exact` with `expires_at`. Answers the created token as JSON.
    pub async fn create_token(&self, name: &str, expiry: &str, expires_at: &str) -> Value {
        let response = self.call(create_token(name, expiry, expires_at)).await;
        assert_eq!(response.status, StatusCode::OK, "{name:?}: {}", response.text());
        response.json()
    }

    /// Creates a never-expiring token named `name`; answers a client that sends it (and no
    /// cookie), like a script using the token.
    pub async fn new_token(&self, name: &str) -> Client {
        self.new_token_with_access(name, "read_write").await
    }

    /// Creates a never-expiring token named `name` with the access level `access` (`read`
    /// or `read_write`); answers a client that sends it.
    pub async fn new_token_with_access(&self, name: &str, access: &str) -> Client {
        let created: CreatedToken = self.call_ok(create_token_with_access(name, "never", "", access)).await;
        self.with_token(created.secret)
    }

    /// Deletes the token with the id `id` (a JSON number, as lists show it).
    pub async fn delete_token(&self, id: &Value) -> TestResponse {
        let id = id.as_i64().unwrap_or_else(|| panic!("not a numeric id: {id}"));
        self.call(DeleteToken { id }).await
    }

    /// The signed-in user's sessions as `list_sessions` answers them; fails the test unless
    /// it answers.
    pub async fn sessions(&self) -> Vec<SessionView> {
        self.call_ok(ListSessions {}).await
    }

    /// Signs out the session `handle` names (as the Sessions list gave it).
    pub async fn sign_out_session(&self, handle: &str) -> TestResponse {
        self.call(SignOutSession {
            handle: handle.to_owned(),
        })
        .await
    }

    /// Signs out every other session of the signed-in user; answers how many ended and fails
    /// the test unless that works.
    pub async fn sign_out_everywhere_else(&self) -> u64 {
        self.call_ok(SignOutOtherSessions {}).await
    }

    /// The signed-in user's tokens as `list_tokens` answers them, as JSON.
    pub async fn tokens(&self) -> Vec<Value> {
        let response = self.call(ListTokens {}).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json().as_array().expect("a list").clone()
    }
}

/// The `Origin` the page's own requests carry.
fn same_origin() -> HeaderValue {
    HeaderValue::try_from(format!("http://{HOST}")).expect("an origin")
}

/// The arguments of `create_token`, for a read-and-write token.
pub fn create_token(name: &str, expiry: &str, expires_at: &str) -> CreateToken {
    create_token_with_access(name, expiry, expires_at, "read_write")
}

/// The arguments of `create_token` for a read-and-write token whose own source is `source`
/// (a group id, or empty for the profile default).
pub fn create_token_with_source(name: &str, source: &str) -> CreateToken {
    CreateToken {
        source: source.to_owned(),
        ..create_token(name, "never", "")
    }
}

/// The arguments of `create_token` with the access level `access`.
pub fn create_token_with_access(name: &str, expiry: &str, expires_at: &str, access: &str) -> CreateToken {
    CreateToken {
        name: name.to_owned(),
        expiry: expiry.to_owned(),
        expires_at: expires_at.to_owned(),
        access: access.to_owned(),
        description: String::new(),
        source: String::new(),
    }
}

/// The names of listed tokens, in order.
pub fn names(tokens: &[Value]) -> Vec<&str> {
    tokens.iter().map(|t| t["name"].as_str().expect("a name")).collect()
}

/// The arguments of `update_profile`.
pub fn update_profile(display_name: &str, email: &str) -> UpdateProfile {
    UpdateProfile {
        display_name: display_name.to_owned(),
        email: email.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The typed calls are only as good as their encoding: what they send must decode, the way
    // server_fn decodes a `PostUrl` body, to the arguments they were given.
    #[test]
    fn a_typed_call_encodes_exactly_what_the_server_decodes() {
        let args = create_token(
            " Équipe 🦀 a&b=c+d%20 \u{7}\nrtl\u{202E} ",
            "exact",
            "2026-06-15T14:31:00+02:00",
        );
        let form = serde_qs::to_string(&args).expect("encode");

        let decoded: CreateToken = serde_qs::Config::new(5, false).deserialize_str(&form).expect("decode");

        assert_eq!(
            (decoded.name, decoded.expiry, decoded.expires_at),
            (args.name, args.expiry, args.expires_at),
            "{form}"
        );
        let delete: DeleteToken = serde_qs::Config::new(5, false)
            .deserialize_str(&serde_qs::to_string(&DeleteToken { id: -42 }).expect("encode"))
            .expect("decode");
        assert_eq!(delete.id, -42);
    }
}
