//! "Create user": username, display name, email, groups and the administrator role; then the
//! generated password, shown once, with a Copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::alert::FormAlert;
use crate::components::clipboard::copy_text;
use crate::components::field::TextField;
use crate::components::form_errors::FormErrors;
use crate::components::modal::Modal;
use crate::contexts::sudo::Sudo;
use crate::server_fns::admin::{AdminCreateUser, admin_groups};

#[component]
pub fn CreateUserDialog(
    /// Called once the user exists (the list reloads).
    on_created: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let admin = RwSignal::new(false);
    let groups = LocalResource::new(admin_groups);
    let action = ServerAction::<AdminCreateUser>::new();
    let send = Sudo::expect().guard(action);
    let pending = action.pending();
    let answers = action.value();
    let errors = FormErrors::from_answers(answers);
    let form = NodeRef::<leptos::html::Form>::new();
    errors.focus_on_refusal(form);
    let created = Memo::new(move |_| answers.with(|a| a.as_ref().and_then(|a| a.as_ref().ok()).cloned()));
    Effect::new(move || {
        if created.with(Option::is_some) {
            on_created.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.run(AdminCreateUser {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            email: email.get_untracked(),
            groups: chosen.get_untracked(),
            admin: admin.get_untracked(),
        });
    };
    let group_boxes = move || match groups.get() {
        None => view! { <p class="muted">"Loading groups…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="alert">{e.to_string()}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted">"No groups yet: create them under Groups."</p> }.into_any()
        }
        Some(Ok(list)) => list
            .into_iter()
            .map(|g| {
                let id = g.id;
                let box_id = format!("new-user-group-{id}");
                let label_for = box_id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input
                            type="checkbox"
                            id=box_id
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| *x != id);
                                    if on {
                                        c.push(id);
                                    }
                                });
                            }
                        />
                        {g.name}
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    };

    view! {
        <Modal labelled_by="create-user-heading" on_close=on_close>
            {move || match created.get() {
                None => view! {
                    <form node_ref=form on:submit=submit novalidate>
                        <h2 id="create-user-heading">"Create user"</h2>
                        <TextField id="username" label="Username" value=username error=errors.field("username") required=true autofocus=true
                            hint="Lower-case letters, digits, dots, dashes and underscores; they sign in with it."/>
                        <TextField id="display_name" label="Display name" value=display_name error=errors.field("display_name")
                            hint="Optional: the username is used without one."/>
                        <TextField id="email" label="Email" kind="email" value=email error=errors.field("email")/>
                        <fieldset class="choices">
                            <legend>"Groups"</legend>
                            {group_boxes}
                        </fieldset>
                        <label class="check" for="new-user-admin">
                            <input type="checkbox" id="new-user-admin" prop:checked=move || admin.get()
                                on:change=move |ev| admin.set(event_target_checked(&ev))/>
                            "Administrator"
                        </label>
                        <FormAlert message=errors.form()/>
                        <div class="actions-end">
                            <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                            <button type="submit" class="button primary" disabled=move || pending.get()>
                                {move || if pending.get() { "Creating…" } else { "Create user" }}
                            </button>
                        </div>
                    </form>
                }
                .into_any(),
                Some(user) => view! { <NewPassword username=user.username password=user.password on_done=on_close/> }.into_any(),
            }}
        </Modal>
    }
}

/// The new user's password, once.
#[component]
fn NewPassword(username: String, password: String, on_done: Callback<()>) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let text = password.clone();
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move { copied.set(Some(copy_text(&text).await)) });
    };
    view! {
        <h2 id="create-user-heading">{format!("User {username} created")}</h2>
        <p>
            "Their password is shown only now. Give it to them through a safe channel; "
            "they can change it in Edit your profile."
        </p>
        <div class="field">
            <label for="new-user-password">"Password"</label>
            <input id="new-user-password" type="text" readonly class="token-value" value=password spellcheck="false" autocomplete="off"/>
        </div>
        <p role="status" class="muted">
            {move || match copied.get() {
                Some(true) => "Copied to the clipboard.",
                Some(false) => "Copying failed: select the password and copy it by hand.",
                None => "",
            }}
        </p>
        <div class="actions-end">
            <button type="button" class="button" on:click=copy>"Copy password"</button>
            <button type="button" class="button primary" on:click=move |_| on_done.run(())>"Done"</button>
        </div>
    }
}
