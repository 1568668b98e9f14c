//! The list of a user's API tokens: name, expiration date, last used, when it was created,
//! and its edit, rotate and delete buttons.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::usage_chart::UsageChart;
use crate::dates::{exact_local, local_date_time, relative, relative_until};
use crate::domain::{ExpiryLevel, days_left};
use crate::server_fns::TokenView;

/// "2 entities" and "1 observable": what requests with the token created.
pub fn counts(entities: i64, observables: i64) -> (String, String) {
    (
        format!("{entities} {}", if entities == 1 { "entity" } else { "entities" }),
        format!("{observables} observable{}", if observables == 1 { "" } else { "s" }),
    )
}

/// A row's icon button, named "VERB token NAME", with the id `verb-token-ID` that focus is
/// given back to when its dialog closes.
#[component]
fn RowButton(
    verb: &'static str,
    symbol: &'static str,
    token: TokenView,
    on_click: Callback<TokenView>,
) -> impl IntoView {
    let label = format!("{verb} token {}", token.name);
    view! {
        <button
            type="button"
            id=format!("{}-token-{}", verb.to_ascii_lowercase(), token.id)
            class="icon-button"
            aria-label=label.clone()
            title=label
            on:click=move |_| on_click.run(token.clone())
        >
            {symbol}
        </button>
    }
}

#[component]
pub fn TokenTable(
    tokens: Vec<TokenView>,
    now: DateTime<Utc>,
    /// The owner's Edit and Rotate; an administrator's view of someone's tokens has neither.
    #[prop(optional)]
    on_edit: Option<Callback<TokenView>>,
    #[prop(optional)] on_rotate: Option<Callback<TokenView>>,
    on_delete: Callback<TokenView>,
    /// The last button's verb: "Delete" for the owner, "Revoke" for an administrator.
    #[prop(default = "Delete")]
    delete_verb: &'static str,
    /// Whether the counts link to the Data page (only the owner's own tokens do).
    #[prop(default = true)]
    data_links: bool,
) -> impl IntoView {
    let rows = tokens
        .into_iter()
        .map(|token| {
            let expires = match token.expires_at {
                None => view! { <span>"Never"</span> }.into_any(),
                Some(t) => view! {
                    <time datetime=t.to_rfc3339() title=exact_local(t)>{local_date_time(t)}</time>
                    {(!token.expired && t > now).then(|| view! { <span class="relative">{relative_until(t, now)}</span> })}
                }
                .into_any(),
            };
            // Not colour alone: each pill says in words how near the expiry is.
            let pill = token.expiry_level.filter(|_| !token.expired).map(|level| match level {
                ExpiryLevel::Soon => view! { <span class="pill">"Expires soon"</span> }.into_any(),
                ExpiryLevel::Urgent { days } => {
                    let text = match days {
                        0 => "Expires today".to_owned(),
                        _ => format!("Expires {}", days_left(days)),
                    };
                    view! { <span class="pill pill-urgent">{text}</span> }.into_any()
                }
            });
            // The details show on hover and on focus, are read as the time's description, and
            // sit under it on narrow screens, which have no hover.
            let details_id = format!("last-used-{}", token.id);
            let last_used = match token.last_used_at {
                None => view! { <span class="muted">"Never used"</span> }.into_any(),
                Some(t) => view! {
                    <span class="tip" tabindex="0" aria-describedby=details_id.clone()>
                        <time datetime=t.to_rfc3339()>{relative(t, now)}</time>
                        <span class="tip-text" role="tooltip" id=details_id.clone()>
                            {exact_local(t)}
                            {token.last_used_ip.clone().map(|ip| view! { <br/>{format!("From {ip}")} })}
                            {token.last_used_agent.clone().map(|ua| view! { <br/>{ua} })}
                        </span>
                    </span>
                }
                .into_any(),
            };
            let created = token.created_at;
            let row_id = format!("token-row-{}", token.id);
            let to_edit = token.clone();
            // The value's last characters, so a person can tell which token a script holds.
            let hint = token.hint.clone().map(|h| {
                view! { <code class="token-hint" title="The last characters of the token's value">{format!("tsr_…{h}")}</code> }
            });
            let description = token.description.clone().map(|d| view! { <span class="token-description">{d}</span> });
            let source = token.source.clone().map(|g| view! { <span class="token-access">{format!("Source: {}", g.name)}</span> });
            let unavailable = (!token.source_available).then(|| {
                view! { <span class="badge badge-warning">"Source no longer available"</span> }
            });
            // After a rotation, while the replaced value still works.
            let grace = token.old_value_until.filter(|until| *until > now).map(|until| {
                view! {
                    <span class="badge badge-info">
                        "Old value works until "
                        <time datetime=until.to_rfc3339() title=exact_local(until)>{local_date_time(until)}</time>
                    </span>
                }
            });
            let (entity_count, observable_count) = counts(token.entities, token.observables);
            let name = token.name.clone();
            let expired = token.expired;
            // An expired token has nothing left to rotate.
            let to_rotate = on_rotate.filter(|_| !expired).map(|cb| (token.clone(), cb));
            let to_edit = on_edit.map(|cb| (to_edit, cb));
            let counts_view = if data_links {
                view! {
                    <a href=format!("/data?kind=entities&token={}", token.id)>{entity_count}</a>
                    " · "
                    <a href=format!("/data?kind=observables&token={}", token.id)>{observable_count}</a>
                }
                .into_any()
            } else {
                view! { {entity_count} " · " {observable_count} }.into_any()
            };
            view! {
                // Focusable from script: focus lands on a new token's row.
                <tr class:expired=expired id=row_id tabindex="-1">
                    <td class="token-name">
                        <span class="token-label">{name}</span>
                        {hint}
                        <span class="token-access">{token.access.label()}</span>
                        {source}
                        {unavailable}
                        {grace}
                        {description}
                        // Each count opens what the token created on the Data page.
                        <span class="token-counts">{counts_view}</span>
                    </td>
                    // On a phone the header row is hidden and each cell shows its label.
                    <td data-label="Expires">
                        {expires}
                        {pill}
                        {expired.then(|| view! { <span class="badge">"Expired"</span> })}
                    </td>
                    <td data-label="Last used">
                        {last_used}
                        <UsageChart usage=token.usage.clone() now=now/>
                    </td>
                    <td data-label="Created">
                        <time datetime=created.to_rfc3339() title=exact_local(created)>{local_date_time(created)}</time>
                    </td>
                    <td class="row-actions">
                        {to_edit.map(|(token, cb)| view! { <RowButton verb="Edit" symbol="✎" token=token on_click=cb/> })}
                        {to_rotate.map(|(token, cb)| view! { <RowButton verb="Rotate" symbol="⟳" token=token on_click=cb/> })}
                        <RowButton verb=delete_verb symbol="×" token=token on_click=on_delete/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tokens">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Expiration date"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
