//! The first-run screen: demo or site, and the login form. The token is drawn as dots.

use super::theme;
use crate::app::setup::{
    Field, FormStatus, LoginForm, Refused, SetupState, CHOICES, REFUSED_CHOICES,
};
use crate::sanitize::{clean, fit};
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Draws the first-run screen.
pub fn render_setup(frame: &mut Frame, state: &SetupState) {
    let area = frame.area();
    // A failed check's message can be long (the server's own words): the box grows downwards so
    // the message wraps over several rows instead of being cut.
    let failed = match state {
        SetupState::Form(form) => matches!(form.status, FormStatus::Failed(_)),
        SetupState::Refused { .. } => true,
        SetupState::Choose { .. } => false,
    };
    let height = if failed { 20 } else { 14 };
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(area.width.min(72))])
        .flex(Flex::Center)
        .areas(row);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::focused_border())
        .title(Line::styled(
            match state {
                SetupState::Refused { .. } => " confdir · sign-in failed ",
                _ if matches!(state, SetupState::Form(f) if f.back.is_some()) => {
                    " confdir · log in again "
                }
                _ => " confdir · first run ",
            },
            theme::title(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = inner.width as usize;
    match state {
        SetupState::Refused { refused, selected } => {
            render_refused(frame, inner, refused, *selected);
        }
        SetupState::Choose { selected } => {
            let mut lines = vec![
                Line::raw("No Confluence site is configured yet."),
                Line::raw(""),
            ];
            for (i, choice) in CHOICES.iter().enumerate() {
                let style = if i == *selected {
                    theme::selected()
                } else {
                    Default::default()
                };
                lines.push(Line::styled(
                    format!("  {choice:<w$}", w = width.saturating_sub(2)),
                    style,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                fit("↑/↓ choose · Enter · d demo · s set up · q quit", width),
                theme::dim(),
            ));
            lines.push(Line::styled(
                fit(
                    "Later: `confdir login`, or CONFLUENCE_BASE_URL/EMAIL/API_TOKEN.",
                    width,
                ),
                theme::dim(),
            ));
            frame.render_widget(Paragraph::new(lines), inner);
        }
        SetupState::Form(form) => render_form(frame, inner, form.as_ref()),
    }
}

/// The login form: site, email, token (as dots), the scoped box, then the status (a failure
/// wrapped over the free rows) and the keys.
fn render_form(frame: &mut Frame, inner: Rect, form: &LoginForm) {
    let width = inner.width as usize;
    let LoginForm {
        field,
        site,
        email,
        token,
        scoped,
        status,
        ..
    } = form;
    let value_width = width.saturating_sub(9);
    let row = |label: &str, text: String, this: Field| {
        let style = if *field == this {
            theme::key()
        } else {
            theme::label()
        };
        Line::from(vec![
            Span::styled(format!("{label:<8} "), style),
            Span::raw(fit(&text, value_width)),
        ])
    };
    let dots = "•".repeat(token.value().chars().count());
    let lines = vec![
        Line::raw("Set up a site: confdir checks the credentials, stores the token"),
        Line::raw("in the OS keyring (else a 0600 file) and writes the config."),
        Line::raw(""),
        row("site", site.value().to_string(), Field::Site),
        row("email", email.value().to_string(), Field::Email),
        row("token", dots, Field::Token),
        row(
            "scoped",
            format!(
                "[{}] token created with scopes (Space)",
                if *scoped { "x" } else { " " }
            ),
            Field::Scoped,
        ),
        Line::raw(""),
    ];
    let footer = Line::styled(
        fit(
            "Tab next field · Enter on token: check and save · Esc back",
            width,
        ),
        theme::dim(),
    );
    let [fields, message, last] = Layout::vertical([
        Constraint::Length(lines.len() as u16),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines), fields);
    let status_line = match status {
        FormStatus::Editing => Paragraph::new(Line::styled(
            fit(
                "Site: acme, acme.atlassian.net or a URL. Empty email: Bearer token.",
                width,
            ),
            theme::dim(),
        )),
        FormStatus::Verifying => {
            Paragraph::new(Line::styled("Checking with the site…", theme::dim()))
        }
        // Wrapped by words and by display width (ratatui's word wrapper), over every row
        // between the fields and the footer.
        FormStatus::Failed(message) => {
            Paragraph::new(Line::styled(clean(message).into_owned(), theme::error()))
                .wrap(Wrap { trim: true })
        }
    };
    frame.render_widget(status_line, message);
    frame.render_widget(Paragraph::new(footer), last);
    let (y, cursor) = match field {
        Field::Site => (3, site.visual_cursor()),
        Field::Email => (4, email.visual_cursor()),
        Field::Token => (5, token.visual_cursor()),
        Field::Scoped => (6, 1),
    };
    let x = inner.x + 9 + (cursor.min(value_width)) as u16;
    if *status != FormStatus::Verifying {
        frame.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            inner.y + y,
        ));
    }
}

/// The sign-in failure screen: what failed (a sentence), the client's error below it (wrapped),
/// then the three choices and their keys.
fn render_refused(frame: &mut Frame, inner: Rect, refused: &Refused, selected: usize) {
    let width = inner.width as usize;
    let mut text = vec![
        Line::styled(clean(&refused.headline()).into_owned(), theme::error()),
        Line::raw(""),
        Line::styled(clean(&refused.detail).into_owned(), theme::dim()),
    ];
    if refused.token_source.as_deref() == Some(crate::config::ENV_TOKEN) {
        text.push(Line::raw(""));
        text.push(Line::raw(format!(
            "{} is set: it comes first, so a new login is used for this run only until it is unset.",
            crate::config::ENV_TOKEN
        )));
    }
    let mut choices = Vec::new();
    for (i, choice) in REFUSED_CHOICES.iter().enumerate() {
        let line = format!("  {choice}");
        choices.push(if i == selected {
            Line::styled(crate::sanitize::pad(&line, width), theme::selected())
        } else {
            Line::raw(line)
        });
    }
    choices.push(Line::raw(""));
    choices.push(Line::styled(
        fit(
            "↑/↓ choose · Enter · l log in again · d demo · q quit",
            width,
        ),
        theme::dim(),
    ));
    let [top, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(choices.len() as u16)])
            .areas(inner);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), top);
    frame.render_widget(Paragraph::new(choices), bottom);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::setup::{setup_key, setup_paste};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    /// The box's text, row after row joined by a space: borders trimmed, a wide character's
    /// second cell skipped.
    fn inside_text(buffer: &ratatui::buffer::Buffer) -> String {
        let mut rows = Vec::new();
        for y in 0..buffer.area.height {
            let mut row = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                x += crate::sanitize::width(symbol).max(1) as u16;
            }
            let inside = row.trim_matches(|c: char| c == '│' || c.is_whitespace());
            if !inside.is_empty() {
                rows.push(inside.to_string());
            }
        }
        rows.join(" ")
    }

    #[test]
    fn the_token_is_never_drawn() {
        let mut state = SetupState::default();
        setup_key(
            &mut state,
            &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE),
        );
        setup_key(
            &mut state,
            &KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE),
        );
        setup_paste(&mut state, "tok-SECRET-123");
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| render_setup(f, &state)).unwrap();
        let text = crate::ui::screen_text(terminal.backend().buffer());
        assert!(!text.contains("SECRET"));
        assert!(text.contains("••••••••••••••"));
    }

    /// A long failure (the server's 401 text) wraps by words over the free rows instead of being
    /// cut at the box's edge; wide characters count as two columns.
    #[test]
    fn a_long_failure_wraps_by_words_below_the_fields() {
        let mut state = SetupState::default();
        setup_key(
            &mut state,
            &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE),
        );
        let message = "Authentication failed (401): Client must be authenticated to access this \
                       resource. Check the email and the token, 陈浩然 — then try again at the end";
        crate::app::setup::setup_verified(&mut state, Err(message.into()));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| render_setup(f, &state)).unwrap();
        let buffer = terminal.backend().buffer();
        let text = crate::ui::screen_text(buffer);
        let joined = inside_text(buffer);
        for word in message.split_whitespace() {
            assert!(joined.contains(word), "{word} missing:\n{text}");
        }
        assert!(joined.contains("try again at the end"), "{text}");
        assert!(!text.contains('…'), "nothing is cut:\n{text}");
        // The footer is still there, below the message.
        assert!(text.contains("Esc back"), "{text}");
    }

    /// The sign-in failure screen says what failed in a sentence, whole, and offers the three
    /// ways on; the highlighted one is reversed, so it shows without colour too.
    #[test]
    fn a_refused_sign_in_says_what_failed_and_offers_three_ways_on() {
        let state = SetupState::Refused {
            refused: Box::new(Refused {
                site_label: "acme.atlassian.net".into(),
                site: "https://acme.atlassian.net/wiki".into(),
                name: "acme".into(),
                email: "ada@acme.example".into(),
                scoped: false,
                token_source: Some(crate::config::ENV_TOKEN.into()),
                detail: "GET /user/current: Confluence refused the credentials (401): Client must \
                         be authenticated to access this resource."
                    .into(),
            }),
            selected: 0,
        };
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| render_setup(f, &state)).unwrap();
        let buffer = terminal.backend().buffer();
        let text = crate::ui::screen_text(buffer);
        let squeezed = inside_text(buffer);
        for needle in [
            "sign-in failed",
            "acme.atlassian.net refused the sign-in as ada@acme.example (401)",
            "wrong, expired or revoked.",
            "Client must",
            "CONFLUENCE_API_TOKEN is set",
            "Log in again",
            "Open the demo directory",
            "Quit",
            "l log in again · d demo · q quit",
        ] {
            assert!(squeezed.contains(needle), "{needle}:\n{text}");
        }
        assert!(!text.contains('…'), "nothing is cut:\n{text}");
        // The highlighted choice is reversed (not colour alone).
        let row = (0..buffer.area.height)
            .find(|&y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    .contains("Log in again")
            })
            .unwrap();
        let x = (0..buffer.area.width)
            .find(|&x| buffer[(x, row)].symbol() == "L")
            .unwrap();
        assert!(buffer[(x, row)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED));
    }
}
