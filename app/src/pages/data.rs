//! `/data`: the entities and observables your groups can see, newest first, narrowed by kind,
//! type, source and token (the filters live in the address, so a token's counts in the list
//! link here). With a token chosen, what you created with it can be deleted after a leak.

use leptos::prelude::*;

use crate::components::loaded::loaded;
use crate::components::modal::Modal;
use crate::contexts::auth::Auth;
use crate::dates::{exact_local, local_date_time};
use crate::domain::{EntityType, ObservableType};
use crate::router::Router;
use crate::server_fns::data::{DeleteTokenData, data_tokens, list_data};

/// The address for these filters.
fn data_href(kind: &str, object_type: &str, source: &str, token: &str) -> String {
    let mut query = vec![format!("kind={kind}")];
    for (name, value) in [("type", object_type), ("source", source), ("token", token)] {
        if !value.is_empty() {
            query.push(format!("{name}={value}"));
        }
    }
    format!("/data?{}", query.join("&"))
}

/// "3 entities and 12 observables".
fn objects_count(entities: i64, observables: i64) -> String {
    format!(
        "{entities} {} and {observables} observable{}",
        if entities == 1 { "entity" } else { "entities" },
        if observables == 1 { "" } else { "s" }
    )
}

#[component]
pub fn DataPage() -> impl IntoView {
    let auth = Auth::expect();
    let user = auth.user();
    let router = Router::expect();
    let query = router.query();
    let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let kind = Memo::new(move |_| {
        let k = param("kind");
        if k == "observables" { k } else { "entities".to_owned() }
    });
    let object_type = Memo::new(move |_| param("type"));
    let source = Memo::new(move |_| param("source"));
    let token = Memo::new(move |_| param("token"));
    // The last id of the page before this one; none on the newest page.
    let before = RwSignal::new(None::<i64>);
    Effect::watch(
        move || (kind.get(), object_type.get(), source.get(), token.get()),
        move |_, _, _| before.set(None),
        false,
    );
    let delete = ServerAction::<DeleteTokenData>::new();
    let deleted = delete.version();
    let page = LocalResource::new(move || {
        deleted.track();
        list_data(kind.get(), object_type.get(), source.get(), token.get(), before.get())
    });
    let tokens = LocalResource::new(data_tokens);
    auth.watch(page);
    auth.watch(delete.value());
    let confirming = RwSignal::new(false);

    let go = move |k: String, t: String, s: String, tok: String| {
        router.go(&data_href(&k, &t, &s, &tok));
    };

    let type_options = move || {
        let names: Vec<&'static str> = if kind.get() == "observables" {
            ObservableType::ALL.iter().map(|t| t.as_str()).collect()
        } else {
            EntityType::ALL.iter().map(|t| t.as_str()).collect()
        };
        names
            .into_iter()
            .map(|n| view! { <option value=n selected=move || object_type.get() == n>{n}</option> })
            .collect_view()
    };
    let source_options = move || {
        user.with(|u| u.as_ref().map(|u| u.groups.clone()).unwrap_or_default())
            .into_iter()
            .map(|g| {
                let id = g.id.to_string();
                let selected = id.clone();
                view! { <option value=id selected=move || source.get() == selected>{g.name}</option> }
            })
            .collect_view()
    };
    let token_name = move |id: i64| {
        tokens.with(|t| match t {
            Some(Ok(list)) => list.iter().find(|t| t.id == id).map(|t| t.label()),
            _ => None,
        })
    };
    let token_options = move || match tokens.get() {
        Some(Ok(list)) => list
            .into_iter()
            .map(|t| {
                let id = t.id.to_string();
                let selected = id.clone();
                view! { <option value=id selected=move || token.get() == selected>{t.label()}</option> }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };

    let rows = move || {
        loaded(page.get(), |found| {
            if found.items.is_empty() {
                return view! { <p class="empty-state">"Nothing here: no objects match these filters."</p> }.into_any();
            }
            let items = found
                .items
                .into_iter()
                .map(|o| {
                    let by_token = o.token.map(|id| token_name(id).unwrap_or_else(|| "another token".to_owned()));
                    view! {
                        <tr>
                            <td data-label="Created">
                                <time datetime=o.created_at.to_rfc3339() title=exact_local(o.created_at)>{local_date_time(o.created_at)}</time>
                            </td>
                            <td data-label="Type">{o.object_type}</td>
                            <td data-label="Title or value" class="object-text">
                                {o.text}
                                {o.description.map(|d| view! { <span class="token-description">{d}</span> })}
                            </td>
                            <td data-label="Source">{o.source.name}</td>
                            <td data-label="Created by">
                                {o.created_by}
                                {by_token.map(|t| view! { <span class="token-counts">{format!("with {t}")}</span> })}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="tokens data-table">
                    <thead>
                        <tr>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Title or value"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col">"Created by"</th>
                        </tr>
                    </thead>
                    <tbody>{items}</tbody>
                </table>
                <div class="actions-end">
                    {move || before.get().is_some().then(|| view! {
                        <button type="button" class="button" on:click=move |_| before.set(None)>"Newest"</button>
                    })}
                    {found.next.map(|next| view! {
                        <button type="button" class="button" on:click=move |_| before.set(Some(next))>"Older"</button>
                    })}
                </div>
            }
            .into_any()
        })
    };
    // With a token chosen: what you created with it, and deleting it.
    let created = move || {
        page.with(|p| {
            p.as_ref()
                .and_then(|p| p.as_ref().ok())
                .and_then(|p| p.created_with_token)
        })
    };
    let deleted_text = move || {
        delete.value().with(|v| match v {
            Some(Ok(d)) => Some(format!(
                "Deleted {}.",
                objects_count(
                    i64::try_from(d.entities).unwrap_or(i64::MAX),
                    i64::try_from(d.observables).unwrap_or(i64::MAX)
                )
            )),
            Some(Err(e)) => Some(e.to_string()),
            None => None,
        })
    };

    view! {
        <section class="card" aria-labelledby="data-heading">
            <h1 id="data-heading">"Data"</h1>
            <p class="muted">"Entities and observables your groups can see, newest first. Read-only, except what you created."</p>
            <div class="filters">
                <div class="field">
                    <label for="data-kind">"Kind"</label>
                    <select id="data-kind" on:change=move |ev| go(event_target_value(&ev), String::new(), source.get_untracked(), token.get_untracked())>
                        <option value="entities" selected=move || kind.get() == "entities">"Entities"</option>
                        <option value="observables" selected=move || kind.get() == "observables">"Observables"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="data-type">"Type"</label>
                    <select id="data-type" on:change=move |ev| go(kind.get_untracked(), event_target_value(&ev), source.get_untracked(), token.get_untracked())>
                        <option value="" selected=move || object_type.get().is_empty()>"Any type"</option>
                        {type_options}
                    </select>
                </div>
                <div class="field">
                    <label for="data-source">"Source"</label>
                    <select id="data-source" on:change=move |ev| go(kind.get_untracked(), object_type.get_untracked(), event_target_value(&ev), token.get_untracked())>
                        <option value="" selected=move || source.get().is_empty()>"Any source"</option>
                        {source_options}
                    </select>
                </div>
                <div class="field">
                    <label for="data-token">"Token"</label>
                    <select id="data-token" on:change=move |ev| go(kind.get_untracked(), object_type.get_untracked(), source.get_untracked(), event_target_value(&ev))>
                        <option value="" selected=move || token.get().is_empty()>"Any token"</option>
                        {token_options}
                    </select>
                </div>
            </div>
            {move || created().filter(|(e, o)| e + o > 0).map(|(e, o)| view! {
                <p class="data-token-actions">
                    {format!("You created {} with this token. ", objects_count(e, o))}
                    <button type="button" class="button danger" on:click=move |_| confirming.set(true)>
                        "Delete what this token created"
                    </button>
                </p>
            })}
            <p role="status" aria-live="polite" class="muted">{deleted_text}</p>
            {rows}
            <Show when=move || confirming.get()>
                {move || {
                    let (e, o) = created().unwrap_or_default();
                    let close = Callback::new(move |()| confirming.set(false));
                    view! {
                        <Modal labelled_by="delete-data-heading" on_close=close>
                            <h2 id="delete-data-heading">{format!("Delete {}?", objects_count(e, o))}</h2>
                            <p>
                                {format!("This deletes the {} you created with this token, for every member of their source groups. It cannot be undone.", objects_count(e, o))}
                            </p>
                            <div class="actions-end">
                                <button type="button" class="button" autofocus on:click=move |_| confirming.set(false)>"Cancel"</button>
                                <button type="button" class="button danger-solid" on:click=move |_| {
                                    if let Ok(id) = token.get_untracked().parse::<i64>() {
                                        delete.dispatch(DeleteTokenData { token: id });
                                    }
                                    confirming.set(false);
                                }>{format!("Delete {}", objects_count(e, o))}</button>
                            </div>
                        </Modal>
                    }
                }}
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_kept_in_the_address() {
        assert_eq!(data_href("entities", "", "", ""), "/data?kind=entities");
        assert_eq!(
            data_href("observables", "domain", "2", "7"),
            "/data?kind=observables&type=domain&source=2&token=7"
        );
        assert_eq!(objects_count(1, 2), "1 entity and 2 observables");
        assert_eq!(objects_count(0, 1), "0 entities and 1 observable");
    }
}
