//! `/profile`: the "My profile" view, with Edit at the bottom-right.

use leptos::prelude::*;

use crate::components::avatar::Avatar;
use crate::components::source_warning::SourceWarning;
use crate::contexts::auth::Auth;
use crate::pages::token_notices::TokenNotices;
use crate::server_fns::UserView;

fn token_summary(count: u32) -> String {
    match count {
        0 => "No active API tokens".to_owned(),
        1 => "1 active API token".to_owned(),
        n => format!("{n} active API tokens"),
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let auth = Auth::expect();
    // The counts shown may have changed since the last answer (tokens made in another tab):
    // ask again, unless the shell has just asked.
    auth.refresh_unless_fresh();
    let user = auth.user();
    let field = move |f: fn(&UserView) -> String| move || user.with(|u| u.as_ref().map(f)).unwrap_or_default();

    view! {
        <TokenNotices/>
        <section class="card profile" aria-labelledby="profile-heading">
            <header class="profile-header">
                <Avatar
                    display_name=Signal::derive(field(|u| u.display_name.clone()))
                    username=Signal::derive(field(|u| u.username.clone()))
                    large=true
                />
                <div>
                    <h1 id="profile-heading">"My profile"</h1>
                    <p class="muted">{field(|u| u.display_name.clone())}</p>
                </div>
            </header>
            <dl class="details">
                <dt>"Display name"</dt>
                <dd>{field(|u| u.display_name.clone())}</dd>
                <dt>"Username"</dt>
                <dd>{field(|u| u.username.clone())}</dd>
                <dt>"Email"</dt>
                <dd>{field(|u| u.email.clone().unwrap_or_else(|| "Not set".into()))}</dd>
                <dt>"Groups"</dt>
                <dd>
                    {field(|u| {
                        if u.groups.is_empty() {
                            "None".into()
                        } else {
                            u.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
                        }
                    })}
                </dd>
                <dt>"Default source"</dt>
                <dd>{field(|u| u.default_source.as_ref().map_or_else(|| "Not set".into(), |g| g.name.clone()))}</dd>
                <dt>"API tokens"</dt>
                <dd>{field(|u| token_summary(u.active_tokens))}</dd>
            </dl>
            <SourceWarning user=user/>
            <div class="actions-end">
                <a class="button primary" href="/profile/edit">"Edit"</a>
            </div>
        </section>
    }
}
