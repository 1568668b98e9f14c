//! The list of the user's sessions: the browser (summarised, with the full user agent under
//! it), when it signed in, when it was last seen and from where, and a Sign out button on
//! every row but this session's.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::dates::{exact_local, local_date_time, relative};
use crate::domain::summarise_user_agent;
use crate::server_fns::SessionView;

/// An instant, or "unknown" for a session from before Tessera kept it.
fn instant(t: Option<DateTime<Utc>>, shown: impl Fn(DateTime<Utc>) -> String) -> AnyView {
    match t {
        Some(t) => view! { <time datetime=t.to_rfc3339() title=exact_local(t)>{shown(t)}</time> }.into_any(),
        None => view! { <span class="muted">"unknown"</span> }.into_any(),
    }
}

#[component]
pub fn SessionTable(
    sessions: Vec<SessionView>,
    now: DateTime<Utc>,
    /// Asked to sign out a session (never this one), with its summary for the announcement.
    on_sign_out: Callback<(SessionView, String)>,
    /// Whether a sign-out is under way (the buttons wait).
    #[prop(into)]
    pending: Signal<bool>,
) -> impl IntoView {
    let rows = sessions
        .into_iter()
        .map(|session| {
            let summary = summarise_user_agent(session.user_agent.as_deref());
            let agent = session
                .user_agent
                .clone()
                .map(|ua| view! { <span class="session-agent">{ua}</span> });
            let started = session.started_at;
            let last_seen = if session.current {
                // The list was asked for from here: this session is in use now.
                view! { <span class="session-active">"Active now"</span> }.into_any()
            } else {
                instant(session.last_seen_at, move |t| relative(t, now))
            };
            let address = match session.address.clone() {
                Some(a) => view! { <span class="session-address">{a}</span> }.into_any(),
                None => view! { <span class="muted">"unknown"</span> }.into_any(),
            };
            let action = (!session.current).then(|| {
                let label = format!("Sign out session on {summary}");
                let target = (session.clone(), summary.clone());
                view! {
                    <button
                        type="button"
                        class="button small"
                        aria-label=label
                        disabled=move || pending.get()
                        on:click=move |_| on_sign_out.run(target.clone())
                    >
                        "Sign out"
                    </button>
                }
            });
            view! {
                <tr class:current=session.current>
                    <td class="session-browser">
                        <span class="session-summary">{summary}</span>
                        {session.current.then(|| view! { <span class="badge badge-current">"This session"</span> })}
                        {agent}
                    </td>
                    // On a phone the header row is hidden and each cell shows its label.
                    <td data-label="Signed in">{instant(started, local_date_time)}</td>
                    <td data-label="Last seen">{last_seen}</td>
                    <td data-label="Address">{address}</td>
                    <td class="row-actions">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tokens sessions">
            <thead>
                <tr>
                    <th scope="col">"Browser"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
