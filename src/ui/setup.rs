//! The first-run screen: demo or site, and the login form. The token is drawn as dots.

use super::theme;
use crate::app::setup::{Field, FormStatus, LoginForm, SetupState, CHOICES};
use crate::sanitize::fit;
use ratatui::layout::{Constraint, Flex, Layout, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;

/// Draws the first-run screen.
pub fn render_setup(frame: &mut Frame, state: &SetupState) {
    let area = frame.area();
    let [row] = Layout::vertical([Constraint::Length(14)])
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
            let mut lines = vec![
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
            lines.push(match status {
                FormStatus::Editing => Line::styled(
                    fit(
                        "Site: acme, acme.atlassian.net or a URL. Empty email: Bearer token.",
                        width,
                    ),
                    theme::dim(),
                ),
                FormStatus::Verifying => Line::styled("Checking with the site…", theme::dim()),
                FormStatus::Failed(message) => Line::styled(fit(message, width), theme::error()),
            });
            lines.push(Line::styled(
                fit(
                    "Tab next field · Enter on token: check and save · Esc back",
                    width,
                ),
                theme::dim(),
            ));
            frame.render_widget(Paragraph::new(lines), inner);
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
}
