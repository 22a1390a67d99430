//! Progress bars on stderr (`directory sync`, a group-wide watch write), and the one way the
//! commands write a line to stderr while a bar may be drawn: the bar is cleared, the line
//! written, the bar drawn again below it, so a rate-limit notice never lands in the middle of a
//! bar. Bars are drawn only on a terminal; without one there is no bar and lines go straight
//! to stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;

/// The bar drawn now, if any (a command draws one at a time).
static SHOWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// A bar of `len` steps drawn with `template` (indicatif's), four times a second, on stderr
/// when it is a terminal; otherwise one that draws nothing (`is_hidden`). It is the bar [`say`]
/// draws around until [`Shown::finish`] or drop.
pub fn bar(len: Option<u64>, template: &str) -> Shown {
    if !std::io::stderr().is_terminal() {
        return Shown(ProgressBar::hidden());
    }
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr_with_hz(4));
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    if let Ok(mut shown) = SHOWN.lock() {
        *shown = Some(bar.clone());
    }
    Shown(bar)
}

/// A bar being drawn; cleared from the terminal when finished or dropped.
pub struct Shown(ProgressBar);

impl std::ops::Deref for Shown {
    type Target = ProgressBar;
    fn deref(&self) -> &ProgressBar {
        &self.0
    }
}

impl Shown {
    /// Clears the bar; lines go straight to stderr again.
    pub fn finish(&self) {
        self.0.finish_and_clear();
        if let Ok(mut shown) = SHOWN.lock() {
            *shown = None;
        }
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Writes `line` to stderr, above the bar when one is drawn.
pub fn say(line: &str) {
    let shown = SHOWN.lock().ok().and_then(|shown| shown.clone());
    match shown {
        Some(bar) if !bar.is_finished() => bar.suspend(|| eprintln!("{line}")),
        _ => eprintln!("{line}"),
    }
}
