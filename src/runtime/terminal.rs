//! Terminal set-up and restore. Restore runs on normal exit, on error paths, on panic (ratatui's
//! hook, installed after color-eyre's so both run) and on SIGTERM/SIGHUP (the event loop turns
//! those into a quit). Restoring never panics.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Enters raw mode and the alternate screen, with bracketed paste (and the mouse if asked).
pub fn init(mouse: bool) -> DefaultTerminal {
    let terminal = ratatui::init();
    let mut out = std::io::stdout();
    let _ = execute!(out, EnableBracketedPaste);
    if mouse {
        let _ = execute!(out, EnableMouseCapture);
    }
    terminal
}

/// Leaves raw mode and the alternate screen; errors are ignored (there is nothing better to do
/// with them while shutting down).
pub fn restore() {
    let mut out = std::io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
}
