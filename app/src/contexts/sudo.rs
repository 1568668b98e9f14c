//! "Sudo mode": sensitive actions (creating or rotating a token, admin actions) are answered
//! `ReauthRequired` when the password was last entered more than an hour ago. [`Sudo`] asks
//! for it in one dialog for every signed-in page and, once it is confirmed, sends the refused
//! request again, so what the person typed is kept.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use wasm_bindgen::JsCast as _;

use crate::components::confirm_password_dialog::ConfirmPasswordDialog;
use crate::components::form_errors::FormErrors;
use crate::contexts::auth::Auth;
use crate::error::AppError;
use crate::server_fns::session::ConfirmPassword;

/// The password prompt of the signed-in pages; `Copy`, so closures can hold it freely.
#[derive(Clone, Copy)]
pub struct Sudo {
    /// What to run once the password is confirmed; `Some` while the dialog is open.
    retry: RwSignal<Option<Callback<()>>>,
    /// Where focus goes back to when the dialog closes.
    return_to: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
    confirm: ServerAction<ConfirmPassword>,
}

/// The focused element, unless focus is nowhere in particular (on the page's body).
fn focused() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    let active = document.active_element()?;
    if document.body().is_some_and(|body| *body == active) {
        return None;
    }
    active.dyn_into().ok()
}

/// Provides [`Sudo`] to everything below; [`SudoPrompt`] shows its dialog.
pub fn provide_sudo() {
    let sudo = Sudo {
        retry: RwSignal::new(None),
        return_to: StoredValue::new_local(None),
        confirm: ServerAction::new(),
    };
    let answers = sudo.confirm.value();
    Auth::expect().watch(answers);
    Effect::new(move || match answers.with(|a| a.as_ref().map(Result::is_ok)) {
        Some(true) => sudo.close(true),
        // The session ended: `Auth::watch` sends the person to sign in.
        Some(false) if answers.with(|a| matches!(a, Some(Err(AppError::Unauthenticated)))) => sudo.close(false),
        _ => {}
    });
    provide_context(sudo);
}

impl Sudo {
    /// The [`Sudo`] of the signed-in layout.
    pub fn expect() -> Self {
        expect_context()
    }

    /// Asks for the password; once it is confirmed, runs `retry` (which sends the refused
    /// request again). Cancel closes the dialog and nothing else happens. Focus goes back to
    /// the element that has it now. [`Sudo::guard`] asks through it; a caller that
    /// dispatches by hand can too.
    pub fn ask(self, retry: Callback<()>) {
        self.return_to.set_value(focused());
        self.confirm.clear();
        self.retry.set(Some(retry));
    }

    /// Dispatches `action` through this prompt: returns what to call instead of
    /// `action.dispatch`. When the server answers `ReauthRequired`, the password is asked for
    /// and the same input dispatched again once it is confirmed. Call it where the action's
    /// form is made; a form that goes away while asking closes the dialog.
    pub fn guard<S>(self, action: ServerAction<S>) -> Callback<S>
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
    {
        let last = StoredValue::new(None::<S>);
        // The submit button, say: disabled while the request is on its way, so it is
        // remembered when the request is sent.
        let sent_from = StoredValue::new_local(None::<web_sys::HtmlElement>);
        let retry = Callback::new(move |()| {
            if let Some(input) = last.try_get_value().flatten() {
                action.dispatch(input);
            }
        });
        let answers = action.value();
        Effect::new(move || {
            if answers.with(|a| matches!(a, Some(Err(AppError::ReauthRequired)))) {
                self.ask(retry);
                // Focus goes back to what sent the request rather than to where it is now.
                if let Some(from) = sent_from.get_value() {
                    self.return_to.set_value(Some(from));
                }
            }
        });
        // Cleanups run before the owner's values go, so `retry` can still be compared here.
        on_cleanup(move || {
            if self
                .retry
                .try_get_untracked()
                .flatten()
                .is_some_and(|asked| asked.matches(&retry))
            {
                self.retry.set(None);
            }
        });
        Callback::new(move |input: S| {
            sent_from.set_value(focused());
            last.set_value(Some(input.clone()));
            action.dispatch(input);
        })
    }

    /// Closes the dialog, gives focus back and, when the password was confirmed, runs the
    /// retry.
    fn close(self, confirmed: bool) {
        let Some(retry) = self.retry.get_untracked() else {
            return;
        };
        self.retry.set(None);
        let return_to = self.return_to.get_value();
        self.return_to.set_value(None);
        // Once the dialog has left the page (the page behind a modal is inert until then).
        request_animation_frame(move || {
            if let Some(element) = return_to {
                let _ = element.focus();
            }
            if confirmed {
                retry.try_run(());
            }
        });
    }
}

/// The "Confirm your password" dialog, while [`Sudo`] asks.
#[component]
pub fn SudoPrompt() -> impl IntoView {
    let sudo = Sudo::expect();
    let confirm = sudo.confirm;
    let errors = FormErrors::from_answers(confirm.value());
    let on_confirm = Callback::new(move |password: String| {
        confirm.dispatch(ConfirmPassword {
            password: password.into(),
        });
    });
    let on_cancel = Callback::new(move |()| sudo.close(false));
    view! {
        <Show when=move || sudo.retry.with(Option::is_some)>
            <ConfirmPasswordDialog pending=confirm.pending() errors=errors on_confirm=on_confirm on_cancel=on_cancel/>
        </Show>
    }
}
