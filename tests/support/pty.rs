//! A harness for end-to-end tests: the real `confdir` binary in a pseudo-terminal.
//!
//! [`Tui::spawn`] starts the binary on the slave side of a fresh PTY of a fixed size, with the
//! clean environment of [`super::home`] plus `TERM=xterm-256color` and `LANG=C.UTF-8` (every XDG
//! directory and `HOME` in a private temporary directory, so tests never read or write the user's
//! files and never see each other's). A reader thread drains the master side into a `vt100`
//! parser the whole time, so the program never blocks on a full PTY buffer, and keeps every byte
//! so tests can check what was written last. Tests type with [`Tui::send`], wait for text with
//! [`Tui::wait_for`] (a regex over the screen, with a generous timeout because shared CI machines
//! are slow), and end with [`Tui::wait_exit`]. Dropping a [`Tui`] always ends the child: a test
//! that fails half-way leaves no process behind.
//!
//! Whole frames only: the program writes a frame in several pieces (standard output flushes
//! every kilobyte), so the screen between two reads can be half old, half new. Every frame
//! ratatui draws ends by setting the cursor's visibility, so the screen that waits and
//! [`Tui::screen`] look at is the one as of the last [`CURSOR_HIDE`] or [`CURSOR_SHOW`]: what a
//! test sees is always a frame the program finished, and two things it checks on one screen were
//! drawn together. ([`Spawn::whole_frames`] turns this off for programs that are not full-screen.)
//!
//! Nothing here knows confdir's screens beyond the colour of a focused selection (black on cyan,
//! see [`selected_in`]); the tests in `tests/e2e/` say what a user should see. Nothing here
//! sleeps in place of a condition: a test that needs the program to have handled a key waits for
//! what the key changes on screen. In particular a lone Escape must be read before the next key
//! is sent (sent together they read as Alt plus that key), so after [`key::ESC`] a test waits for
//! what the Escape changes before it types on.

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use regex::Regex;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a wait lasts before the test fails: long enough for a slow, shared machine.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Keys as a terminal sends them (xterm, normal cursor mode).
pub mod key {
    /// Enter (carriage return, as a terminal in raw mode sends it).
    pub const ENTER: &str = "\r";
    /// Escape, alone, as xterm sends it: wait for what it changes before the next key.
    pub const ESC: &str = "\x1b";
    /// Escape as the kitty keyboard protocol encodes it (`CSI 27 u`, which crossterm reads
    /// whatever follows): for a key sequence where an Escape changes nothing a test could wait
    /// for, so no later key can be read together with it.
    pub const ESC_ALONE: &str = "\x1b[27u";
    /// Backspace (DEL, as xterm sends it).
    pub const BACKSPACE: &str = "\x7f";
    /// Cursor down.
    pub const DOWN: &str = "\x1b[B";
    /// Page down.
    pub const PAGE_DOWN: &str = "\x1b[6~";
    /// Page up.
    pub const PAGE_UP: &str = "\x1b[5~";
    /// Tab.
    pub const TAB: &str = "\t";
    /// Shift-Tab.
    pub const BACK_TAB: &str = "\x1b[Z";
    /// Ctrl-C, which reaches a raw-mode program as a key, not as SIGINT.
    pub const CTRL_C: &str = "\x03";
}

/// Screen size of most tests: wider and taller than the 80x24 minimum.
pub const COLS: u16 = 120;
/// See [`COLS`].
pub const ROWS: u16 = 36;

/// The mode sequence that enters the alternate screen.
pub const ALT_SCREEN_ON: &[u8] = b"\x1b[?1049h";
/// The mode sequence that leaves the alternate screen.
pub const ALT_SCREEN_OFF: &[u8] = b"\x1b[?1049l";
/// The mode sequence that hides the cursor.
pub const CURSOR_HIDE: &[u8] = b"\x1b[?25l";
/// The mode sequence that shows the cursor.
pub const CURSOR_SHOW: &[u8] = b"\x1b[?25h";

/// What the reader thread shares with the test: the parsed screen, the last whole frame, every
/// byte, and whether the stream has ended.
struct Output {
    parser: vt100::Parser,
    /// The screen as of the end of the last whole frame (see the module's doc).
    frame: vt100::Screen,
    /// Whether waits look at [`Output::frame`] (full-screen programs) or at the live screen.
    whole_frames: bool,
    raw: Vec<u8>,
    ended: bool,
}

impl Output {
    /// The screen tests look at.
    fn screen(&self) -> &vt100::Screen {
        if self.whole_frames {
            &self.frame
        } else {
            self.parser.screen()
        }
    }

    /// Parses `chunk`, which follows `tail` (the end of the previous chunk), keeping the screen
    /// as of the end of each frame in it.
    fn process(&mut self, tail: &[u8], chunk: &[u8]) {
        self.raw.extend_from_slice(chunk);
        let mut start = 0;
        for end in frame_ends(tail, chunk) {
            self.parser.process(&chunk[start..end]);
            self.frame = self.parser.screen().clone();
            start = end;
        }
        self.parser.process(&chunk[start..]);
    }
}

/// Where frames end in `chunk` (offsets just past each cursor visibility change), given the
/// `tail` of the chunk before it, so a sequence split across two reads is found too.
fn frame_ends(tail: &[u8], chunk: &[u8]) -> Vec<usize> {
    let mut joined = tail.to_vec();
    joined.extend_from_slice(chunk);
    let len = CURSOR_HIDE.len();
    (len..=joined.len())
        .filter(|&end| {
            let seq = &joined[end - len..end];
            seq == CURSOR_HIDE || seq == CURSOR_SHOW
        })
        .map(|end| end - tail.len())
        .collect()
}

struct Shared {
    output: Mutex<Output>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running binary, its terminal and its private home.
pub struct Tui {
    shared: Arc<Shared>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    /// The terminal modes before the program started (cooked: canonical input, echo).
    pub initial_modes: String,
    /// Kept so a fresh home lives as long as the program.
    _home: Home,
}

/// The program's home: a fresh temporary directory, or one shared with an earlier run.
pub enum Home {
    /// Created for this run and deleted with it.
    Fresh(super::home::Home),
    /// Given by the test (to see what a run left for the next one).
    Shared(PathBuf),
}

impl Home {
    fn path(&self) -> &Path {
        match self {
            Home::Fresh(dir) => dir.path(),
            Home::Shared(path) => path,
        }
    }
}

/// How the binary is run.
pub struct Spawn<'a> {
    /// Command-line arguments.
    pub args: &'a [&'a str],
    /// Extra environment variables.
    pub env: &'a [(&'a str, &'a str)],
    /// Terminal width.
    pub cols: u16,
    /// Terminal height.
    pub rows: u16,
    /// Where `HOME` and the XDG directories point; `None`: a fresh temporary directory.
    pub home: Option<&'a Path>,
    /// Whether waits look at whole frames only (the default: the program under test is
    /// full-screen); `false` for a program that prints lines, such as `confdir login`.
    pub whole_frames: bool,
    /// The program run in the terminal instead of `confdir` (a shell that runs it, say); `None`:
    /// `confdir` itself.
    pub program: Option<&'a str>,
}

impl Default for Spawn<'_> {
    fn default() -> Self {
        Spawn {
            args: &[],
            env: &[],
            cols: COLS,
            rows: ROWS,
            home: None,
            whole_frames: true,
            program: None,
        }
    }
}

impl Tui {
    /// Starts `confdir` with these arguments and extra environment variables at [`COLS`]x[`ROWS`].
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Tui {
        Tui::spawn_with(Spawn {
            args,
            env,
            ..Spawn::default()
        })
    }

    /// Starts `confdir` as `how` says.
    pub fn spawn_with(how: Spawn<'_>) -> Tui {
        let home = match how.home {
            Some(path) => Home::Shared(path.to_path_buf()),
            None => Home::Fresh(super::home::Home::new()),
        };
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: how.rows,
                cols: how.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let initial_modes = terminal_modes(pair.master.as_ref());
        let mut cmd = CommandBuilder::new(how.program.unwrap_or(super::home::BIN));
        cmd.args(how.args);
        cmd.env_clear();
        for (name, value) in super::home::clean_env(home.path()) {
            cmd.env(name, value);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in how.env {
            cmd.env(name, value);
        }
        cmd.cwd(home.path());
        let child = pair.slave.spawn_command(cmd).expect("confdir starts");
        // Only the child holds the slave now, so the reader sees the end of the stream when the
        // child (and anything it started) has gone.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("a PTY reader");
        let writer = pair.master.take_writer().expect("a PTY writer");
        let parser = vt100::Parser::new(how.rows, how.cols, 0);
        let shared = Arc::new(Shared {
            output: Mutex::new(Output {
                frame: parser.screen().clone(),
                parser,
                whole_frames: how.whole_frames,
                raw: Vec::new(),
                ended: false,
            }),
            changed: Condvar::new(),
        });
        let for_reader = shared.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            // The end of the previous read: a frame's last sequence may be split across two.
            let mut tail: Vec<u8> = Vec::new();
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let mut out = for_reader.lock();
                if n == 0 {
                    out.ended = true;
                    for_reader.changed.notify_all();
                    return;
                }
                out.process(&tail, &buf[..n]);
                tail.extend_from_slice(&buf[..n]);
                let keep = tail.len().saturating_sub(CURSOR_HIDE.len() - 1);
                tail.drain(..keep);
                for_reader.changed.notify_all();
            }
        });
        Tui {
            shared,
            master: pair.master,
            writer,
            child,
            reader: Some(reader),
            initial_modes,
            _home: home,
        }
    }

    /// Types `keys` (text or the escape sequences in [`key`]). After a lone Escape, wait for
    /// what it changes before sending more: sent together, Escape and the next key read as Alt
    /// plus that key.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|_| self.writer.flush())
            .expect("the program's terminal takes input");
    }

    /// Types text one character at a time, with a person's pace between characters. The pace is
    /// realism only: no test relies on it (a search may go out for some prefixes or none).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(c.encode_utf8(&mut [0; 4]));
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// The screen as text, one line per row (the last whole frame; see the module's doc).
    pub fn screen(&self) -> String {
        self.shared.lock().screen().contents()
    }

    /// Waits until the screen matches `pattern` (a regex) and returns the screen; fails the test,
    /// showing the last screen, after [`TIMEOUT`] or if the program ends first.
    pub fn wait_for(&self, pattern: &str) -> String {
        self.wait_for_within(pattern, TIMEOUT)
    }

    /// [`Tui::wait_for`] with another timeout.
    pub fn wait_for_within(&self, pattern: &str, timeout: Duration) -> String {
        let re = Regex::new(pattern).expect("a valid pattern");
        self.wait_until(&format!("/{pattern}/"), timeout, |screen| {
            re.is_match(&screen.contents())
        })
    }

    /// Waits until the screen no longer matches `pattern` and returns the screen.
    pub fn wait_gone(&self, pattern: &str) -> String {
        let re = Regex::new(pattern).expect("a valid pattern");
        self.wait_until(&format!("no /{pattern}/"), TIMEOUT, |screen| {
            !re.is_match(&screen.contents())
        })
    }

    /// Waits until `done` holds for the parsed screen; returns the screen's text.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut done: impl FnMut(&vt100::Screen) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut out = self.shared.lock();
        loop {
            if done(out.screen()) {
                return out.screen().contents();
            }
            let now = Instant::now();
            if out.ended || now >= deadline {
                let why = if out.ended {
                    "the program ended"
                } else {
                    "timed out"
                };
                panic!(
                    "{why} while waiting for {what}; the screen was:\n{}",
                    out.screen().contents()
                );
            }
            out = self
                .shared
                .changed
                .wait_timeout(out, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits until exactly one row is selected in the focused pane and returns its text.
    pub fn wait_selected(&self) -> String {
        let mut rows = Vec::new();
        self.wait_until("one selected row", TIMEOUT, |screen| {
            rows = selected_in(screen);
            rows.len() == 1 && !rows[0].is_empty()
        });
        rows.remove(0)
    }

    /// Whether the emulated terminal shows the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.shared.lock().parser.screen().alternate_screen()
    }

    /// Whether the emulated terminal hides the cursor.
    pub fn cursor_hidden(&self) -> bool {
        self.shared.lock().parser.screen().hide_cursor()
    }

    /// Every byte the program wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.shared.lock().raw.clone()
    }

    /// The modes (ICANON, ECHO, ICRNL, OPOST, …) of the terminal right now, as text.
    pub fn modes(&self) -> String {
        terminal_modes(self.master.as_ref())
    }

    /// Waits until the terminal's modes satisfy `done` (they change without any output, so this
    /// polls); fails the test, showing the modes and the screen, after [`TIMEOUT`].
    pub fn wait_modes(&self, what: &str, mut done: impl FnMut(&str) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let modes = self.modes();
            if done(&modes) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out while waiting for {what}; the modes were {modes}; the screen was:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulated screen with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.shared.lock().parser.screen_mut().set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("the terminal resizes");
    }

    /// Sends a signal (`TERM`, `HUP`, …) to the program.
    pub fn signal(&self, name: &str) {
        let pid = self
            .child
            .process_id()
            .expect("a running program has a pid");
        let status = std::process::Command::new("kill")
            .args(["-s", name, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {name} {pid} failed");
    }

    /// Waits for the program to exit, then for the rest of its output; fails the test after
    /// `timeout`. Returns the exit status.
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {timeout:?}; the screen was:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut out = self.shared.lock();
        while !out.ended {
            let now = Instant::now();
            assert!(
                now < deadline,
                "the program exited but its output did not end"
            );
            out = self
                .shared
                .changed
                .wait_timeout(out, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(out);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        status
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // SIGHUP, then SIGKILL after a short grace period.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The text of each row of `screen` drawn as the focused pane's selection (black on cyan).
pub fn selected_in(screen: &vt100::Screen) -> Vec<String> {
    let (rows, cols) = screen.size();
    let mut found = Vec::new();
    for row in 0..rows {
        let mut text = String::new();
        for col in 0..cols {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            // Cyan behind the text: reversed cyan (as drawn), or a cyan background.
            let bright = (cell.inverse() && cell.fgcolor() == vt100::Color::Idx(6))
                || cell.bgcolor() == vt100::Color::Idx(6);
            if bright && !cell.is_wide_continuation() {
                text.push_str(if cell.has_contents() {
                    cell.contents()
                } else {
                    " "
                });
            }
        }
        if !text.is_empty() {
            found.push(text.trim().to_string());
        }
    }
    found
}

/// The terminal's input, output, control and local mode flags as text: with `ICANON` and `ECHO`
/// in cooked mode, neither in raw mode.
fn terminal_modes(master: &dyn MasterPty) -> String {
    master
        .get_termios()
        .map(|t| {
            format!(
                "{:?} {:?} {:?} {:?}",
                t.input_flags, t.output_flags, t.control_flags, t.local_flags
            )
        })
        .unwrap_or_default()
}

/// Whether `modes` (as [`Tui::modes`] gives them) include the flag `flag` (`ECHO`, not `ECHOE`).
pub fn has_mode(modes: &str, flag: &str) -> bool {
    modes
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == flag)
}

/// The position of the last occurrence of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}
