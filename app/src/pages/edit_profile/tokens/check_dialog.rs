//! "Which token is this?": paste a token found in a script, a ticket or a paste, and learn
//! whether it is yours (then revoke it at once) or not (then report it as leaked). The format
//! is checked here first, with the server's own rules. The value lives only in this dialog:
//! closing it drops the field and the actions' inputs.

use leptos::prelude::*;
use leptos::{ev, html};

use crate::components::modal::Modal;
use crate::dates::{exact_local, local_date_time, relative};
use crate::domain::token_format;
use crate::error::AppError;
use crate::server_fns::leaks::{CheckToken, ReportToken};
use crate::server_fns::tokens::DeleteToken;
use crate::server_fns::{InactiveView, TokenCheckView, TokenView};

/// "This is your token NAME, created …, last used … from …, expires …."
fn describe_yours(token: &TokenView, now: chrono::DateTime<chrono::Utc>) -> String {
    let used = match (token.last_used_at, token.last_used_ip.as_deref()) {
        (None, _) => "never used".to_owned(),
        (Some(at), Some(ip)) => format!("last used {} from {ip}", relative(at, now)),
        (Some(at), None) => format!("last used {}", relative(at, now)),
    };
    let expires = token.expires_at.map_or_else(
        || "never expires".to_owned(),
        |at| format!("expires {}", local_date_time(at)),
    );
    format!(
        "This is your token {}, created {}, {used}, {expires}.",
        token.name,
        local_date_time(token.created_at)
    )
}

fn describe_inactive(name: &str, why: InactiveView) -> String {
    match why {
        InactiveView::Expired(at) => format!(
            "This is your token {name}. It expired on {}, so it no longer works: nothing to do.",
            local_date_time(at)
        ),
        InactiveView::Deleted(at) => format!(
            "This is your token {name}. It was deleted on {}, so it no longer works: nothing to do.",
            local_date_time(at)
        ),
        InactiveView::Replaced => format!(
            "This is an old value of your token {name}, replaced by a rotation. It no longer works: nothing to do."
        ),
    }
}

#[component]
fn YoursResult(
    token: TokenView,
    old_value_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The section's delete action, so the list follows.
    delete: ServerAction<DeleteToken>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = token.id;
    let name = token.name.clone();
    let deleted = Memo::new(move |_| delete.value().with(|v| matches!(v, Some(Ok(())))));
    let delete_error = move || {
        delete
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(ToString::to_string))
    };
    let mut text = describe_yours(&token, chrono::Utc::now());
    if let Some(until) = old_value_until {
        text = format!(
            "{text} The value you checked is its old value, replaced by a rotation; it keeps working until {}.",
            exact_local(until)
        );
    }
    view! {
        <p class="check-result">{text}</p>
        <Show
            when=move || deleted.get()
            fallback=move || {
                let name = name.clone();
                view! {
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button type="button" class="button danger" on:click=move |_| confirming.set(true)>"Revoke now"</button>
                        }
                    >
                        <div class="inline-confirm" role="group" aria-label="Confirm revoking">
                            <p>{format!("Revoke {name} now? Every script using it stops working at once.")}</p>
                            <button type="button" class="button danger-solid" autofocus
                                disabled=move || delete.pending().get()
                                on:click=move |_| {
                                    delete.dispatch(DeleteToken { id });
                                }>
                                "Revoke token"
                            </button>
                            <button type="button" class="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                            {move || delete_error().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                        </div>
                    </Show>
                }
            }
        >
            <p class="check-done"><strong>"Revoked. It no longer works."</strong></p>
        </Show>
    }
}

#[component]
pub fn CheckTokenDialog(
    /// The section's delete action: revoking from here updates the list.
    delete: ServerAction<DeleteToken>,
    on_close: Callback<()>,
) -> impl IntoView {
    let check = ServerAction::<CheckToken>::new();
    let report = ServerAction::<ReportToken>::new();
    delete.clear();
    // Nothing of the value outlives the dialog.
    on_cleanup(move || {
        check.clear();
        check.input().set(None);
        report.clear();
        report.input().set(None);
        delete.clear();
    });

    let value = RwSignal::new(String::new());
    let shown = RwSignal::new(false);
    let format_error = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    let answer = check.value();
    let server_error = move || {
        answer.with(|a| match a {
            Some(Err(AppError::Unauthenticated)) | None | Some(Ok(_)) => None,
            Some(Err(e)) => Some(e.to_string()),
        })
    };
    let error = Signal::derive(move || format_error.get().or_else(server_error));
    Effect::new(move || {
        if error.with(Option::is_some)
            && let Some(field) = input.get_untracked()
        {
            let _ = field.focus();
        }
    });

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if check.pending().get_untracked() {
            return;
        }
        let text = value.get_untracked();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            format_error.set(Some("Paste the token to check.".into()));
            return;
        }
        if let Err(e) = token_format::check(trimmed) {
            format_error.set(Some(e.to_string()));
            return;
        }
        format_error.set(None);
        report.clear();
        delete.clear();
        check.dispatch(CheckToken {
            token: trimmed.to_owned().into(),
        });
    };
    let reported = move || report.value().with(|r| matches!(r, Some(Ok(()))));
    let report_error = move || {
        report
            .value()
            .with(|r| r.as_ref().and_then(|r| r.as_ref().err()).map(ToString::to_string))
    };
    let send_report = move |_| {
        let text = value.get_untracked();
        report.dispatch(ReportToken {
            token: text.trim().to_owned().into(),
        });
    };

    let result = move || {
        answer.get().and_then(Result::ok).map(|found| match found {
            TokenCheckView::Yours { token, old_value_until } => {
                view! { <YoursResult token=*token old_value_until=old_value_until delete=delete/> }.into_any()
            }
            TokenCheckView::YoursInactive { name, why } => {
                view! { <p class="check-result">{describe_inactive(&name, why)}</p> }.into_any()
            }
            TokenCheckView::NotYours => view! {
                <p class="check-result">
                    "This token is not one of your tokens. If you found it somewhere it should not be, report it: "
                    "if it works, it is revoked at once and its owner is told."
                </p>
                <Show
                    when=reported
                    fallback=move || view! {
                        <button type="button" class="button danger" disabled=move || report.pending().get()
                            on:click=send_report>"Report as leaked"</button>
                        {move || report_error().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    }
                >
                    <p class="check-done"><strong>
                        "Thank you. If it was a working token, it is now revoked and its owner will be told."
                    </strong></p>
                </Show>
            }
            .into_any(),
        })
    };

    view! {
        <Modal labelled_by="check-token-heading" on_close=on_close>
            <form class="dialog-form" on:submit=submit novalidate>
                <h2 id="check-token-heading">"Which token is this?"</h2>
                <p class="muted">
                    "Paste a token you found, in a script, a ticket or a paste. Tessera says whether it is yours; "
                    "it never says whether someone else's token works, or whose it is. The value is not kept."
                </p>
                <div class="field">
                    <label for="check-token-value">"Token"</label>
                    <div class="secret-input">
                        <input id="check-token-value" node_ref=input
                            type=move || if shown.get() { "text" } else { "password" }
                            autocomplete="off" spellcheck="false" autocapitalize="off" autofocus
                            aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                            aria-describedby="check-token-error"
                            prop:value=move || value.get()
                            on:input=move |ev| {
                                value.set(event_target_value(&ev));
                                format_error.set(None);
                                check.clear();
                            }/>
                        <button type="button" class="button" aria-pressed=move || if shown.get() { "true" } else { "false" }
                            aria-controls="check-token-value"
                            on:click=move |_| shown.update(|s| *s = !*s)>
                            "Show"
                        </button>
                    </div>
                    <p class="field-error" id="check-token-error">{move || error.get()}</p>
                </div>
                <div class="check-results" role="status" aria-live="polite">{result}</div>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Close"</button>
                    <button type="submit" class="button primary" disabled=move || check.pending().get()>
                        {move || if check.pending().get() { "Checking…" } else { "Check" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
