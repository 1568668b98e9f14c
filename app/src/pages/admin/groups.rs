//! `/admin/groups`: every group with its members; create one, rename one. Groups are the
//! sources objects are attributed to, so a rename shows at once wherever they are.

use leptos::prelude::*;

use super::{AdminTabs, RequireAdmin};
use crate::components::field::TextField;
use crate::components::form_errors::FormErrors;
use crate::components::loaded::loaded;
use crate::components::modal::Modal;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::Sudo;
use crate::server_fns::AdminGroupView;
use crate::server_fns::admin::{AdminSaveGroup, admin_groups};

#[component]
pub fn AdminGroupsPage() -> impl IntoView {
    view! {
        <RequireAdmin>
            <GroupsList/>
        </RequireAdmin>
    }
}

#[component]
fn GroupsList() -> impl IntoView {
    let auth = Auth::expect();
    let create = ServerAction::<AdminSaveGroup>::new();
    let rename = ServerAction::<AdminSaveGroup>::new();
    let groups = LocalResource::new(move || {
        create.version().track();
        rename.version().track();
        admin_groups()
    });
    auth.watch(groups);
    auth.watch(create.value());
    let name = RwSignal::new(String::new());
    let create_errors = FormErrors::from_answers(create.value());
    let create_form = NodeRef::<leptos::html::Form>::new();
    create_errors.focus_on_refusal(create_form);
    let created = move || {
        create.value().with(|a| {
            a.as_ref()
                .and_then(|a| a.as_ref().ok())
                .map(|g| format!("Created group {}.", g.name))
        })
    };
    Effect::new(move || {
        if create.value().with(|a| matches!(a, Some(Ok(_)))) {
            name.set(String::new());
        }
    });
    let send_create = Sudo::expect().guard(create);
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send_create.run(AdminSaveGroup {
            group_id: None,
            name: name.get_untracked(),
        });
    };
    let renaming = RwSignal::new(None::<AdminGroupView>);
    let pending = create.pending();

    let rows = move || {
        loaded(groups.get(), |list| {
            if list.is_empty() {
                return view! { <p class="empty-state">"No groups yet."</p> }.into_any();
            }
            let rows = list
                .into_iter()
                .map(|g| {
                    let members = if g.members.is_empty() {
                        view! { <span class="muted">"No members"</span> }.into_any()
                    } else {
                        g.members
                            .iter()
                            .enumerate()
                            .map(|(i, m)| {
                                view! {
                                    {(i > 0).then_some(", ")}
                                    <a href=format!("/admin/users/{m}")>{m.clone()}</a>
                                }
                            })
                            .collect_view()
                            .into_any()
                    };
                    let label = format!("Rename group {}", g.name);
                    let count = g.members.len();
                    let target = g.clone();
                    view! {
                        <tr>
                            <td class="token-name">{g.name.clone()}</td>
                            <td data-label="Members">
                                <span class="visually-hidden">{format!("{count} members: ")}</span>
                                {members}
                            </td>
                            <td class="row-actions">
                                <button type="button" class="button small" aria-label=label on:click=move |_| {
                                    rename.clear();
                                    renaming.set(Some(target.clone()));
                                }>"Rename"</button>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="tokens groups-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Members"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        })
    };

    view! {
        <section class="card" aria-labelledby="groups-heading">
            <AdminTabs current="Groups"/>
            <h1 id="groups-heading">"Groups"</h1>
            <p class="muted">"Groups are the sources that entities and observables are attributed to."</p>
            <form class="search" node_ref=create_form on:submit=on_create novalidate>
                <TextField id="group_name" label="New group name" value=name error=create_errors.field("group_name")/>
                <button type="submit" class="button primary" disabled=move || pending.get()>"Create group"</button>
            </form>
            <p role="status" class="muted">{created}</p>
            {rows}
        </section>
        {move || renaming.get().map(|g| view! {
            <RenameDialog group=g action=rename on_close=Callback::new(move |()| renaming.set(None))/>
        })}
    }
}

#[component]
fn RenameDialog(group: AdminGroupView, action: ServerAction<AdminSaveGroup>, on_close: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(group.name.clone());
    let errors = FormErrors::from_answers(action.value());
    let form = NodeRef::<leptos::html::Form>::new();
    errors.focus_on_refusal(form);
    let pending = action.pending();
    Effect::new(move || {
        if action.value().with(|a| matches!(a, Some(Ok(_)))) {
            on_close.run(());
        }
    });
    let id = group.id;
    let send = Sudo::expect().guard(action);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.run(AdminSaveGroup {
            group_id: Some(id),
            name: name.get_untracked(),
        });
    };
    view! {
        <Modal labelled_by="rename-group-heading" on_close=on_close>
            <form node_ref=form on:submit=submit novalidate>
                <h2 id="rename-group-heading">{format!("Rename group {}", group.name)}</h2>
                <TextField id="rename_group_name" label="Group name" value=name error=errors.any() autofocus=true/>
                <p class="muted">"Entities and observables attributed to this group show the new name."</p>
                <div class="actions-end">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary" disabled=move || pending.get()>
                        {move || if pending.get() { "Renaming…" } else { "Rename" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
