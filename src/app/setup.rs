//! First run: no site is configured. The screen offers "explore the demo directory" or "set up a
//! site"; the second is the login form (site, email, token, and whether the token is scoped)
//! inside the TUI. Pure: key handling returns a [`SetupEffect`] that the runtime carries out
//! (verifying, storing, saving). A scoped token is checked through the API gateway with the
//! site's cloud id, as `confdir login --scoped` does.
//!
//! The same screen opens when the configured site refuses the stored token at start (401 from
//! `/user/current`: a wrong, expired or revoked token): [`SetupState::Refused`] says what failed
//! and offers to log in again (the form, prefilled with the site and email, saving under the
//! same site name), to open the demo directory, or to quit.

use crate::api::Secret;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

/// The two choices of the first screen, in order.
pub const CHOICES: [&str; 2] = ["Explore the demo directory", "Set up a site"];

/// The choices of the sign-in failure screen, in order.
pub const REFUSED_CHOICES: [&str; 3] = ["Log in again", "Open the demo directory", "Quit"];

/// A configured site that refused its credentials at start: what the sign-in failure screen says,
/// and what the login form is prefilled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The site as the user knows it, e.g. `acme.atlassian.net`.
    pub site_label: String,
    /// The site's URL, for the form's site field.
    pub site: String,
    /// The site's name in the config file: a new login is saved under it again.
    pub name: String,
    /// The account email (empty for a bearer token).
    pub email: String,
    /// The site's API calls go through the API gateway (a scoped token).
    pub scoped: bool,
    /// Where the refused token came from, as words (`CONFLUENCE_API_TOKEN`, `the OS keyring`),
    /// when known.
    pub token_source: Option<String>,
    /// The error as the client reported it (untrusted: the server's words are in it).
    pub detail: String,
}

impl Refused {
    /// What failed, in one sentence.
    pub fn headline(&self) -> String {
        let whose = match &self.token_source {
            Some(source) => format!("the API token from {source}"),
            None => "the API token".to_string(),
        };
        let who = if self.email.is_empty() {
            String::new()
        } else {
            format!(" as {}", self.email)
        };
        format!(
            "{} refused the sign-in{who} (401): {whose} is wrong, expired or revoked.",
            self.site_label
        )
    }
}

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
    /// The sign-in failure this form answers: Esc goes back to it, and the login is saved under
    /// its site name. `None` on a first run.
    pub back: Option<Box<Refused>>,
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
    /// The site refused the stored credentials: log in again, open the demo, or quit?
    Refused {
        /// What failed, and the form's prefill.
        refused: Box<Refused>,
        /// The highlighted choice, an index into [`REFUSED_CHOICES`].
        selected: usize,
    },
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
        /// Save the site under this name (a new login for a site that refused its token);
        /// `None`: the name derived from the site.
        name: Option<String>,
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
        SetupState::Refused { refused, selected } => match key.code {
            KeyCode::Up | KeyCode::Char('k') => {
                *selected = selected.saturating_sub(1);
                None
            }
            KeyCode::Down | KeyCode::Char('j') => {
                *selected = (*selected + 1).min(REFUSED_CHOICES.len() - 1);
                None
            }
            KeyCode::Char('l') => {
                *state = form_for(refused.clone());
                None
            }
            KeyCode::Enter if *selected == 0 => {
                *state = form_for(refused.clone());
                None
            }
            KeyCode::Char('d') => Some(SetupEffect::Finish(SetupOutcome::Demo)),
            KeyCode::Enter if *selected == 1 => Some(SetupEffect::Finish(SetupOutcome::Demo)),
            KeyCode::Enter | KeyCode::Char('q') | KeyCode::Esc => {
                Some(SetupEffect::Finish(SetupOutcome::Quit))
            }
            _ => None,
        },
        SetupState::Form(form) => {
            if form.status == FormStatus::Verifying {
                return None;
            }
            match key.code {
                KeyCode::Esc => {
                    *state = match form.back.take() {
                        Some(refused) => SetupState::Refused {
                            refused,
                            selected: 0,
                        },
                        None => SetupState::Choose { selected: 1 },
                    };
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
                        name: form.back.as_ref().map(|r| r.name.clone()),
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
        back: None,
    }))
}

/// The login form for a site that refused its token: the site, email and scoped box as
/// configured, the cursor on the (empty) token, the one field left to fill.
fn form_for(refused: Box<Refused>) -> SetupState {
    SetupState::Form(Box::new(LoginForm {
        field: Field::Token,
        site: Input::new(refused.site.clone()),
        email: Input::new(refused.email.clone()),
        token: Input::default(),
        scoped: refused.scoped,
        status: FormStatus::Editing,
        back: Some(refused),
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

    fn refused() -> SetupState {
        SetupState::Refused {
            refused: Box::new(Refused {
                site_label: "acme.atlassian.net".into(),
                site: "https://acme.atlassian.net/wiki".into(),
                name: "work".into(),
                email: "ada@acme.example".into(),
                scoped: true,
                token_source: Some("the OS keyring".into()),
                detail: "GET /user/current: Confluence refused the credentials (401).".into(),
            }),
            selected: 0,
        }
    }

    #[test]
    fn a_refused_token_offers_a_prefilled_login_that_saves_under_the_same_name() {
        let mut s = refused();
        // Enter on the first choice: the form, with the site and email as configured and the
        // cursor on the token.
        assert_eq!(setup_key(&mut s, &key(KeyCode::Enter)), None);
        match &s {
            SetupState::Form(f) => {
                assert_eq!(f.site.value(), "https://acme.atlassian.net/wiki");
                assert_eq!(f.email.value(), "ada@acme.example");
                assert!(f.scoped);
                assert_eq!(f.field, Field::Token);
            }
            other => panic!("{other:?}"),
        }
        typed(&mut s, "new-token");
        match setup_key(&mut s, &key(KeyCode::Enter)) {
            Some(SetupEffect::Verify {
                site,
                email,
                token,
                scoped,
                name,
            }) => {
                assert_eq!(site, "https://acme.atlassian.net/wiki");
                assert_eq!(email, "ada@acme.example");
                assert_eq!(token.expose(), "new-token");
                assert!(scoped);
                assert_eq!(name.as_deref(), Some("work"));
            }
            other => panic!("{other:?}"),
        }
        // A failure stays in the form; Esc goes back to the failure screen, not the first run's.
        setup_verified(&mut s, Err("401 again".into()));
        setup_key(&mut s, &key(KeyCode::Esc));
        assert!(
            matches!(&s, SetupState::Refused { selected: 0, .. }),
            "{s:?}"
        );
    }

    #[test]
    fn a_refused_token_offers_the_demo_and_quit() {
        let mut s = refused();
        assert_eq!(
            setup_key(&mut s, &key(KeyCode::Char('d'))),
            Some(SetupEffect::Finish(SetupOutcome::Demo))
        );
        setup_key(&mut s, &key(KeyCode::Down));
        assert_eq!(
            setup_key(&mut s, &key(KeyCode::Enter)),
            Some(SetupEffect::Finish(SetupOutcome::Demo))
        );
        setup_key(&mut s, &key(KeyCode::Down));
        setup_key(&mut s, &key(KeyCode::Down));
        assert_eq!(
            setup_key(&mut s, &key(KeyCode::Enter)),
            Some(SetupEffect::Finish(SetupOutcome::Quit))
        );
        assert_eq!(
            setup_key(&mut refused(), &key(KeyCode::Char('q'))),
            Some(SetupEffect::Finish(SetupOutcome::Quit))
        );
        match refused() {
            SetupState::Refused { refused, .. } => assert_eq!(
                refused.headline(),
                "acme.atlassian.net refused the sign-in as ada@acme.example (401): the API token \
                 from the OS keyring is wrong, expired or revoked."
            ),
            _ => unreachable!(),
        }
    }
}
