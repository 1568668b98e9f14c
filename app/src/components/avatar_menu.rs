//! The avatar button and its pop-up menu (My profile, Administration for administrators,
//! Sign out), with menu-button semantics:
//! `aria-haspopup`, `aria-expanded`, arrow keys, Home/End, Escape, and a click outside to close.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

use super::avatar::{Avatar, initials};
use super::expiry_banner::expiring_summary;

/// Which item gets focus when the menu opens.
#[derive(Clone, Copy)]
enum Focus {
    First,
    Last,
}

fn menu_items(menu: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn focus_item(menu: &web_sys::HtmlElement, pick: impl FnOnce(usize, Option<usize>) -> usize) {
    let items = menu_items(menu);
    if items.is_empty() {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let current = items.iter().position(|i| {
        active
            .as_ref()
            .is_some_and(|a| a == i.unchecked_ref::<web_sys::Element>())
    });
    let next = pick(items.len(), current) % items.len();
    let _ = items[next].focus();
}

#[component]
pub fn AvatarMenu(
    #[prop(into)] display_name: Signal<String>,
    #[prop(into)] username: Signal<String>,
    /// How many of the user's tokens expire soon: a dot on the avatar, and its name says so.
    #[prop(into)]
    expiring: Signal<usize>,
    /// Whether to offer Administration.
    #[prop(into)]
    is_admin: Signal<bool>,
    /// Called when the person chooses Sign out; the owner ends the session.
    on_sign_out: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let wanted_focus = RwSignal::new(Focus::First);
    let container = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Div>::new();

    // Focus moves into the menu when it appears.
    Effect::new(move |_| {
        if let Some(menu) = menu.get() {
            let el: &web_sys::HtmlElement = &menu;
            match wanted_focus.get_untracked() {
                Focus::First => focus_item(el, |_, _| 0),
                Focus::Last => focus_item(el, |n, _| n - 1),
            }
        }
    });

    let close = move |refocus: bool| {
        open.set(false);
        if refocus && let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let open_with = move |focus: Focus| {
        wanted_focus.set(focus);
        open.set(true);
    };

    // A click anywhere outside the menu closes it.
    let outside = window_event_listener(ev::click, move |ev| {
        if !open.get_untracked() {
            return;
        }
        let inside = container.get_untracked().is_some_and(|c| {
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|t| c.contains(Some(&t)))
        });
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || outside.remove());

    let on_button_key = move |ev: ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "Enter" | " " => {
            ev.prevent_default();
            open_with(Focus::First);
        }
        "ArrowUp" => {
            ev.prevent_default();
            open_with(Focus::Last);
        }
        _ => {}
    };
    let on_menu_key = move |ev: ev::KeyboardEvent| {
        let Some(el) = menu.get_untracked() else { return };
        let el: &web_sys::HtmlElement = &el;
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                focus_item(el, |_, cur| cur.map_or(0, |c| c + 1));
            }
            "ArrowUp" => {
                ev.prevent_default();
                focus_item(el, |n, cur| cur.map_or(n - 1, |c| c + n - 1));
            }
            "Home" => {
                ev.prevent_default();
                focus_item(el, |_, _| 0);
            }
            "End" => {
                ev.prevent_default();
                focus_item(el, |n, _| n - 1);
            }
            "Escape" => {
                ev.prevent_default();
                close(true);
            }
            "Tab" => close(false),
            _ => {}
        }
    };

    let sign_out = move |_| {
        open.set(false);
        on_sign_out.run(());
    };

    view! {
        <div class="avatar-menu" node_ref=container>
            <button
                node_ref=button
                type="button"
                class="avatar-button"
                aria-haspopup="menu"
                aria-controls="account-menu"
                aria-expanded=move || open.get().to_string()
                // The initials are what the button shows, so they are part of its name too
                // (for speech input: "click DD").
                aria-label=move || {
                    let name = display_name.with(|n| format!("Account menu for {n}, initials {}", initials(n)));
                    match expiring_summary(expiring.get()) {
                        Some(summary) => format!("{name}. {summary}"),
                        None => name,
                    }
                }
                on:click=move |_| if open.get_untracked() { close(false) } else { open_with(Focus::First) }
                on:keydown=on_button_key
            >
                <Avatar display_name=display_name username=username/>
                <Show when=move || expiring.get() != 0>
                    <span class="avatar-dot" aria-hidden="true"></span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div
                    node_ref=menu
                    id="account-menu"
                    class="menu"
                    role="menu"
                    aria-label="Account"
                    on:keydown=on_menu_key
                >
                    <div class="menu-header" role="presentation">
                        <strong>{move || display_name.get()}</strong>
                        <span>"@"{move || username.get()}</span>
                    </div>
                    <a role="menuitem" tabindex="-1" href="/profile" on:click=move |_| open.set(false)>
                        "My profile"
                    </a>
                    <Show when=move || is_admin.get()>
                        <a role="menuitem" tabindex="-1" href="/admin/users" on:click=move |_| open.set(false)>
                            "Administration"
                        </a>
                    </Show>
                    <button role="menuitem" tabindex="-1" type="button" on:click=sign_out>
                        "Sign out"
                    </button>
                </div>
            </Show>
        </div>
    }
}
