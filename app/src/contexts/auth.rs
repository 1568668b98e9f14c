//! Who is signed in: one value for the whole client, provided at the root, and the one
//! answer to a server function saying the session has ended.

use leptos::prelude::*;

use crate::error::AppError;
use crate::server_fns::UserView;
use crate::server_fns::session::CurrentUser;

/// How recent the last "who am I" answer must be for a page that shows the user to take it as
/// it is: a full load of My profile asks once, not once for the shell and again for the page.
const FRESH_FOR: chrono::Duration = chrono::Duration::seconds(2);

/// What the client knows about the person using it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    /// The first "who am I" answer has not arrived yet.
    Loading,
    /// Nobody is signed in (or the session has ended).
    SignedOut,
    /// Someone is signed in.
    SignedIn(UserView),
    /// The server could not say (it failed, or could not be reached): the message says why.
    /// Not "signed out": the sign-in page would send someone still signed in straight back.
    Unknown(String),
}

impl AuthState {
    /// What an answer to "who am I" says: nobody only when the server says so (no user, or
    /// the session has ended).
    pub fn from_answer(answer: &Result<Option<UserView>, AppError>) -> Self {
        match answer {
            Ok(Some(user)) => Self::SignedIn(user.clone()),
            Ok(None) | Err(AppError::Unauthenticated) => Self::SignedOut,
            Err(error) => Self::Unknown(error.to_string()),
        }
    }
}

/// The signed-in user, shared by every page; `Copy`, so closures can hold it freely.
#[derive(Clone, Copy)]
pub struct Auth {
    state: RwSignal<AuthState>,
    user: Memo<Option<UserView>>,
    who_am_i: ServerAction<CurrentUser>,
    /// When the last answer saying who is signed in arrived (a failure is not one).
    answered_at: StoredValue<Option<chrono::DateTime<chrono::Utc>>>,
}

/// Provides [`Auth`] to everything below and asks the server who is signed in.
pub fn provide_auth() {
    let state = RwSignal::new(AuthState::Loading);
    let user = Memo::new(move |_| {
        state.with(|s| match s {
            AuthState::SignedIn(user) => Some(user.clone()),
            AuthState::Loading | AuthState::SignedOut | AuthState::Unknown(_) => None,
        })
    });
    let who_am_i = ServerAction::<CurrentUser>::new();
    let answers = who_am_i.value();
    let answered_at = StoredValue::new(None);
    // Each answer replaces what the client knew.
    Effect::new(move || {
        answers.with(|answer| {
            if let Some(answer) = answer {
                if answer.is_ok() {
                    answered_at.set_value(Some(chrono::Utc::now()));
                }
                state.set(AuthState::from_answer(answer));
            }
        });
    });
    let auth = Auth {
        state,
        user,
        who_am_i,
        answered_at,
    };
    provide_context(auth);
    auth.refresh();
}

impl Auth {
    /// The [`Auth`] provided at the root.
    pub fn expect() -> Self {
        expect_context()
    }

    /// The signed-in user, or `None` while loading and when signed out.
    pub fn user(self) -> Memo<Option<UserView>> {
        self.user
    }

    /// What the administrator allows for new token values, as the server last said (no rule
    /// before it answered).
    pub fn token_policy(self) -> crate::domain::TokenPolicy {
        self.user
            .with_untracked(|u| u.as_ref().map(|u| u.token_policy))
            .unwrap_or_default()
    }

    /// Whether someone is signed in.
    pub fn is_signed_in(self) -> bool {
        self.state.with(|s| matches!(s, AuthState::SignedIn(_)))
    }

    /// Whether the client knows that nobody is signed in.
    pub fn is_signed_out(self) -> bool {
        self.state.with(|s| matches!(s, AuthState::SignedOut))
    }

    /// Why the server could not say who is signed in, when it could not.
    pub fn unknown(self) -> Option<String> {
        self.state.with(|s| match s {
            AuthState::Unknown(why) => Some(why.clone()),
            _ => None,
        })
    }

    /// Asks the server again who is signed in (after a page change or an edit elsewhere).
    /// What the client knows stays until the answer arrives.
    pub fn refresh(self) {
        self.who_am_i.dispatch(CurrentUser {});
    }

    /// Asks again, unless an answer is on its way or arrived less than `FRESH_FOR` ago: for a
    /// page that shows the user as it opens.
    pub fn refresh_unless_fresh(self) {
        let asking = self.who_am_i.pending().get_untracked();
        let answered = self.answered_at.get_value();
        if !is_fresh(asking, answered, chrono::Utc::now()) {
            self.refresh();
        }
    }

    /// Records who the server says is signed in now.
    pub fn set_signed_in(self, user: UserView) {
        self.state.set(AuthState::SignedIn(user));
    }

    /// Forgets the user; pages that need one send the person to sign in.
    pub fn set_signed_out(self) {
        self.state.set(AuthState::SignedOut);
    }

    /// The one answer to a server function saying the session has ended (it expired, or the
    /// person signed out in another tab): forget the user, so that the sign-in guard sends
    /// them to sign in and back here afterwards.
    pub fn notice_session_end<T>(self, answer: &Result<T, AppError>) {
        if let Err(AppError::Unauthenticated) = answer {
            self.set_signed_out();
        }
    }

    /// Applies [`Auth::notice_session_end`] to each new answer in `answers`: an action's
    /// `value()` or a resource of server function results.
    pub fn watch<T, A>(self, answers: A)
    where
        T: 'static,
        A: With<Value = Option<Result<T, AppError>>> + 'static,
    {
        Effect::new(move || {
            answers.with(|answer| {
                if let Some(answer) = answer {
                    self.notice_session_end(answer);
                }
            });
        });
    }
}

/// Whether what the client knows is recent enough not to ask again at `now`: an answer is on
/// its way, or the last one arrived less than `FRESH_FOR` before.
fn is_fresh(
    asking: bool,
    answered_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    // A clock set back since (the browser's clock is the wall clock) makes it stale, not fresh.
    asking || answered_at.is_some_and(|at| (chrono::Duration::zero()..FRESH_FOR).contains(&(now - at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recent_or_coming_answer_is_fresh_an_old_one_or_none_is_not() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("valid");
        let ago = |ms| Some(now - chrono::Duration::milliseconds(ms));
        assert!(is_fresh(true, None, now), "an answer is on its way");
        assert!(is_fresh(false, ago(0), now));
        assert!(is_fresh(false, ago(1_999), now));
        assert!(!is_fresh(false, ago(2_000), now));
        assert!(!is_fresh(false, ago(60_000), now));
        assert!(!is_fresh(false, None, now), "never answered");
        assert!(!is_fresh(false, ago(-60_000), now), "the clock was set back");
    }

    #[test]
    fn only_the_server_saying_so_counts_as_signed_out() {
        assert_eq!(AuthState::from_answer(&Ok(None)), AuthState::SignedOut);
        assert_eq!(
            AuthState::from_answer(&Err(AppError::Unauthenticated)),
            AuthState::SignedOut
        );
        for error in [
            AppError::Internal,
            AppError::Transport("offline".to_owned()),
            AppError::Forbidden,
        ] {
            assert_eq!(
                AuthState::from_answer(&Err(error.clone())),
                AuthState::Unknown(error.to_string()),
                "{error:?}"
            );
        }
    }
}
