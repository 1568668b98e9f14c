//! Where a server function's refusal shows in a form: under the control it names, or at the
//! top of the form when it names none.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

use crate::error::AppError;

/// Once the page shows a refusal, moves focus to the form's message that belongs to no
/// field, else to its first control marked invalid, so a keyboard or screen reader user
/// lands on what to fix instead of staying on the submit button.
pub fn focus_first_problem(form: NodeRef<html::Form>) {
    request_animation_frame(move || {
        let target = form
            .get_untracked()
            .and_then(|f| f.query_selector(".alert, [aria-invalid='true']").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = target {
            let _ = element.focus();
        }
    });
}

/// The refusal in an action's latest answer, if that answer was one. "Please sign in" is not
/// a refusal of the form: `Auth::watch` answers it by sending the person to sign in; nor is
/// "Confirm your password": `Sudo::guard` answers it by asking for the password.
pub fn refusal<T>(answer: &Option<Result<T, AppError>>) -> Option<AppError> {
    answer
        .as_ref()?
        .as_ref()
        .err()
        .filter(|e| !matches!(e, AppError::Unauthenticated | AppError::ReauthRequired))
        .cloned()
}

/// A form's current refusal, split by the control it belongs to.
#[derive(Clone, Copy)]
pub struct FormErrors(Signal<Option<AppError>>);

impl FormErrors {
    /// Errors from `error`, such as the refusals of several actions combined.
    pub fn new(error: Signal<Option<AppError>>) -> Self {
        Self(error)
    }

    /// Errors from the latest answer of one action (`action.value()`).
    pub fn from_answers<T, A>(answers: A) -> Self
    where
        T: 'static,
        A: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    {
        Self(Signal::derive(move || answers.with(refusal)))
    }

    /// Moves focus to the form's alert or first invalid control whenever a refusal arrives.
    pub fn focus_on_refusal(self, form: NodeRef<leptos::html::Form>) {
        let error = self.0;
        Effect::new(move || {
            if error.with(Option::is_some) {
                focus_first_problem(form);
            }
        });
    }

    /// The message for the control named `field`.
    pub fn field(self, field: &'static str) -> Signal<Option<String>> {
        let error = self.0;
        Signal::derive(move || error.with(|e| e.as_ref().filter(|e| e.field() == Some(field)).map(ToString::to_string)))
    }

    /// The message that belongs to no control, for the top of the form.
    pub fn form(self) -> Signal<Option<String>> {
        let error = self.0;
        Signal::derive(move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(ToString::to_string)))
    }

    /// The message of any refusal, for a dialog that has no controls of its own to put it by.
    pub fn any(self) -> Signal<Option<String>> {
        let error = self.0;
        Signal::derive(move || error.with(|e| e.as_ref().map(ToString::to_string)))
    }

    /// Whether the current refusal is about the control named `field` (read without tracking).
    pub fn is_about(self, field: &str) -> bool {
        self.0
            .with_untracked(|e| e.as_ref().is_some_and(|e| e.field() == Some(field)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_refusals_of_the_form_are_shown_in_it() {
        let invalid = AppError::invalid("name", "Enter a name.");
        assert_eq!(refusal(&Some(Err::<(), _>(invalid.clone()))), Some(invalid));
        assert_eq!(refusal(&Some(Err::<(), _>(AppError::Unauthenticated))), None);
        assert_eq!(refusal(&Some(Err::<(), _>(AppError::ReauthRequired))), None);
        assert_eq!(refusal(&Some(Ok::<_, AppError>(()))), None);
        assert_eq!(refusal::<()>(&None), None);
    }
}
