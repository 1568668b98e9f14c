//! The admin area's server functions and the `tessera` commands for roles: who may use
//! them, what each does to accounts, tokens and groups, the last administrator's protection,
//! and what the security log says about it.

use app::server_fns::admin::{
    AccountAction, AdminAccount, AdminCreateUser, AdminGroups, AdminMembership, AdminRevokeTokens, AdminSaveGroup,
    AdminUser, AdminUsers,
};
use app::server_fns::{AdminGroupView, AdminUserDetailView, AdminUsersView, CreatedUserView};
use http::StatusCode;
use tessera_tests::{Client, TestApp};

use crate::admin_cli::run;

/// An app with the administrator "root" signed in, and "dana" (in "Threat Research") with a
/// token; answers root's client, dana's client and dana's token client.
async fn with_admin() -> (TestApp, Client, Client, Client) {
    let app = TestApp::new().await;
    app.create_admin("root", &["SOC"]).await;
    let root = app.sign_in_as("root").await;
    let (dana, token) = app.signed_in_with_token("dana", &["Threat Research"]).await;
    (app, root, dana, token)
}

fn users(search: &str, page: u32) -> AdminUsers {
    AdminUsers {
        search: search.to_owned(),
        page,
    }
}

fn account(username: &str, action: AccountAction) -> AdminAccount {
    AdminAccount {
        username: username.to_owned(),
        action,
    }
}

async fn detail(root: &Client, username: &str) -> AdminUserDetailView {
    root.call_ok(AdminUser {
        username: username.to_owned(),
    })
    .await
}

#[tokio::test]
async fn only_administrators_reach_the_admin_functions() {
    let (app, root, dana, _) = with_admin().await;
    assert_eq!(root.current_user().await["is_admin"], true);
    assert_eq!(dana.current_user().await["is_admin"], false);
    let group = app.group_id("Threat Research").await;
    let refused = [
        dana.call(users("", 1)).await,
        dana.call(AdminUser {
            username: "root".into(),
        })
        .await,
        dana.call(AdminCreateUser {
            username: "mallory".into(),
            display_name: String::new(),
            email: String::new(),
            groups: Vec::new(),
            admin: true,
        })
        .await,
        dana.call(account("root", AccountAction::Deactivate)).await,
        dana.call(account("dana", AccountAction::GrantAdmin)).await,
        dana.call(AdminMembership {
            username: "dana".into(),
            group_id: app.group_id("SOC").await,
            join: true,
        })
        .await,
        dana.call(AdminRevokeTokens {
            username: "root".into(),
            token_id: None,
        })
        .await,
        dana.call(AdminGroups {}).await,
        dana.call(AdminSaveGroup {
            group_id: Some(group),
            name: "Mine".into(),
        })
        .await,
    ];
    for response in refused {
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text());
    }
    // Signed out: asked to sign in, not told it is forbidden.
    assert_eq!(
        app.anonymous().call(users("", 1)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Nothing changed.
    assert!(app.anonymous().sign_in("mallory", "whatever-password").await.status != StatusCode::OK);
    assert_eq!(dana.current_user().await["is_admin"], false);
}

#[tokio::test]
async fn users_are_searched_and_paged() {
    let (app, root, _, _) = with_admin().await;
    for i in 0..28 {
        app.create_user(&format!("analyst{i:02}"), &["SOC"]).await;
    }
    let first: AdminUsersView = root.call_ok(users("", 1)).await;
    assert_eq!((first.total, first.users.len(), first.page_size), (30, 25, 25));
    assert_eq!(first.users[0].username, "analyst00");
    let second: AdminUsersView = root.call_ok(users("", 2)).await;
    assert_eq!(
        second.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(),
        ["analyst25", "analyst26", "analyst27", "dana", "root"]
    );
    // By username, display name or email, in any case; LIKE's wildcards are plain text.
    let found: AdminUsersView = root.call_ok(users("ANALYST1", 1)).await;
    assert_eq!(found.total, 10);
    let found: AdminUsersView = root.call_ok(users("dana display", 1)).await;
    assert_eq!(
        found.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(),
        ["dana"]
    );
    let found: AdminUsersView = root.call_ok(users("%", 1)).await;
    assert_eq!(found.total, 0);
    // What a row says.
    let dana = found_user(&root, "dana").await;
    assert_eq!(dana.groups, ["Threat Research"]);
    assert_eq!(dana.active_tokens, 1);
    assert!(dana.active && !dana.admin);
    assert!(dana.last_signed_in_at.is_some());
    let root_row = found_user(&root, "root").await;
    assert!(root_row.admin);
    // A search too long is refused in words.
    let long = root.call(users(&"x".repeat(101), 1)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.text().contains("at most 100"), "{}", long.text());
}

#[tokio::test]
async fn a_users_page_opens_however_many_names_contain_theirs() {
    let (app, root, _, _) = with_admin().await;
    // 30 names that contain "dana" and sort before it.
    for i in 0..30 {
        app.create_user(&format!("adana{i:02}"), &[]).await;
    }
    let seen = detail(&root, "dana").await;
    assert_eq!(seen.user.username, "dana");
    assert_eq!(seen.user.active_tokens, 1);
    let missing = root
        .call(AdminUser {
            username: "nobody".into(),
        })
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_row_of_a_page_carries_its_own_users_groups() {
    let (app, root, _, _) = with_admin().await;
    app.create_user("multi", &["Zeta", "Alpha"]).await;
    app.create_user("nogroup", &[]).await;
    for i in 0..24 {
        app.create_user(&format!("member{i:02}"), &[if i % 2 == 0 { "Even" } else { "Odd" }])
            .await;
    }
    let mut seen = Vec::new();
    for page in 1..=2 {
        let view: AdminUsersView = root.call_ok(users("", page)).await;
        seen.extend(view.users.into_iter().map(|u| (u.username, u.groups)));
    }
    assert_eq!(seen.len(), 28, "{seen:?}");
    for (username, groups) in &seen {
        let expected: Vec<&str> = match username.as_str() {
            "multi" => vec!["Zeta", "Alpha"],
            "nogroup" => vec![],
            "root" => vec!["SOC"],
            "dana" => vec!["Threat Research"],
            member => {
                let n: u32 = member.trim_start_matches("member").parse().expect("a member");
                vec![if n.is_multiple_of(2) { "Even" } else { "Odd" }]
            }
        };
        assert_eq!(groups, &expected, "{username}");
    }
}

async fn found_user(root: &Client, username: &str) -> app::server_fns::AdminUserView {
    let found: AdminUsersView = root.call_ok(users(username, 1)).await;
    found
        .users
        .into_iter()
        .find(|u| u.username == username)
        .unwrap_or_else(|| panic!("{username} not listed"))
}

#[tokio::test]
async fn an_administrator_creates_a_user_who_signs_in_with_the_password_shown_once() {
    let (app, root, _, _) = with_admin().await;
    let soc = app.group_id("SOC").await;
    let created: CreatedUserView = root
        .call_ok(AdminCreateUser {
            username: "Frank".into(),
            display_name: "Frank F".into(),
            email: "frank@example.org".into(),
            groups: vec![soc],
            admin: false,
        })
        .await;
    assert_eq!(created.username, "frank");
    assert_eq!(created.password.len(), 24);
    let frank = app.anonymous();
    let signed_in = frank.sign_in("frank", &created.password).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text());
    assert_eq!(signed_in.json()["groups"][0]["name"], "SOC");
    assert_eq!(signed_in.json()["is_admin"], false);
    // Mistakes are named at their field.
    let taken = root
        .call(AdminCreateUser {
            username: "frank".into(),
            display_name: String::new(),
            email: String::new(),
            groups: Vec::new(),
            admin: false,
        })
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text().contains("already exists"), "{}", taken.text());
    let bad = root
        .call(AdminCreateUser {
            username: "gina".into(),
            display_name: String::new(),
            email: "not an email".into(),
            groups: Vec::new(),
            admin: false,
        })
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["Invalid"]["field"], "email", "{}", bad.text());
    // An administrator created as one.
    let boss: CreatedUserView = root
        .call_ok(AdminCreateUser {
            username: "boss".into(),
            display_name: String::new(),
            email: String::new(),
            groups: Vec::new(),
            admin: true,
        })
        .await;
    let boss_client = app.anonymous();
    assert_eq!(
        boss_client.sign_in("boss", &boss.password).await.json()["is_admin"],
        true
    );
    // The log names who did it, and never the password.
    let events = app.security_events().await;
    let frank_id = app.user_id("frank").await;
    let made = events
        .iter()
        .find(|e| e.kind == "account_created" && e.user_id == Some(frank_id))
        .expect("account_created");
    assert_eq!(made.actor.as_deref(), Some("root"));
    assert!(
        made.detail
            .as_deref()
            .is_some_and(|d| d.contains("\"SOC\"") && d.contains("root"))
    );
    assert!(
        events
            .iter()
            .any(|e| e.kind == "admin_granted" && e.actor.as_deref() == Some("root"))
    );
    assert!(
        events
            .iter()
            .all(|e| !e.detail.as_deref().unwrap_or("").contains(&created.password))
    );
}

#[tokio::test]
async fn deactivation_ends_access_at_once_and_reactivation_gives_sign_in_back() {
    let (app, root, dana, token) = with_admin().await;
    assert_eq!(token.get("/api/v1/me").await.status, StatusCode::OK);
    root.call_ok(account("dana", AccountAction::Deactivate)).await;
    assert_eq!(token.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(dana.current_user().await, serde_json::Value::Null);
    assert_eq!(
        app.anonymous().sign_in("dana", tessera_tests::PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let row = found_user(&root, "dana").await;
    assert!(!row.active);
    assert_eq!(row.active_tokens, 0);
    let again = root.call(account("dana", AccountAction::Deactivate)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("already deactivated"), "{}", again.text());
    // A deactivated account cannot be made an administrator.
    let grant = root.call(account("dana", AccountAction::GrantAdmin)).await;
    assert_eq!(grant.status, StatusCode::CONFLICT);
    assert!(grant.text().contains("reactivate"), "{}", grant.text());

    root.call_ok(account("dana", AccountAction::Reactivate)).await;
    let back = app.anonymous().sign_in("dana", tessera_tests::PASSWORD).await;
    assert_eq!(back.status, StatusCode::OK);
    // Its old tokens stay revoked.
    assert_eq!(token.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let kinds: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.actor.as_deref() == Some("root"))
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["account_deactivated", "account_reactivated"]);
}

#[tokio::test]
async fn the_last_administrator_keeps_the_role_and_the_account() {
    let (app, root, _, _) = with_admin().await;
    // Nobody deactivates themself here.
    let own = root.call(account("root", AccountAction::Deactivate)).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own.text().contains("your own account"), "{}", own.text());
    let last = root.call(account("root", AccountAction::RevokeAdmin)).await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert!(last.text().contains("last active administrator"), "{}", last.text());
    let cli = run(&app, &["user", "deactivate", "root"], "").await;
    assert!(cli.expect_err("last admin").contains("last active administrator"));
    let cli = run(&app, &["user", "revoke-admin", "root"], "").await;
    assert!(cli.expect_err("last admin").contains("last active administrator"));

    // With a second administrator, either may step down, but not both.
    root.call_ok(account("dana", AccountAction::GrantAdmin)).await;
    let dana_admin = app.sign_in_as("dana").await;
    assert_eq!(dana_admin.current_user().await["is_admin"], true);
    let again = root.call(account("dana", AccountAction::GrantAdmin)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    root.call_ok(account("root", AccountAction::RevokeAdmin)).await;
    assert_eq!(root.call(users("", 1)).await.status, StatusCode::FORBIDDEN);
    let last = dana_admin.call(account("dana", AccountAction::RevokeAdmin)).await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    let not_admin = dana_admin.call(account("root", AccountAction::RevokeAdmin)).await;
    assert_eq!(not_admin.status, StatusCode::CONFLICT);
    assert!(
        not_admin.text().contains("not an administrator"),
        "{}",
        not_admin.text()
    );
}

#[tokio::test]
async fn two_administrators_removing_each_other_at_once_leave_one() {
    let app = TestApp::new().await;
    app.create_admin("ann", &[]).await;
    app.create_admin("ben", &[]).await;
    let (ann, ben) = (app.sign_in_as("ann").await, app.sign_in_as("ben").await);
    let (a, b) = tokio::join!(
        ann.call(account("ben", AccountAction::RevokeAdmin)),
        ben.call(account("ann", AccountAction::RevokeAdmin)),
    );
    // One wins; the other is refused, as the last administrator (409) or, when the winner
    // was quicker, as no longer an administrator at all (403).
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::OK, "{} / {}", a.text(), b.text());
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&statuses[1]),
        "{} / {}",
        a.text(),
        b.text()
    );
    let admins = [
        ann.current_user().await["is_admin"].clone(),
        ben.current_user().await["is_admin"].clone(),
    ];
    assert_eq!(admins.iter().filter(|a| **a == true).count(), 1);
}

#[tokio::test]
async fn memberships_change_where_new_objects_go() {
    let (app, root, dana, token) = with_admin().await;
    let soc = app.group_id("SOC").await;
    let tr = app.group_id("Threat Research").await;
    let join = |group_id, join| AdminMembership {
        username: "dana".into(),
        group_id,
        join,
    };
    root.call_ok(join(soc, true)).await;
    let seen = detail(&root, "dana").await;
    let mut names: Vec<_> = seen.groups.iter().map(|g| g.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["SOC", "Threat Research"]);
    assert_eq!(seen.all_groups.len(), 2);
    let twice = root.call(join(soc, true)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    root.call_ok(join(tr, false)).await;
    // The token's objects now go to the group left: SOC.
    let created = token.create_entity("After the move").await;
    assert_eq!(created["source"]["name"], "SOC", "{created}");
    assert_eq!(dana.current_user().await["groups"][0]["name"], "SOC");
    let not_in = root.call(join(tr, false)).await;
    assert_eq!(not_in.status, StatusCode::NOT_FOUND);
    let unknown = root.call(join(9_999, true)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let kinds: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.actor.as_deref() == Some("root"))
        .map(|e| (e.kind, e.detail.unwrap_or_default()))
        .collect();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[0].0, "group_joined");
    assert!(kinds[0].1.contains("\"SOC\""), "{}", kinds[0].1);
    assert_eq!(kinds[1].0, "group_left");
}

#[tokio::test]
async fn an_administrator_revokes_a_users_tokens_one_or_all() {
    let (app, root, dana, first) = with_admin().await;
    let second = dana.new_token("CI").await;
    let third = dana.new_token("Notebook").await;
    let seen = detail(&root, "dana").await;
    assert_eq!(seen.tokens.len(), 3);
    assert!(!seen.is_you);
    // Never a secret in what the administrator sees.
    let raw = root
        .call(AdminUser {
            username: "dana".into(),
        })
        .await
        .text();
    assert!(!raw.contains(first.token()) && !raw.contains("tsr_"), "{raw}");
    let ci = seen.tokens.iter().find(|t| t.name == "CI").expect("CI").id;
    let one: u64 = root
        .call_ok(AdminRevokeTokens {
            username: "dana".into(),
            token_id: Some(ci),
        })
        .await;
    assert_eq!(one, 1);
    assert_eq!(second.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(first.get("/api/v1/me").await.status, StatusCode::OK);
    let gone = root
        .call(AdminRevokeTokens {
            username: "dana".into(),
            token_id: Some(ci),
        })
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // Someone else's token id is not found under dana.
    let (_, _) = app.signed_in_with_token("eve", &[]).await;
    let eves = detail(&root, "eve").await.tokens[0].id;
    let elsewhere = root
        .call(AdminRevokeTokens {
            username: "dana".into(),
            token_id: Some(eves),
        })
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    let all: u64 = root
        .call_ok(AdminRevokeTokens {
            username: "dana".into(),
            token_id: None,
        })
        .await;
    assert_eq!(all, 2);
    for token in [&first, &third] {
        assert_eq!(token.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    }
    assert!(detail(&root, "dana").await.tokens.is_empty());
    let dana_id = app.user_id("dana").await;
    let revocations: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.kind == "token_deleted" && e.user_id == Some(dana_id))
        .collect();
    assert_eq!(revocations.len(), 3);
    assert!(
        revocations
            .iter()
            .all(|e| e.actor.as_deref() == Some("root") && e.token_id.is_some())
    );
    // The owner reads who did it in their own log.
    let log = dana.security_log(1, "").await;
    assert!(
        log.events.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("by administrator \"root\""))),
        "{:?}",
        log.events
    );
}

#[tokio::test]
async fn groups_are_created_renamed_and_listed_with_members() {
    let (app, root, _, token) = with_admin().await;
    let made: app::server_fns::GroupView = root
        .call_ok(AdminSaveGroup {
            group_id: None,
            name: "Incident Response".into(),
        })
        .await;
    assert_eq!(made.name, "Incident Response");
    let duplicate = root
        .call(AdminSaveGroup {
            group_id: None,
            name: "SOC".into(),
        })
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.json()["Conflict"]["field"], "group_name");
    let blank = root
        .call(AdminSaveGroup {
            group_id: None,
            name: "  ".into(),
        })
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);

    let entity = token.create_entity("Before the rename").await;
    let tr = app.group_id("Threat Research").await;
    root.call_ok(AdminSaveGroup {
        group_id: Some(tr),
        name: "Threat Intel".into(),
    })
    .await;
    let taken = root
        .call(AdminSaveGroup {
            group_id: Some(tr),
            name: "SOC".into(),
        })
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let missing = root
        .call(AdminSaveGroup {
            group_id: Some(9_999),
            name: "Nowhere".into(),
        })
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Objects keep their source, now under its new name.
    let listed = token.list("/api/v1/entities").await;
    let same = listed.iter().find(|e| e["id"] == entity["id"]).expect("listed");
    assert_eq!(same["source"]["name"], "Threat Intel");

    let groups: Vec<AdminGroupView> = root.call_ok(AdminGroups {}).await;
    let summary: Vec<_> = groups.iter().map(|g| (g.name.as_str(), g.members.join(","))).collect();
    assert_eq!(
        summary,
        [
            ("Incident Response", String::new()),
            ("SOC", "root".to_owned()),
            ("Threat Intel", "dana".to_owned())
        ]
    );
    let kinds: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.kind.starts_with("group_"))
        .map(|e| (e.kind, e.detail.unwrap_or_default()))
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(
        kinds[1].1.contains("\"Threat Research\" to \"Threat Intel\""),
        "{:?}",
        kinds
    );
}

#[tokio::test]
async fn roles_and_groups_have_commands_too() {
    let app = TestApp::new().await;
    run(&app, &["group", "create", "SOC"], "").await.expect("group");
    let out = run(&app, &["user", "create", "ops", "--admin", "--group", "SOC"], "")
        .await
        .expect("admin");
    assert!(out.contains("Created administrator \"ops\""), "{out}");
    run(&app, &["user", "create", "ivy"], "").await.expect("user");
    let out = run(&app, &["user", "grant-admin", "ivy"], "").await.expect("grant");
    assert!(out.contains("\"ivy\" is now an administrator"), "{out}");
    let list = run(&app, &["user", "list"], "").await.expect("list");
    assert!(
        list.lines().any(|l| l.starts_with("ivy\t") && l.contains("\tadmin\t")),
        "{list}"
    );
    run(&app, &["user", "revoke-admin", "ivy"], "").await.expect("revoke");
    let again = run(&app, &["user", "revoke-admin", "ivy"], "").await;
    assert!(again.expect_err("not admin").contains("not an administrator"));
    run(&app, &["user", "deactivate", "ivy"], "").await.expect("deactivate");
    let out = run(&app, &["user", "reactivate", "ivy"], "").await.expect("reactivate");
    assert!(out.contains("can sign in again"), "{out}");
    let out = run(&app, &["group", "rename", "SOC", "Security Operations"], "")
        .await
        .expect("rename");
    assert!(out.contains("to \"Security Operations\""), "{out}");
    let groups = run(&app, &["group", "list"], "").await.expect("groups");
    assert_eq!(groups.trim(), "Security Operations\tops");
    let unknown = run(&app, &["user", "grant-admin", "nobody"], "").await;
    assert!(unknown.expect_err("unknown").contains("tessera user list"));
    // Every change is in the log, as done by a command.
    let commands: Vec<_> = app
        .security_events()
        .await
        .into_iter()
        .filter(|e| e.detail.as_deref().is_some_and(|d| d.contains("(tessera user")))
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        commands,
        [
            "account_created",
            "admin_granted",
            "account_created",
            "admin_granted",
            "admin_revoked",
            "account_deactivated",
            "account_reactivated"
        ]
    );
}

#[tokio::test]
async fn a_users_tokens_are_listed_and_revoked_by_command() {
    let (app, _, dana, first) = with_admin().await;
    let _second = dana.new_token("CI").await;
    let listed = run(&app, &["user", "tokens", "dana"], "").await.expect("tokens");
    let lines: Vec<_> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines.iter().all(|l| l.ends_with("\tnever expires\tnever used")),
        "{listed}"
    );
    assert!(!listed.contains("tsr_"), "{listed}");
    let ci_id = lines
        .iter()
        .find(|l| l.contains("\tCI\t"))
        .and_then(|l| l.split('\t').next())
        .expect("CI's id")
        .to_owned();
    let out = run(&app, &["user", "revoke-tokens", "dana", "--token", &ci_id], "")
        .await
        .expect("revoke one");
    assert!(out.contains(&format!("Revoked token {ci_id}")), "{out}");
    let again = run(&app, &["user", "revoke-tokens", "dana", "--token", &ci_id], "").await;
    assert!(again.expect_err("gone").contains("tessera user tokens"));
    let out = run(&app, &["user", "revoke-tokens", "dana"], "")
        .await
        .expect("revoke all");
    assert!(out.contains("Revoked 1 API token of \"dana\""), "{out}");
    assert_eq!(first.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let none = run(&app, &["user", "tokens", "dana"], "").await.expect("none");
    assert!(none.contains("has no API tokens"), "{none}");
}

#[tokio::test]
async fn the_demo_has_an_administrator() {
    let app = TestApp::new().await;
    let out = run(&app, &["demo"], "").await.expect("demo");
    assert!(
        out.contains("sign in as \"admin\" with password \"tessera-admin-password\""),
        "{out}"
    );
    let admin = app.anonymous();
    let answer = admin.sign_in("admin", "tessera-admin-password").await;
    assert_eq!(answer.json()["is_admin"], true);
    let demo = app.anonymous();
    assert_eq!(
        demo.sign_in("demo", "tessera-demo-password").await.json()["is_admin"],
        false
    );
    // Loading it again changes nothing.
    let again = run(&app, &["demo"], "").await.expect("demo again");
    assert!(again.contains("already exists"), "{again}");
}

#[tokio::test]
async fn admin_changes_ask_for_the_password_again_after_an_hour_and_reads_do_not() {
    let (app, root, dana, _) = with_admin().await;
    app.clock.advance(chrono::Duration::minutes(61));
    // Reading the admin area needs no password.
    assert_eq!(root.call(users("", 1)).await.status, StatusCode::OK);
    assert_eq!(root.call(AdminGroups {}).await.status, StatusCode::OK);
    let stale = [
        root.call(account("dana", AccountAction::GrantAdmin)).await,
        root.call(AdminSaveGroup {
            group_id: None,
            name: "Late".into(),
        })
        .await,
        root.call(AdminRevokeTokens {
            username: "dana".into(),
            token_id: None,
        })
        .await,
    ];
    for response in stale {
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text());
        assert_eq!(response.json(), serde_json::json!("ReauthRequired"));
    }
    // Nothing happened.
    assert!(!found_user(&root, "dana").await.admin);
    assert_eq!(found_user(&root, "dana").await.active_tokens, 1);
    // Someone who is no administrator is refused, not asked for a password.
    let refused = dana.call(account("dana", AccountAction::GrantAdmin)).await;
    assert_eq!(refused.json(), serde_json::json!("Forbidden"), "{}", refused.text());
    root.confirm_password_ok().await;
    root.call_ok(account("dana", AccountAction::GrantAdmin)).await;
    assert!(found_user(&root, "dana").await.admin);
}

#[tokio::test]
async fn the_admin_areas_addresses_answer_403_to_anyone_but_an_administrator() {
    let (app, root, dana, _) = with_admin().await;
    for path in ["/admin", "/admin/users", "/admin/users/dana?x=1", "/admin/groups"] {
        let page = root.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.text().contains("start()"), "{path}: {}", page.text());
        for (who, client) in [("dana", &dana), ("a visitor", &app.anonymous())] {
            let refused = client.get(path).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who} {path}");
            // The client's page still comes, to say why (or to ask to sign in).
            assert!(refused.text().contains("start()"), "{who} {path}");
            assert_eq!(refused.headers["cache-control"], "no-cache");
        }
    }
    // Other pages are not affected.
    assert_eq!(dana.get("/profile").await.status, StatusCode::OK);
    assert_eq!(dana.get("/administrator").await.status, StatusCode::OK);
}
