//! The first-run screen: demo or site, and the login form. The token is drawn as dots.

use super::theme;
use crate::app::setup::{Field, FormStatus, LoginForm, SetupState, CHOICES};
use crate::sanitize::{clean, fit};
use ratatui::layout::{Constraint, Flex, Layout, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Draws the first-run screen.
pub fn render_setup(frame: &mut Frame, state: &SetupState) {
    let area = frame.area();
    // A failed check's message can be long (the server's own words): the box grows downwards so
    // the message wraps over several rows instead of being cut.
    let failed =
        matches!(state, SetupState::Form(form) if matches!(form.status, FormStatus::Failed(_)));
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
        .title(Line::styled(" confdir · first run ", theme::title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = inner.width as usize;
    match state {
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
        SetupState::Form(form) => {
            let LoginForm {
                field,
                site,
                email,
                token,
                scoped,
                status,
            } = form.as_ref();
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::setup::{setup_key, setup_paste};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

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
        // Row by row, a wide character's second cell skipped.
        let mut rows = Vec::new();
        for y in 0..buffer.area.height {
            let mut row = String::new();
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                x += crate::sanitize::width(symbol).max(1) as u16;
            }
            rows.push(row);
        }
        let inside: Vec<&str> = rows
            .iter()
            .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
            .collect();
        let joined = inside.join(" ");
        for word in message.split_whitespace() {
            assert!(joined.contains(word), "{word} missing:\n{text}");
        }
        assert!(joined.contains("try again at the end"), "{text}");
        assert!(!text.contains('…'), "nothing is cut:\n{text}");
        // The footer is still there, below the message.
        assert!(text.contains("Esc back"), "{text}");
    }
}
