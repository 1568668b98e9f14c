//! "Are you sure?": a modal with a question, what will happen, Cancel (focused first) and a
//! button that does it, which waits while the action runs and shows a refusal in the dialog.

use leptos::prelude::*;

use super::alert::FormAlert;
use super::modal::Modal;

#[component]
pub fn ConfirmDialog(
    /// The heading's id (unique on the page) and text: the question.
    heading_id: &'static str,
    #[prop(into)] heading: String,
    /// What happens, in a sentence or two.
    #[prop(into)]
    body: String,
    /// The confirming button's words, and while the action runs.
    #[prop(into)]
    confirm: String,
    #[prop(into)] working: String,
    /// A red confirming button, for what cannot be undone.
    #[prop(optional)]
    danger: bool,
    #[prop(into)] pending: Signal<bool>,
    /// A refusal to show in the dialog.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let class = if danger {
        "button danger-solid"
    } else {
        "button primary"
    };
    view! {
        <Modal labelled_by=heading_id on_close=on_close>
            <h2 id=heading_id>{heading}</h2>
            <p>{body}</p>
            <FormAlert message=error/>
            <div class="actions-end">
                <button type="button" class="button" autofocus on:click=move |_| on_close.run(())>"Cancel"</button>
                <button type="button" class=class disabled=move || pending.get() on:click=move |_| on_confirm.run(())>
                    {move || if pending.get() { working.clone() } else { confirm.clone() }}
                </button>
            </div>
        </Modal>
    }
}
