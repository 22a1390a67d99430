//! First run: no site is configured. The screen offers "explore the demo directory" or "set up a
//! site"; the second is the login form (site, email, token, and whether the token is scoped)
//! inside the TUI. Pure: key handling returns a [`SetupEffect`] that the runtime carries out
//! (verifying, storing, saving). A scoped token is checked through the API gateway with the
//! site's cloud id, as `confdir login --scoped` does.

use crate::api::Secret;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

/// The two choices of the first screen, in order.
pub const CHOICES: [&str; 2] = ["Explore the demo directory", "Set up a site"];

/// A field of the login form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The site's name or URL.
    Site,
    /// The account's email (empty for a bearer token).
    Email,
    /// The API token.
    Token,
    /// Whether the token is a scoped API token (a check box: Space toggles it).
    Scoped,
}

/// Where the login form is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormStatus {
    /// The user is typing.
    Editing,
    /// Checking the credentials with the site.
    Verifying,
    /// The last attempt failed; the message says why.
    Failed(String),
}

/// The login form's fields and where it is.
#[derive(Debug)]
pub struct LoginForm {
    /// The focused field.
    pub field: Field,
    /// The site's name or URL.
    pub site: Input,
    /// The account's email.
    pub email: Input,
    /// The API token (drawn masked).
    pub token: Input,
    /// The token is a scoped API token: its API calls go through the gateway.
    pub scoped: bool,
    /// Where the form is.
    pub status: FormStatus,
}

impl LoginForm {
    /// The input of the focused field (`None` on the scoped check box, which takes no text).
    pub fn focused_input(&mut self) -> Option<&mut Input> {
        match self.field {
            Field::Site => Some(&mut self.site),
            Field::Email => Some(&mut self.email),
            Field::Token => Some(&mut self.token),
            Field::Scoped => None,
        }
    }
}

/// The first-run screen's state.
#[derive(Debug)]
pub enum SetupState {
    /// Demo or site?
    Choose {
        /// The highlighted choice, an index into [`CHOICES`].
        selected: usize,
    },
    /// The login form.
    Form(Box<LoginForm>),
}

impl Default for SetupState {
    fn default() -> Self {
        SetupState::Choose { selected: 0 }
    }
}

/// How the first-run screen ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupOutcome {
    /// Explore the demo directory.
    Demo,
    /// A site was verified and saved; the message says where the token went.
    Configured(String),
    /// Leave without choosing.
    Quit,
}

/// What the runtime must do after a key.
#[derive(Debug, PartialEq)]
pub enum SetupEffect {
    /// The screen is done.
    Finish(SetupOutcome),
    /// Verify these credentials, store the token and save the site.
    Verify {
        /// The site as typed.
        site: String,
        /// The email as typed (empty: a bearer token).
        email: String,
        /// The token.
        token: Secret,
        /// The token is scoped: find the site's cloud id and go through the API gateway.
        scoped: bool,
    },
}

/// Handles one key press.
pub fn setup_key(state: &mut SetupState, key: &KeyEvent) -> Option<SetupEffect> {
    if key.code == KeyCode::Char('c') && key.modifiers == KeyModifiers::CONTROL {
        return Some(SetupEffect::Finish(SetupOutcome::Quit));
    }
    match state {
        SetupState::Choose { selected } => match key.code {
            KeyCode::Up | KeyCode::Char('k') => {
                *selected = selected.saturating_sub(1);
                None
            }
            KeyCode::Down | KeyCode::Char('j') => {
                *selected = (*selected + 1).min(CHOICES.len() - 1);
                None
            }
            KeyCode::Char('d') => Some(SetupEffect::Finish(SetupOutcome::Demo)),
            KeyCode::Char('s') => {
                *state = form();
                None
            }
            KeyCode::Enter if *selected == 0 => Some(SetupEffect::Finish(SetupOutcome::Demo)),
            KeyCode::Enter => {
                *state = form();
                None
            }
            KeyCode::Char('q') | KeyCode::Esc => Some(SetupEffect::Finish(SetupOutcome::Quit)),
            _ => None,
        },
        SetupState::Form(form) => {
            if form.status == FormStatus::Verifying {
                return None;
            }
            match key.code {
                KeyCode::Esc => {
                    *state = SetupState::Choose { selected: 1 };
                    None
                }
                KeyCode::Tab | KeyCode::Down => {
                    form.field = next(form.field);
                    None
                }
                KeyCode::BackTab | KeyCode::Up => {
                    form.field = prev(form.field);
                    None
                }
                KeyCode::Enter if !matches!(form.field, Field::Token | Field::Scoped) => {
                    form.field = next(form.field);
                    None
                }
                KeyCode::Char(' ' | 'y' | 'n' | 'x') if form.field == Field::Scoped => {
                    form.scoped = match key.code {
                        KeyCode::Char('y') => true,
                        KeyCode::Char('n') => false,
                        _ => !form.scoped,
                    };
                    None
                }
                KeyCode::Enter => {
                    if form.site.value().trim().is_empty() {
                        form.status = FormStatus::Failed("Type your site, e.g. acme".into());
                        form.field = Field::Site;
                        return None;
                    }
                    if form.token.value().is_empty() {
                        form.status = FormStatus::Failed("Paste your API token".into());
                        return None;
                    }
                    form.status = FormStatus::Verifying;
                    Some(SetupEffect::Verify {
                        site: form.site.value().trim().to_string(),
                        email: form.email.value().trim().to_string(),
                        token: Secret::new(form.token.value().trim()),
                        scoped: form.scoped,
                    })
                }
                _ => {
                    if let Some(request) = tui_input::backend::crossterm::to_input_request(
                        &crossterm::event::Event::Key(*key),
                    ) {
                        if let Some(input) = form.focused_input() {
                            input.handle(request);
                            if matches!(form.status, FormStatus::Failed(_)) {
                                form.status = FormStatus::Editing;
                            }
                        }
                    }
                    None
                }
            }
        }
    }
}

/// Pasted text goes into the focused field (control characters dropped).
pub fn setup_paste(state: &mut SetupState, text: &str) {
    if let SetupState::Form(form) = state {
        if form.status == FormStatus::Verifying {
            return;
        }
        let Some(input) = form.focused_input() else {
            return;
        };
        for c in text.chars().filter(|c| !c.is_control()) {
            input.handle(tui_input::InputRequest::InsertChar(c));
        }
    }
}

/// The verification's answer: done, or back to the form with the reason.
pub fn setup_verified(
    state: &mut SetupState,
    result: Result<String, String>,
) -> Option<SetupOutcome> {
    match result {
        Ok(message) => Some(SetupOutcome::Configured(message)),
        Err(message) => {
            if let SetupState::Form(form) = state {
                form.status = FormStatus::Failed(message);
            }
            None
        }
    }
}

fn form() -> SetupState {
    SetupState::Form(Box::new(LoginForm {
        field: Field::Site,
        site: Input::default(),
        email: Input::default(),
        token: Input::default(),
        scoped: false,
        status: FormStatus::Editing,
    }))
}

fn next(field: Field) -> Field {
    match field {
        Field::Site => Field::Email,
        Field::Email => Field::Token,
        Field::Token => Field::Scoped,
        Field::Scoped => Field::Site,
    }
}

/// Back one field; from the site, back to the token (the field a person most often returns to),
/// as before the check box was added.
fn prev(field: Field) -> Field {
    match field {
        Field::Site => Field::Token,
        Field::Email => Field::Site,
        Field::Token => Field::Email,
        Field::Scoped => Field::Token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(state: &mut SetupState, text: &str) {
        for c in text.chars() {
            assert_eq!(setup_key(state, &key(KeyCode::Char(c))), None);
        }
    }

    #[test]
    fn enter_on_the_first_choice_is_the_demo() {
        let mut s = SetupState::default();
        assert_eq!(
            setup_key(&mut s, &key(KeyCode::Enter)),
            Some(SetupEffect::Finish(SetupOutcome::Demo))
        );
    }

    #[test]
    fn the_form_collects_site_email_and_token_then_verifies() {
        let mut s = SetupState::default();
        setup_key(&mut s, &key(KeyCode::Down));
        setup_key(&mut s, &key(KeyCode::Enter));
        typed(&mut s, "acme");
        setup_key(&mut s, &key(KeyCode::Enter));
        typed(&mut s, "ada@acme.example");
        setup_key(&mut s, &key(KeyCode::Tab));
        setup_paste(&mut s, "tok-\x1b123");
        match setup_key(&mut s, &key(KeyCode::Enter)) {
            Some(SetupEffect::Verify {
                site, email, token, ..
            }) => {
                assert_eq!(site, "acme");
                assert_eq!(email, "ada@acme.example");
                assert_eq!(token.expose(), "tok-123");
            }
            other => panic!("{other:?}"),
        }
        // Keys are ignored while verifying; a failure returns to the form with the reason.
        assert_eq!(setup_key(&mut s, &key(KeyCode::Esc)), None);
        assert_eq!(setup_verified(&mut s, Err("401: bad token".into())), None);
        assert!(
            matches!(&s, SetupState::Form(f) if matches!(&f.status, FormStatus::Failed(m) if m.contains("401")))
        );
        assert_eq!(
            setup_verified(&mut s, Ok("saved".into())),
            Some(SetupOutcome::Configured("saved".into()))
        );
    }

    #[test]
    fn the_scoped_box_is_ticked_with_space_and_travels_with_the_credentials() {
        let mut s = SetupState::default();
        setup_key(&mut s, &key(KeyCode::Char('s')));
        typed(&mut s, "acme");
        for _ in 0..3 {
            setup_key(&mut s, &key(KeyCode::Tab));
        }
        // Text typed or pasted on the check box goes nowhere; Space ticks it.
        setup_paste(&mut s, "zzz");
        setup_key(&mut s, &key(KeyCode::Char(' ')));
        assert!(matches!(&s, SetupState::Form(f) if f.scoped && f.field == Field::Scoped));
        setup_key(&mut s, &key(KeyCode::BackTab));
        typed(&mut s, "tok");
        match setup_key(&mut s, &key(KeyCode::Enter)) {
            Some(SetupEffect::Verify {
                site,
                token,
                scoped,
                ..
            }) => {
                assert_eq!(site, "acme");
                assert_eq!(token.expose(), "tok");
                assert!(scoped);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_site_is_refused_before_asking_anyone() {
        let mut s = SetupState::default();
        setup_key(&mut s, &key(KeyCode::Char('s')));
        setup_key(&mut s, &key(KeyCode::BackTab));
        typed(&mut s, "tok");
        assert_eq!(setup_key(&mut s, &key(KeyCode::Enter)), None);
        assert!(matches!(
            &s,
            SetupState::Form(f) if matches!(f.status, FormStatus::Failed(_)) && f.field == Field::Site
        ));
    }
}
