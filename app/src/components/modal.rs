//! A modal dialog on the native `<dialog>`: the page behind it is inert, focus moves in,
//! Tab and Shift+Tab stay inside, and Escape asks the owner to close it.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

fn keep_tab_inside(dialog: &web_sys::HtmlElement, ev: &ev::KeyboardEvent) {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |e: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>())
    };
    if ev.shift_key() && is(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && is(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

#[component]
pub fn Modal(
    /// The id of the element that names the dialog (its heading).
    labelled_by: &'static str,
    /// Called on Escape; the owner removes the dialog.
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(d) = dialog.get()
            && !d.open()
        {
            let _ = d.show_modal();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="modal"
            aria-labelledby=labelled_by
            on:cancel=move |ev: web_sys::Event| {
                ev.prevent_default();
                on_close.run(());
            }
            on:keydown=move |ev: ev::KeyboardEvent| {
                if ev.key() == "Tab"
                    && let Some(d) = dialog.get_untracked()
                {
                    keep_tab_inside(&d, &ev);
                }
            }
        >
            {children()}
        </dialog>
    }
}
