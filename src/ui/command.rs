//! The `:` command line, drawn over the message line while open: the text typed, the cursor,
//! and what Tab would complete it to.

use super::theme;
use crate::app::command_line::candidates;
use crate::app::state::State;
use crate::sanitize::{clean, fit, width};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Draws the command line in `area` (the message line), if it is open.
pub fn render_command(frame: &mut Frame, area: Rect, state: &State) {
    let Some(input) = &state.lists.command else {
        return;
    };
    let text = clean(input.value()).into_owned();
    let (_, found) = candidates(state, input.value());
    let typed = width(&text) + 1;
    let room = (area.width as usize).saturating_sub(typed + 2);
    let hint = if found.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = found
            .iter()
            .take(12)
            .map(|c| clean(c).into_owned())
            .collect();
        fit(&format!("  Tab: {}", list.join(" · ")), room)
    };
    let line = Line::from(vec![
        Span::styled(":", theme::key()),
        Span::raw(text),
        Span::styled(hint, theme::dim()),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x + 1 + input.visual_cursor() as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}
