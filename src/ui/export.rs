//! The export prompt (`X`), drawn over the message line while open: how many rows, in which
//! format, the path being typed with its cursor, and the keys; or the question about a file that
//! already exists.

use super::theme;
use crate::app::export::ExportFormat;
use crate::app::state::State;
use crate::sanitize::{clean, fit, width};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Draws the export prompt in `area` (the message line), if it is open.
pub fn render_export(frame: &mut Frame, area: Rect, state: &State) {
    let Some(prompt) = &state.export.prompt else {
        return;
    };
    let path = clean(prompt.input.value()).into_owned();
    frame.render_widget(Clear, area);
    if prompt.confirm_overwrite {
        let line = Line::from(vec![
            Span::styled(fit(&path, area.width as usize / 2), theme::key()),
            Span::raw(" exists: overwrite it? "),
            Span::styled("Enter/y", theme::key()),
            Span::raw(" overwrites, any other key edits the path"),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let format = ExportFormat::of_path(&path);
    let label = format!(
        "Export {} as {} to: ",
        prompt.rows.counted(),
        format.extension().to_uppercase()
    );
    let hint = format!(
        "  Tab: {}  Enter: write  Esc: cancel",
        format.other().extension().to_uppercase()
    );
    let room = (area.width as usize).saturating_sub(width(&label) + width(&path) + 1);
    let line = Line::from(vec![
        Span::styled(label.clone(), theme::key()),
        Span::raw(path),
        Span::styled(fit(&hint, room), theme::dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x + (width(&label) + prompt.input.visual_cursor()) as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}
