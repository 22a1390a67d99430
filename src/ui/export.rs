//! The export prompt (`X`), drawn over the message line while open: how many rows, in which
//! format, the path being typed with its cursor, and the keys; or the question about a file that
//! already exists. While it is open the footer shows its keys instead of the pane's (Tab
//! switches the format there, it does not change panes).

use super::theme;
use crate::app::export::ExportFormat;
use crate::app::keymap::Hint;
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

/// The footer's hints while the export prompt is open (its keys are not the keymap's), or
/// `None` when it is closed.
pub fn prompt_hints(state: &State) -> Option<Vec<Hint>> {
    let prompt = state.export.prompt.as_ref()?;
    let hint = |key, help, keep| Hint { key, help, keep };
    Some(if prompt.confirm_overwrite {
        vec![
            hint("Enter/y", "overwrite", true),
            hint("n/Esc", "edit the path", true),
        ]
    } else {
        vec![
            hint("Enter", "write", true),
            hint("Tab", "CSV or JSON", false),
            hint("Esc", "cancel", true),
            hint("C-c", "quit", false),
        ]
    })
}
