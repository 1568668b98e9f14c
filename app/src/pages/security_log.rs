//! `/profile/security`, "Security log": the signed-in user's own sign-ins, token changes and
//! refused token requests, newest first, 50 a page, optionally of one token. Linked from the
//! end of Edit your profile.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::contexts::auth::Auth;
use crate::dates::{exact_local, relative};
use crate::error::AppError;
use crate::server_fns::security_log::{LoggedTokenView, SecurityEventView, security_log};

/// One row: when (relative, exact on hover and focus), what, which token, from where.
#[component]
fn EventRow(event: SecurityEventView, now: DateTime<Utc>) -> impl IntoView {
    let time_id = format!("event-time-{}", event.id);
    let token = match (event.token_name, event.token_id) {
        (Some(name), _) => view! { <span>{name}</span> }.into_any(),
        (None, Some(_)) => view! { <span class="muted">"A deleted token"</span> }.into_any(),
        (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let address = event.client_addr.unwrap_or_else(|| "Unknown".to_owned());
    let agent = event.user_agent.unwrap_or_else(|| "Unknown".to_owned());
    view! {
        <tr>
            <td data-label="Time">
                <span class="tip" tabindex="0" aria-describedby=time_id.clone()>
                    <time datetime=event.at.to_rfc3339()>{relative(event.at, now)}</time>
                    <span class="tip-text" role="tooltip" id=time_id.clone()>{exact_local(event.at)}</span>
                </span>
            </td>
            <td data-label="Event" class="event-what">
                <span class="event-words">{event.event}</span>
                {event.detail.map(|d| view! { <span class="event-detail">{d}</span> })}
            </td>
            <td data-label="Token">{token}</td>
            <td data-label="Address"><span class="event-address">{address}</span></td>
            <td data-label="User agent"><span class="event-agent">{agent}</span></td>
        </tr>
    }
}

#[component]
fn EventTable(events: Vec<SecurityEventView>, now: DateTime<Utc>) -> impl IntoView {
    let rows = events
        .into_iter()
        .map(|event| view! { <EventRow event=event now=now/> })
        .collect_view();
    view! {
        <table class="tokens security-log">
            <caption class="visually-hidden">"Security events, newest first"</caption>
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"Token"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"User agent"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub fn SecurityLogPage() -> impl IntoView {
    let auth = Auth::expect();
    let page = RwSignal::new(1_u32);
    let token = RwSignal::new(String::new());
    let log = LocalResource::new(move || security_log(page.get(), token.get()));
    auth.watch(log);
    // The filter keeps its choices while the next page loads.
    let tokens = RwSignal::new(Vec::<LoggedTokenView>::new());
    let more = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(view)) = log.get() {
            tokens.set(view.tokens);
            more.set(view.more);
        }
    });
    // Relative times are worked out anew every minute.
    let now = RwSignal::new(Utc::now());
    if let Ok(ticker) = set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(60)) {
        on_cleanup(move || ticker.clear());
    }

    let options = move || {
        tokens
            .get()
            .into_iter()
            .map(|t| {
                let value = t.id.to_string();
                let selected = token.with(|chosen| *chosen == value);
                view! { <option value=value selected=selected>{t.label()}</option> }
            })
            .collect_view()
    };
    let on_filter = move |ev: leptos::ev::Event| {
        token.set(event_target_value(&ev));
        page.set(1);
    };
    let filtered = move || token.with(|t| !t.is_empty());
    let list = move || {
        match log.get() {
        None => view! { <p class="muted" role="status">"Loading the security log…"</p> }.into_any(),
        // The session has ended: `Auth::watch` sends the person to sign in.
        Some(Err(AppError::Unauthenticated)) => ().into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
        Some(Ok(view)) if view.events.is_empty() => view! {
            <div class="empty-state">
                <p><strong>{if filtered() { "No events for this token." } else { "No security events yet." }}</strong></p>
                <p class="muted">"Sign-ins, changes to your API tokens and requests refused with them appear here."</p>
            </div>
        }
        .into_any(),
        Some(Ok(view)) => view! { <EventTable events=view.events now=now.get()/> }.into_any(),
    }
    };

    view! {
        <section class="card" aria-labelledby="security-log-heading">
            <div class="section-header">
                <h1 id="security-log-heading">"Security log"</h1>
                <a href="/profile/edit">"Back to Edit your profile"</a>
            </div>
            <p class="muted">
                "What happened to your account and your API tokens, newest first: sign-ins, token changes, "
                "requests refused with your tokens, and tokens used from a new address. If you do not "
                "recognise an event, change your password and delete the token concerned."
            </p>
            <div class="field log-filter">
                <label for="security-log-token">"Token"</label>
                <select id="security-log-token" on:change=on_filter>
                    <option value="" selected=move || !filtered()>"All tokens"</option>
                    {options}
                </select>
            </div>
            {list}
            <nav class="pager" aria-label="Security log pages">
                <button type="button" class="button" disabled=move || page.get() <= 1
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                    "Newer"
                </button>
                <span class="muted" aria-live="polite">{move || format!("Page {}", page.get())}</span>
                <button type="button" class="button" disabled=move || !more.get()
                    on:click=move |_| page.update(|p| *p += 1)>
                    "Older"
                </button>
            </nav>
        </section>
    }
}

/// The last section of Edit your profile: where the security log is.
#[component]
pub fn SecurityLogLink() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="security-log-link-heading">
            <h2 id="security-log-link-heading">"Security log"</h2>
            <p class="muted">
                "Sign-ins, changes to your API tokens, and requests refused with them, with when and from where."
            </p>
            <a class="button" href="/profile/security">"View your security log"</a>
        </section>
    }
}
