//! The layout of every signed-in page: the side navigation with the account menu, and the
//! page itself. It owns signing out and the password prompt of sensitive actions.

use leptos::prelude::*;

use super::RequireSignIn;
use super::require_sign_in::leave_for_sign_in;
use crate::components::alert::FormAlert;
use crate::components::avatar_menu::AvatarMenu;
use crate::components::side_nav::SideNav;
use crate::contexts::auth::Auth;
use crate::contexts::sudo::{SudoPrompt, provide_sudo};
use crate::error::AppError;
use crate::server_fns::session::SignOut;

/// Whether a sign-out answer means the session is over: it ended now, or had already ended.
fn session_is_over(answer: &Result<(), AppError>) -> bool {
    matches!(answer, Ok(()) | Err(AppError::Unauthenticated))
}

#[component]
pub fn SignedInLayout(
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let auth = Auth::expect();
    provide_sudo();
    let sign_out = ServerAction::<SignOut>::new();
    let signed_out = sign_out.value();
    // Once the session is over, the client is left for the sign-in page. Any other answer is
    // said at the top of the page: the person is still signed in.
    Effect::new(move || {
        if signed_out.with(|answer| answer.as_ref().is_some_and(session_is_over)) {
            leave_for_sign_in("/login");
        }
    });
    let sign_out_failed = Signal::derive(move || {
        signed_out.with(|answer| {
            answer
                .as_ref()
                .filter(|answer| !session_is_over(answer))
                .and_then(|answer| answer.as_ref().err())
                .map(|error| format!("You are still signed in: {error}"))
        })
    });

    let user = auth.user();
    let display_name = Signal::derive(move || {
        user.with(|u| u.as_ref().map(|u| u.display_name.clone()))
            .unwrap_or_default()
    });
    let username = Signal::derive(move || {
        user.with(|u| u.as_ref().map(|u| u.username.clone()))
            .unwrap_or_default()
    });
    let is_admin = Signal::derive(move || user.with(|u| u.as_ref().is_some_and(|u| u.is_admin)));
    let expiring = Signal::derive(move || user.with(|u| u.as_ref().map_or(0, |u| u.expiring_tokens.len())));
    let on_sign_out = Callback::new(move |()| {
        sign_out.dispatch(SignOut {});
    });

    view! {
        <RequireSignIn>
            <div class="layout">
                <SideNav>
                    <AvatarMenu display_name=display_name username=username expiring=expiring is_admin=is_admin on_sign_out=on_sign_out/>
                </SideNav>
                <main class="content" id="main">
                    <FormAlert message=sign_out_failed/>
                    {children()}
                </main>
            </div>
            <SudoPrompt/>
        </RequireSignIn>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_ended_session_leaves_for_the_sign_in_page() {
        assert!(session_is_over(&Ok(())));
        assert!(session_is_over(&Err(AppError::Unauthenticated)));
        assert!(!session_is_over(&Err(AppError::Internal)));
        assert!(!session_is_over(&Err(AppError::Transport("offline".to_owned()))));
    }
}
