//! The "Create new API token" form: a name and an optional expiry, checked as you type by the
//! same rules the server applies.

use chrono::Utc;
use leptos::prelude::*;
use leptos::{ev, html};

use super::expiry_fields::ExpiryFields;
use super::source_field::TokenSourceField;
use crate::components::alert::FormAlert;
use crate::components::field::{TextAreaField, TextField};
use crate::components::form_errors::{FormErrors, focus_first_problem};
use crate::components::modal::Modal;
use crate::components::source_warning::SourceWarning;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::Sudo;
use crate::dates::{exact_local, local_to_utc};
use crate::domain::{ExpiryChoice, TokenAccess, TokenDescription, TokenName};
use crate::server_fns::tokens::CreateToken;

/// "Access": read only, or read and write.
#[component]
fn AccessFields(access: RwSignal<TokenAccess>) -> impl IntoView {
    view! {
        <fieldset class="choices">
            <legend>"Access"</legend>
            {TokenAccess::ALL
                .into_iter()
                .map(|level| {
                    let id = format!("token-access-{}", level.as_str());
                    let hint = format!("{id}-hint");
                    view! {
                        <div class="choice">
                            <input type="radio" name="access" id=id.clone() value=level.as_str()
                                aria-describedby=hint.clone()
                                prop:checked=move || access.get() == level
                                on:change=move |_| access.set(level)/>
                            <label for=id>{level.label()}</label>
                            <span class="choice-hint" id=hint>{level.explanation()}</span>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
pub fn CreateTokenForm(action: ServerAction<CreateToken>, on_close: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let policy = Auth::expect().token_policy();
    // Under a policy that requires an expiry the box starts ticked and stays so.
    let expire = RwSignal::new(policy.needs_expiry());
    let first_interval = policy
        .intervals()
        .first()
        .map_or_else(|| "exact".to_owned(), ToString::to_string);
    let interval = RwSignal::new(first_interval);
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("09:00".to_owned());
    // Read and write unless chosen otherwise, so the reference journey is unchanged.
    let access = RwSignal::new(TokenAccess::ReadWrite);
    let description = RwSignal::new(String::new());
    // Empty: the profile default.
    let source = RwSignal::new(String::new());
    // An exact date's problems show once the date or time was edited, or on Generate.
    let expiry_touched = RwSignal::new(false);
    let pending = action.pending();
    // Asks for the password when it was entered more than an hour ago, then sends again.
    let dispatch = Sudo::expect().guard(action);
    let answers = action.value();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<html::Form>::new();
    // A refusal from the server (a name already used, too many tokens): focus goes to it.
    errors.focus_on_refusal(form);

    let choice = move || -> Result<ExpiryChoice, String> {
        if !expire.get() {
            return Ok(ExpiryChoice::Never);
        }
        if interval.get() == "exact" {
            return local_to_utc(&date.get(), &time.get())
                .map(ExpiryChoice::Exact)
                .ok_or_else(|| "Choose a date and a time for the token to expire.".to_owned());
        }
        ExpiryChoice::parse(&interval.get(), "").map_err(|e| e.0)
    };
    // The server's own check, policy included, so its refusal shows before the round trip.
    let resolved = move || choice().and_then(|c| policy.check_choice(c, Utc::now()).map_err(|e| e.0));
    let server_name_error = errors.field("name");
    let name_error = Signal::derive(move || {
        server_name_error.get().or_else(|| {
            touched
                .get()
                .then(|| TokenName::parse(&name.get()).err().map(|e| e.0))
                .flatten()
        })
    });
    let server_description_error = errors.field("description");
    let description_error = Signal::derive(move || {
        server_description_error
            .get()
            .or_else(|| description.with(|d| TokenDescription::parse_optional(d).err().map(|e| e.0)))
    });
    let on_description_input = Callback::new(move |()| {
        if errors.is_about("description") {
            action.clear();
        }
    });
    let server_expiry_error = errors.field("expiry");
    let expiry_error = Signal::derive(move || {
        server_expiry_error
            .get()
            .or_else(|| expiry_touched.get().then(|| resolved().err()).flatten())
    });
    let on_name_input = Callback::new(move |()| {
        touched.set(true);
        if errors.is_about("name") {
            action.clear();
        }
    });
    let on_expiry_change = Callback::new(move |()| action.clear());

    let generate = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        expiry_touched.set(true);
        if pending.get_untracked() {
            return;
        }
        let checked = choice().and_then(|c| resolved().map(|_| c));
        let (Ok(choice), None, None) = (checked, name_error.get_untracked(), description_error.get_untracked()) else {
            focus_first_problem(form);
            return;
        };
        let expires_at = match choice {
            ExpiryChoice::Exact(t) => t.to_rfc3339(),
            _ => String::new(),
        };
        action.clear();
        dispatch.run(CreateToken {
            name: name.get_untracked(),
            expiry: choice.kind(),
            expires_at,
            access: access.get_untracked().as_str().to_owned(),
            description: description.get_untracked(),
            // Only a token that may create has a source of its own.
            source: if access.get_untracked().can_write() {
                source.get_untracked()
            } else {
                String::new()
            },
        });
    };

    view! {
        <Modal labelled_by="create-token-heading" on_close=on_close>
            <form class="dialog-form" node_ref=form on:submit=generate novalidate>
                <h2 id="create-token-heading">"Create new API token"</h2>
                <FormAlert message=errors.form()/>
                <TextField id="token-name" label="Name" value=name error=name_error required=true
                    autofocus=true on_input=on_name_input
                    hint="A name that tells you where the token is used, such as \"Nightly export\"."/>
                <ExpiryFields expire=expire interval=interval date=date time=time on_change=on_expiry_change
                    touched=expiry_touched invalid=Signal::derive(move || expiry_error.with(Option::is_some))
                    described_by="token-expiry-preview" policy=policy/>
                <p class="expiry-preview" id="token-expiry-preview" aria-live="polite">
                    {move || match (expiry_error.get(), resolved()) {
                        (Some(message), _) => view! { <span class="field-error">{message}</span> }.into_any(),
                        (None, Ok(Some(at))) => view! {
                            <span>"The token will expire on " <strong>{exact_local(at)}</strong> "."</span>
                        }.into_any(),
                        (None, Ok(None)) => view! { <span>"The token will never expire."</span> }.into_any(),
                        // An exact date not chosen yet: no error before the person had a chance.
                        (None, Err(_)) => view! { <span>"Choose the date and time the token stops working."</span> }.into_any(),
                    }}
                </p>
                <AccessFields access=access/>
                <Show when=move || access.get().can_write()>
                    <TokenSourceField id="token-source" value=source error=errors.field("source")/>
                </Show>
                <TextAreaField id="token-description" label="Description (optional)" value=description
                    error=description_error on_input=on_description_input
                    hint="What the token is for or where it runs; at most 500 characters."/>
                <SourceWarning user=Auth::expect().user()/>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Generating…" } else { "Generate token" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
