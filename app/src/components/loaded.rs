//! A page part that waits for a server function's answer.

use leptos::prelude::*;

use crate::error::AppError;

/// What to show for `answer`: "Loading…" until it comes, a refusal as an alert, else what
/// `render` makes of it.
pub fn loaded<T>(answer: Option<Result<T, AppError>>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    match answer {
        None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{e.to_string()}</p> }.into_any(),
        Some(Ok(value)) => render(value),
    }
}
