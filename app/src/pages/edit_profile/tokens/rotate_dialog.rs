//! "Rotate API token?": how long the old value keeps working and when the new one expires,
//! then the one-time dialog with the new value, which says when the old one stops.
//!
//! Like the create dialog, the new value lives only in the rotate action's answer while this
//! dialog is open.

use chrono::Utc;
use leptos::prelude::*;
use leptos::{ev, html};

use super::expiry_fields::ExactDateFields;
use super::token_created::{TokenCreated, new_value_answer};
use crate::components::alert::FormAlert;
use crate::components::form_errors::{FormErrors, focus_first_problem};
use crate::components::modal::Modal;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::Sudo;
use crate::dates::{exact_local, local_to_utc, relative_until};
use crate::domain::{ExpiryChoice, Grace, NewExpiry, TokenPolicy, old_value_until};
use crate::server_fns::TokenView;
use crate::server_fns::tokens::RotateToken;

/// Whether "Same length as before" is allowed: not for a token that never expired when
/// every new value must expire.
fn same_length_allowed(policy: TokenPolicy, expires_at: Option<chrono::DateTime<Utc>>) -> bool {
    expires_at.is_some() || !policy.needs_expiry()
}

/// The "New expiration" choices after "Same length as before": the create dialog's, those
/// the policy allows.
fn expiry_options(policy: TokenPolicy, same: bool) -> impl IntoView {
    let months = policy
        .intervals()
        .into_iter()
        .map(|n| view! { <option value=n.to_string()>{format!("Expire in {n} months")}</option> })
        .collect_view();
    view! {
        {same.then(|| view! { <option value="same">"Same length as before"</option> })}
        {months}
        <option value="exact">"Specify exact date"</option>
        {(!policy.needs_expiry()).then(|| view! { <option value="never">"Never expire"</option> })}
    }
}

#[component]
fn RotateForm(token: TokenView, action: ServerAction<RotateToken>, on_close: Callback<()>) -> impl IntoView {
    let grace = RwSignal::new(Grace::default());
    let policy = Auth::expect().token_policy();
    let same = same_length_allowed(policy, token.expires_at);
    let first = if same {
        "same".to_owned()
    } else {
        policy
            .intervals()
            .first()
            .map_or_else(|| "exact".to_owned(), ToString::to_string)
    };
    let expiry = RwSignal::new(first);
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("09:00".to_owned());
    let date_touched = RwSignal::new(false);
    let pending = action.pending();
    // Asks for the password when it was entered more than an hour ago, then sends again.
    let dispatch = Sudo::expect().guard(action);
    let answers = action.value();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<html::Form>::new();
    errors.focus_on_refusal(form);

    let expires_at = token.expires_at;
    let choice = move || -> Result<NewExpiry, String> {
        match expiry.get().as_str() {
            "exact" => local_to_utc(&date.get(), &time.get())
                .map(|t| NewExpiry::Choice(ExpiryChoice::Exact(t)))
                .ok_or_else(|| "Choose a date and a time for the new value to expire.".to_owned()),
            kind => NewExpiry::parse(kind, "").map_err(|e| e.0),
        }
    };
    // What the new value's expiry will be; for the same length the server knows when the
    // current value was issued, so the preview says it in words.
    let resolved = move || match choice()? {
        NewExpiry::SameLength => Ok(None),
        NewExpiry::Choice(c) => policy.check_choice(c, Utc::now()).map(Some).map_err(|e| e.0),
    };
    let server_expiry_error = errors.field("expiry");
    let expiry_error = Signal::derive(move || {
        server_expiry_error.get().or_else(|| {
            let shown = expiry.get() != "exact" || date_touched.get();
            shown.then(|| resolved().err()).flatten()
        })
    });
    // Refusals not about the expiry (a race, a token gone) go to the top of the form.
    let other_error = Signal::derive(move || errors.any().get().filter(|_| !errors.is_about("expiry")));

    let id = token.id;
    let rotate = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        date_touched.set(true);
        if pending.get_untracked() {
            return;
        }
        let Ok(choice) = choice() else {
            focus_first_problem(form);
            return;
        };
        if resolved().is_err() {
            focus_first_problem(form);
            return;
        }
        let (kind, at) = match choice {
            NewExpiry::SameLength => ("same".to_owned(), String::new()),
            NewExpiry::Choice(ExpiryChoice::Exact(t)) => ("exact".to_owned(), t.to_rfc3339()),
            NewExpiry::Choice(c) => (c.kind(), String::new()),
        };
        action.clear();
        dispatch.run(RotateToken {
            id,
            grace: grace.get_untracked().as_str().to_owned(),
            expiry: kind,
            expires_at: at,
        });
    };

    let same_length = match (expires_at, policy.max_months) {
        (None, _) => "The new value will never expire, like the current one.".to_owned(),
        (Some(_), None) => "The new value will last as long as the current one did, counted from now.".to_owned(),
        (Some(_), Some(n)) => {
            format!("The new value will last as long as the current one did, counted from now, but at most {n} months.")
        }
    };
    let policy_hint = policy.summary();
    let described_by = if policy_hint.is_some() {
        "rotate-expiry-preview rotate-expiry-policy"
    } else {
        "rotate-expiry-preview"
    };
    view! {
        <Modal labelled_by="rotate-token-heading" on_close=on_close>
            <form class="dialog-form" node_ref=form on:submit=rotate novalidate>
                <h2 id="rotate-token-heading">"Rotate API token?"</h2>
                <FormAlert message=other_error/>
                <p>
                    "A new value replaces the value of " <strong>{token.name.clone()}</strong>
                    ". The token keeps its name, description, access, source and history; give the new value "
                    "to the scripts that use it."
                </p>
                <fieldset class="choices">
                    <legend>"Keep the old value working for"</legend>
                    {Grace::ALL
                        .into_iter()
                        .map(|g| {
                            let id = format!("rotate-grace-{}", g.as_str());
                            view! {
                                <div class="choice">
                                    <input type="radio" name="grace" id=id.clone() value=g.as_str()
                                        aria-describedby="rotate-grace-preview"
                                        prop:checked=move || grace.get() == g
                                        on:change=move |_| grace.set(g)/>
                                    <label for=id>{g.label()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p class="expiry-preview" id="rotate-grace-preview" aria-live="polite">
                    {move || {
                        let now = Utc::now();
                        let until = old_value_until(now, grace.get(), expires_at);
                        if until <= now {
                            "The old value will stop working as soon as you rotate.".to_owned()
                        } else {
                            format!("The old value will keep working until {} ({}).", exact_local(until), relative_until(until, now))
                        }
                    }}
                </p>
                <div class="field">
                    <label for="rotate-expiry">"New expiration"</label>
                    <select id="rotate-expiry" aria-describedby=described_by
                        aria-invalid=move || if expiry_error.with(Option::is_some) && expiry.get() != "exact" { "true" } else { "false" }
                        prop:value=move || expiry.get()
                        on:change=move |ev| {
                            expiry.set(event_target_value(&ev));
                            action.clear();
                        }>
                        {expiry_options(policy, same)}
                    </select>
                    {policy_hint.map(|why| view! { <p class="hint" id="rotate-expiry-policy">{why}</p> })}
                </div>
                <Show when=move || expiry.get() == "exact">
                    <ExactDateFields prefix="rotate" date=date time=time touched=date_touched
                        invalid=Signal::derive(move || expiry_error.with(Option::is_some))
                        described_by="rotate-expiry-preview" max_months=policy.months_allowed()/>
                </Show>
                <p class="expiry-preview" id="rotate-expiry-preview" aria-live="polite">
                    {move || match (expiry_error.get(), resolved()) {
                        (Some(message), _) => view! { <span class="field-error">{message}</span> }.into_any(),
                        (None, Ok(Some(Some(at)))) => view! {
                            <span>"The new value will expire on " <strong>{exact_local(at)}</strong> "."</span>
                        }.into_any(),
                        (None, Ok(Some(None))) => view! { <span>"The new value will never expire."</span> }.into_any(),
                        (None, Ok(None)) => view! { <span>{same_length.clone()}</span> }.into_any(),
                        (None, Err(_)) => view! { <span>"Choose the date and time the new value stops working."</span> }.into_any(),
                    }}
                </p>
                <p class="muted">"Access and source stay as they are."</p>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Rotating…" } else { "Rotate token" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

#[component]
pub fn RotateTokenDialog(
    token: TokenView,
    /// The section's rotate action; this dialog dispatches it and owns its answer.
    action: ServerAction<RotateToken>,
    on_close: Callback<()>,
) -> impl IntoView {
    let (rotated, answer, finish) = new_value_answer(action, on_close);

    view! {
        <Show
            when=move || rotated.get()
            fallback=move || view! { <RotateForm token=token.clone() action=action on_close=on_close/> }
        >
            <TokenCreated created=answer on_done=finish/>
        </Show>
    }
}
