//! The expiry controls of the create dialog: "Select expiration date", then an interval or
//! an exact local date and time. Under a token policy only the allowed intervals are offered,
//! and when every token must expire the checkbox stays ticked, saying why.

use chrono::Utc;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

use crate::dates::local_date_input;
use crate::domain::{TokenPolicy, add_months};

#[component]
pub fn ExpiryFields(
    /// Whether the token expires at all.
    expire: RwSignal<bool>,
    /// A number of months from `INTERVALS`, or `exact`.
    interval: RwSignal<String>,
    /// The exact date (`YYYY-MM-DD`) and time (`HH:MM`), local.
    date: RwSignal<String>,
    time: RwSignal<String>,
    /// Called when the choice of expiring or of interval changes.
    on_change: Callback<()>,
    /// Set once the exact date or time is edited.
    touched: RwSignal<bool>,
    /// Whether the expiry is refused; the controls in use are then marked invalid.
    invalid: Signal<bool>,
    /// The id of the element that says when the token expires, or what is wrong.
    described_by: &'static str,
    /// What the administrator allows.
    policy: TokenPolicy,
) -> impl IntoView {
    let invalid_text = move || if invalid.get() { "true" } else { "false" };
    let required = policy.needs_expiry();
    view! {
        <div class="check">
            <input
                id="token-expires"
                type="checkbox"
                disabled=required
                aria-describedby=required.then_some("token-expires-hint")
                prop:checked=move || expire.get()
                on:change=move |ev| {
                    let checked = ev.target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .is_some_and(|i| i.checked());
                    expire.set(checked);
                    on_change.run(());
                }
            />
            <label for="token-expires">"Select expiration date"</label>
        </div>
        {policy.summary().map(|why| view! { <p class="hint" id="token-expires-hint">{why}</p> })}
        <Show when=move || expire.get()>
            <div class="field">
                <label for="token-interval">"Expiration"</label>
                <select
                    id="token-interval"
                    aria-describedby=described_by
                    aria-invalid=move || if interval.get() == "exact" { "false" } else { invalid_text() }
                    prop:value=move || interval.get()
                    on:change=move |ev| {
                        interval.set(event_target_value(&ev));
                        on_change.run(());
                    }
                >
                    {policy
                        .intervals()
                        .into_iter()
                        .map(|n| view! { <option value=n.to_string()>{format!("Expire in {n} months")}</option> })
                        .collect_view()}
                    <option value="exact">"Specify exact date"</option>
                </select>
            </div>
            <Show when=move || interval.get() == "exact">
                <ExactDateFields prefix="token" date=date time=time touched=touched invalid=invalid
                    described_by=described_by max_months=policy.months_allowed()/>
            </Show>
        </Show>
    }
}

/// "Date" and "Time" for an exact expiry, local, from now to `max_months` ahead; the inputs'
/// ids are `PREFIX-date` and `PREFIX-time`.
#[component]
pub fn ExactDateFields(
    prefix: &'static str,
    /// `YYYY-MM-DD` and `HH:MM`, local.
    date: RwSignal<String>,
    time: RwSignal<String>,
    /// Set once either is edited.
    touched: RwSignal<bool>,
    invalid: Signal<bool>,
    described_by: &'static str,
    /// The most months ahead the date may be (24, or less under a token policy).
    max_months: u32,
) -> impl IntoView {
    let invalid = move || if invalid.get() { "true" } else { "false" };
    let (date_id, time_id) = (format!("{prefix}-date"), format!("{prefix}-time"));
    view! {
        <div class="field-row">
            <div class="field">
                <label for=date_id.clone()>"Date"</label>
                <input id=date_id type="date" min=local_date_input(Utc::now())
                    max=local_date_input(add_months(Utc::now(), max_months))
                    aria-invalid=invalid aria-describedby=described_by
                    prop:value=move || date.get()
                    on:input=move |ev| {
                        date.set(event_target_value(&ev));
                        touched.set(true);
                    }/>
            </div>
            <div class="field">
                <label for=time_id.clone()>"Time"</label>
                <input id=time_id type="time" prop:value=move || time.get()
                    aria-invalid=invalid aria-describedby=described_by
                    on:input=move |ev| {
                        time.set(event_target_value(&ev));
                        touched.set(true);
                    }/>
            </div>
        </div>
    }
}
