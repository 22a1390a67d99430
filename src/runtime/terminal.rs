//! Terminal set-up and restore, the size the UI draws at, and the signals that end the UI.
//!
//! Restore runs on normal exit, on error paths, on panic (a hook installed after color-eyre's, so
//! both run) and on every signal that would otherwise end the process with the terminal in raw
//! mode on the alternate screen: [`QuitSignals`] turns them into a quit, which restores. Restoring
//! never panics.
//!
//! However large the terminal, at most [`ui::MAX_WIDTH`] × [`ui::MAX_HEIGHT`] cells are drawn:
//! [`Clamped`] reports at most that size to ratatui, whose screen buffers hold one cell per
//! column and row it is told of.

use crate::ui;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::Terminal;
use std::io::Stdout;
use std::sync::atomic::{AtomicBool, Ordering};

/// The real terminal's backend: crossterm on standard output.
pub type StdoutBackend = CrosstermBackend<Stdout>;

/// Whether the terminal is in the UI's modes (raw, alternate screen), so [`restore`] undoes them
/// once however many callers ask (the quit path, the end of `run_tui`, the panic hook): leaving
/// the alternate screen twice would move the shell's cursor to a stale saved position.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Enters raw mode and the alternate screen, with bracketed paste (and the mouse if asked), after
/// installing the panic hook that restores. On failure the terminal is restored first.
pub fn init(mouse: bool) -> std::io::Result<StdoutBackend> {
    set_panic_hook();
    match enter(mouse) {
        Ok(()) => Ok(CrosstermBackend::new(std::io::stdout())),
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Gives the terminal back to the shell and stops the process, as Ctrl-Z does in a cooked
/// terminal (SIGTSTP, default action); once the shell's `fg` continues it, takes the terminal
/// again (raw mode, the alternate screen, bracketed paste, the mouse if asked). The caller then
/// clears and redraws the screen, which the shell wrote over. Where nothing can continue the
/// process (no job control: its process group is orphaned), the system drops the signal and this
/// returns at once.
pub fn suspend(mouse: bool) -> std::io::Result<()> {
    hand_over(mouse, || {
        #[cfg(unix)]
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        Ok(())
    })?
}

/// Gives the terminal to another program while `f` runs (an editor: cooked mode, the main
/// screen, no bracketed paste or mouse), then takes it again as [`suspend`] does. The caller then
/// clears and redraws the screen.
pub fn hand_over<T>(mouse: bool, f: impl FnOnce() -> T) -> std::io::Result<T> {
    restore();
    let out = f();
    enter(mouse)?;
    Ok(out)
}

/// The UI's modes: raw mode, the alternate screen, bracketed paste, the mouse if asked. Marked
/// active first, so a failure half-way is undone by [`restore`].
fn enter(mouse: bool) -> std::io::Result<()> {
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// After another program had the terminal (the shell, an editor): clears it and blanks both
/// buffers, so the next frame writes every cell it shows (the caller marks the state dirty). Not
/// `Terminal::clear`, which asks the terminal where its cursor is and waits.
pub fn draw_all_again<B: Backend>(term: &mut Terminal<B>) -> Result<(), B::Error> {
    term.backend_mut()
        .clear_region(ratatui::backend::ClearType::All)?;
    term.swap_buffers();
    term.swap_buffers();
    Ok(())
}

/// A terminal on `backend` that draws at most [`ui::MAX_WIDTH`] × [`ui::MAX_HEIGHT`] cells.
pub fn clamped<B: Backend>(backend: B) -> Result<Terminal<Clamped<B>>, B::Error> {
    Terminal::new(Clamped::new(backend))
}

/// Leaves raw mode and the alternate screen, and shows the cursor, once (a second call does
/// nothing until [`init`] again); errors are ignored (there is nothing better to do with them
/// while shutting down).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = std::io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    let _ = disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Restores the terminal before the previous hook (color-eyre's) reports a panic.
fn set_panic_hook() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
}

/// A backend that tells ratatui the terminal is at most [`ui::MAX_WIDTH`] × [`ui::MAX_HEIGHT`]
/// cells, so its buffers (and every frame's diff) stay that size whatever the real one is; the
/// rest of the screen stays blank (a resize clears the whole screen). Everything else goes to the
/// wrapped backend.
///
/// With `NO_COLOR` set it also draws without colour, by taking the colours off each cell before
/// the wrapped backend sees it. Leaving that to crossterm is not enough: under `NO_COLOR` it
/// writes a colour change as an empty `ESC[;m`, which terminals read as "reset every
/// attribute", so the reversed selection and every bold or underline were wiped as soon as a
/// colour changed.
#[derive(Debug)]
pub struct Clamped<B> {
    inner: B,
    monochrome: bool,
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org defines it).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl<B: Backend> Clamped<B> {
    /// Wraps `inner`; draws without colour when [`no_color`] says so.
    pub fn new(inner: B) -> Self {
        Clamped {
            inner,
            monochrome: no_color(),
        }
    }

    /// The real terminal's size, of which [`Backend::size`] reports the drawn part.
    pub fn terminal_size(&self) -> Result<Size, B::Error> {
        self.inner.size()
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Backend> Backend for Clamped<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if !self.monochrome {
            return self.inner.draw(content);
        }
        let plain: Vec<(u16, u16, Cell)> = content
            .map(|(x, y, cell)| {
                let mut cell = cell.clone();
                cell.set_fg(ratatui::style::Color::Reset)
                    .set_bg(ratatui::style::Color::Reset);
                (x, y, cell)
            })
            .collect();
        self.inner
            .draw(plain.iter().map(|(x, y, cell)| (*x, *y, cell)))
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size().map(ui::drawn_size)
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        let size = self.inner.window_size()?;
        Ok(WindowSize {
            columns_rows: ui::drawn_size(size.columns_rows),
            pixels: size.pixels,
        })
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// Every catchable signal whose default action ends the process, as one stream, so the loop can
/// quit and restore the terminal: SIGTERM, SIGHUP, SIGINT (a key press in raw mode, but `kill`
/// can send it), SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM and SIGIO. SIGPIPE is not among them: Rust
/// programs ignore it (a write to a closed pipe is an error instead), and catching it would end
/// the UI whenever a connection closes under a write. SIGKILL cannot be caught, and faults
/// (SIGSEGV, SIGBUS) are not signals a handler can recover from.
pub(crate) struct QuitSignals {
    #[cfg(unix)]
    inner: Vec<tokio::signal::unix::Signal>,
}

impl QuitSignals {
    /// Installs the handlers (for the rest of the process: a signal that arrives after the loop
    /// ended is ignored rather than leaving the terminal unrestored).
    pub(crate) fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let inner = [
                SignalKind::terminate(),
                SignalKind::hangup(),
                SignalKind::interrupt(),
                SignalKind::quit(),
                SignalKind::user_defined1(),
                SignalKind::user_defined2(),
                SignalKind::alarm(),
                SignalKind::io(),
            ]
            .into_iter()
            .filter_map(|kind| signal(kind).ok())
            .collect();
            QuitSignals { inner }
        }
        #[cfg(not(unix))]
        QuitSignals {}
    }

    /// Waits for the next of these signals.
    pub(crate) async fn recv(&mut self) {
        #[cfg(unix)]
        {
            if self.inner.is_empty() {
                return std::future::pending().await;
            }
            let waits = self.inner.iter_mut().map(|s| Box::pin(s.recv()));
            let _ = futures::future::select_all(waits).await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
