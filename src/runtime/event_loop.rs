//! The event loop: one owner of `State`, one `select!` over terminal events, task results, the
//! client's rate-limit signal, OS signals, and a timer only while something animates (or, when a
//! profile shows a local time, at the next minute). It draws only when the state changed.
//!
//! The `select!` is biased: a signal first, then the keyboard, then everything else, so a flood of
//! results or a timer never keeps Ctrl-C or SIGTERM waiting. Every action is handled quickly (a
//! paste of any length is one change), so the loop is back at the `select!` soon after any input.
//! Last comes idle work (`Runtime::Idle`, while `State::idle_work` says there is some): the rest
//! of a keystroke's ranking, a step at a time, after its first rows were drawn; a key that is
//! ready goes first.

use crate::api::{ApiError, Client, Wait};
use crate::app::action::{Done, Intent, Loaded, Runtime};
use crate::app::directory::Unsaved;
use crate::app::property_edit::EditorOutcome;
use crate::app::request::WaitView;
use crate::app::state::{Pin, State};
use crate::app::{keymap, update, Action};
use crate::runtime::terminal::{self, QuitSignals};
use crate::runtime::{cache, editor, pins, worker::Worker};
use crate::ui;
use base64::Engine;
use chrono::{Timelike, Utc};
use crossterm::event::{Event, MouseEventKind};
use futures::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::layout::Size;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Spinner frame interval while requests are in flight.
const ANIMATION: Duration = Duration::from_millis(100);

/// How the UI is started.
#[derive(Debug, Clone, Default)]
pub struct TuiOptions {
    /// Shown in the title bar, e.g. `acme.atlassian.net` or `demo`.
    pub site_label: String,
    /// Where the watch list's pins are kept (None: not saved).
    pub pins_path: Option<PathBuf>,
    /// Capture the mouse (click to focus and select, wheel to scroll).
    pub mouse: bool,
    /// The directory cache (None: no cache).
    pub cache_path: Option<PathBuf>,
    /// The configuration file's sites, by name, that `:site NAME` can switch to.
    pub sites: Vec<String>,
    /// The most people the directory cache keeps (`[cache] max_people`; None: the default).
    pub cache_max_people: Option<usize>,
}

/// Side effects the loop performs itself (not network): clipboard and browser.
pub trait Effects {
    /// Puts text on the clipboard.
    fn copy(&mut self, text: &str) -> Result<(), String>;
    /// Opens a URL in the browser.
    fn open(&mut self, url: &str) -> Result<(), String>;
    /// The UI is done: gives the terminal back now, before the work that follows (writing the
    /// directory cache), so quitting does not leave a frozen screen. Nothing by default.
    fn leave(&mut self) {}
    /// Ctrl-Z: gives the terminal to the shell and stops until continued (`fg`), then takes the
    /// terminal back (with the mouse when `mouse`).
    fn suspend(&mut self, mouse: bool) -> Result<(), String>;
    /// Hands the terminal to the external editor on `text` until it exits, then takes it back
    /// (with the mouse when `mouse`). None here by default.
    fn edit(&mut self, text: &str, mouse: bool) -> EditorOutcome {
        let _ = (text, mouse);
        EditorOutcome::Failed("No editor can be opened here".into())
    }
}

/// The real terminal's effects: OSC 52 for the clipboard, the system opener for URLs.
pub struct TerminalEffects;

impl Effects for TerminalEffects {
    fn leave(&mut self) {
        terminal::restore();
    }
    fn copy(&mut self, text: &str) -> Result<(), String> {
        let encoded = base64::engine::general_purpose::STANDARD.encode(text);
        let mut out = std::io::stdout();
        write!(out, "\x1b]52;c;{encoded}\x07")
            .and_then(|_| out.flush())
            .map_err(|e| e.to_string())
    }
    fn open(&mut self, url: &str) -> Result<(), String> {
        open::that_detached(url).map_err(|e| browser_error(&e, url))
    }
    fn edit(&mut self, text: &str, mouse: bool) -> EditorOutcome {
        editor::run(text, mouse)
    }
    fn suspend(&mut self, mouse: bool) -> Result<(), String> {
        terminal::suspend(mouse).map_err(|e| {
            format!(
                "Could not suspend to the shell: {}.",
                e.to_string().trim_end_matches('.')
            )
        })
    }
}

/// The sentence for a browser that could not be opened for `url`. The `open` crate's own text
/// is not one: for a launcher that failed it reads `Launcher "xdg-open" "…" failed with
/// ExitStatus(unix_wait_status(512))` (Rust debug output), so it is never shown as it is.
pub fn browser_error(error: &std::io::Error, url: &str) -> String {
    let text = error.to_string();
    let why = if error.kind() == std::io::ErrorKind::NotFound {
        "no program that opens links (such as xdg-open) was found".to_string()
    } else if let Some(status) = text
        .split_once("unix_wait_status(")
        .and_then(|(_, rest)| rest.split_once(')'))
        .and_then(|(n, _)| n.parse::<i32>().ok())
    {
        // A wait status: the exit code is its second byte, a signal its low bits.
        if status & 0x7f == 0 {
            format!(
                "the program that opens links failed (exit status {})",
                (status >> 8) & 0xff
            )
        } else {
            format!(
                "the program that opens links was stopped by signal {}",
                status & 0x7f
            )
        }
    } else if text.contains("ExitStatus") || text.contains("Launcher") {
        "the program that opens links failed".to_string()
    } else {
        crate::sanitize::fit(text.trim_end_matches('.'), 120)
    };
    format!("Could not open a browser: {why}. Open {url} yourself.")
}

/// How the full-screen UI ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TuiEnd {
    /// The user quit.
    Quit,
    /// The site refused the credentials at start (401 from `/user/current`); the error's text.
    SignInRefused(String),
    /// `:site NAME`: open that configured site next, in the same process.
    SwitchSite(String),
}

/// Runs the full-screen UI on the real terminal until the user quits, or until the site refuses
/// the credentials at start.
pub async fn run_tui(client: Client, options: TuiOptions) -> color_eyre::Result<TuiEnd> {
    let (pins, pins_error) = match options.pins_path.as_deref().map(pins::load) {
        Some(Ok(pins)) => (pins, None),
        Some(Err(e)) => (Vec::new(), Some(e)),
        None => (Vec::new(), None),
    };
    // Never save over a pins file we could not read.
    let pins_path = if pins_error.is_some() {
        None
    } else {
        options.pins_path.clone()
    };
    let backend = terminal::init(options.mouse)?;
    let result = run_app(
        backend,
        AppSetup {
            client,
            site_label: options.site_label,
            pins,
            pins_path,
            startup_error: pins_error,
            mouse: options.mouse,
            cache_path: options.cache_path,
            sites: options.sites,
            cache_max_people: options.cache_max_people,
        },
        editor::TerminalKeys,
        &mut TerminalEffects,
    )
    .await;
    terminal::restore();
    result.map(|mut state| {
        match (state.signin_refused.take(), state.lists.switch_site.take()) {
            (Some(message), _) => TuiEnd::SignInRefused(message),
            (None, Some(site)) => TuiEnd::SwitchSite(site),
            (None, None) => {
                // The process ends now: a large directory is about a million small
                // allocations, left to the system instead of freed one by one.
                std::mem::forget(std::mem::take(&mut state.directory));
                TuiEnd::Quit
            }
        }
    })
}

/// What [`run_app`] starts from.
pub struct AppSetup {
    /// The site's client; the worker's tasks share it.
    pub client: Client,
    /// Shown in the title bar.
    pub site_label: String,
    /// The watch list's pins, as read at start.
    pub pins: Vec<Pin>,
    /// Where pins are saved (None: not saved).
    pub pins_path: Option<PathBuf>,
    /// Shown in the error bar at start (e.g. an unreadable pins file).
    pub startup_error: Option<String>,
    /// Capture the mouse.
    pub mouse: bool,
    /// Read at start, written at exit.
    pub cache_path: Option<PathBuf>,
    /// The configuration file's sites, by name, for `:site`.
    pub sites: Vec<String>,
    /// The most people the directory cache keeps (None: the default).
    pub cache_max_people: Option<usize>,
}

/// The loop itself, generic over the backend and the event source so tests can drive it.
/// However large the backend says the terminal is, at most [`ui::MAX_WIDTH`] ×
/// [`ui::MAX_HEIGHT`] cells are drawn (see [`terminal::Clamped`]). Returns the final state.
pub async fn run_app<B, S>(
    backend: B,
    setup: AppSetup,
    mut events: S,
    effects: &mut dyn Effects,
) -> color_eyre::Result<State>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    // First, so a signal from here on quits through the loop and the terminal is restored.
    let mut signals = QuitSignals::new();
    let mut term = terminal::clamped(backend)?;
    let (results_tx, mut results_rx) = mpsc::unbounded_channel::<Action>();
    let mut waits_rx = setup.client.waits();
    let cache_max_people = setup.cache_max_people.unwrap_or(cache::DEFAULT_MAX_PEOPLE);
    let client = setup.client.clone();
    let mut worker = Worker::new(
        setup.client,
        results_tx,
        setup.pins_path,
        setup.cache_path.clone(),
    )
    .with_cache_cap(cache_max_people);
    let mut state = State::new(setup.site_label, setup.pins, Utc::now());
    state.mouse = setup.mouse;
    state.lists.sites = setup.sites.clone();
    let mut screen = Screen::new(term.backend().terminal_size()?);
    dispatch(
        &mut state,
        screen.resized().into(),
        &mut worker,
        effects,
        &client,
    );
    let commands = update::init(&mut state);
    settle(&mut state, commands, &mut worker, effects, &client);
    if let Some(message) = setup.startup_error {
        dispatch(
            &mut state,
            Done::EffectFailed { message }.into(),
            &mut worker,
            effects,
            &client,
        );
    }

    loop {
        if state.dirty {
            let began = slow_log_on().then(Instant::now);
            term.draw(|frame| ui::render_on(frame, &state, screen.size))?;
            state.dirty = false;
            if let Some(began) = began {
                note_if_slow("frame", "", began);
            }
        }
        if state.quit {
            break;
        }
        let timer = next_tick(&state);
        let action = tokio::select! {
            biased;
            _ = signals.recv() => Intent::Quit.into(),
            event = events.next() => match event {
                Some(Ok(event)) => {
                    // The events already waiting behind this one are read with it: a paste
                    // without bracketed paste is keys in one read (see `keymap::unburst`).
                    let (burst, ended) = read_burst(event, &mut events).await?;
                    for event in keymap::unburst(&state, burst) {
                        if let Some(action) = event_action(&state, &event, &mut screen) {
                            dispatch(&mut state, action, &mut worker, effects, &client);
                            suspend_if_asked(&mut term, &mut state, &mut worker, effects, &client)?;
                            edit_if_asked(&mut term, &mut state, &mut worker, effects, &client)?;
                        }
                        if state.quit {
                            break;
                        }
                    }
                    if !ended {
                        continue;
                    }
                    Intent::Quit.into()
                }
                Some(Err(e)) => return Err(e.into()),
                None => Intent::Quit.into(),
            },
            Some(action) = results_rx.recv() => action,
            changed = waits_rx.changed() => {
                if changed.is_err() {
                    continue;
                }
                let waits = waits_rx.borrow_and_update().iter().map(wait_view).collect();
                Runtime::Waits(waits).into()
            }
            _ = sleep_until(timer), if timer.is_some() => Runtime::Tick.into(),
            // Last: only when nothing above is ready (a waiting key goes first).
            _ = std::future::ready(()), if state.idle_work() => Runtime::Idle.into(),
        };
        // The stored token is refused: nothing will load, so the caller shows why instead.
        if let Some(message) = refused_at_start(&state, &action) {
            state.signin_refused = Some(message);
            break;
        }
        dispatch(&mut state, action, &mut worker, effects, &client);
        suspend_if_asked(&mut term, &mut state, &mut worker, effects, &client)?;
        edit_if_asked(&mut term, &mut state, &mut worker, effects, &client)?;
    }
    // The terminal first: with a large directory the cache takes a moment to write.
    effects.leave();
    if let Some(path) = setup.cache_path {
        save_cache(&path, &state, cache_max_people).await;
    }
    Ok(state)
}

/// Ctrl-Z asked to suspend (`state.suspend`): the terminal goes back to the shell until `fg`;
/// then, since the shell wrote over the screen, it is drawn whole again
/// ([`terminal::draw_all_again`]).
/// Called after every dispatched key, in a burst of keys too.
fn suspend_if_asked<B>(
    term: &mut ratatui::Terminal<B>,
    state: &mut State,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) -> color_eyre::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    if !std::mem::take(&mut state.suspend) {
        return Ok(());
    }
    let suspended = effects.suspend(state.mouse);
    terminal::draw_all_again(term)?;
    state.dirty = true;
    if let Err(message) = suspended {
        let action = Done::EffectFailed { message }.into();
        dispatch(state, action, worker, effects, client);
    }
    Ok(())
}

/// `update` asked for the external editor: each turn ([`editor::take_turn`]) and its outcome
/// through `update`, which may ask for the editor again (a save it refused).
fn edit_if_asked<B>(
    term: &mut ratatui::Terminal<B>,
    state: &mut State,
    worker: &mut Worker,
    effects: &mut dyn Effects,
    client: &Client,
) -> color_eyre::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    while let Some(action) = editor::take_turn(term, state, effects)? {
        dispatch(state, action, worker, effects, client);
    }
    Ok(())
}

/// A 401 to `/user/current` before it ever answered: the site refused the credentials confdir
/// started with (wrong, expired or revoked), as the error's text.
fn refused_at_start(state: &State, action: &Action) -> Option<String> {
    match action {
        Action::Loaded(Loaded::Me {
            result: Err(error @ ApiError::Unauthorized { .. }),
            ..
        }) if state.me.loaded().is_none() => Some(error.to_string()),
        _ => None,
    }
}

/// The most events read as one burst (the rest wait for the next turn of the loop).
const BURST_MAX: usize = 4096;

/// `first`, and the events already waiting behind it (polled with the loop's own waker, so a
/// stream that is not ready wakes the loop when it is); and whether the stream ended.
async fn read_burst<S>(first: Event, events: &mut S) -> std::io::Result<(Vec<Event>, bool)>
where
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut burst = vec![first];
    while burst.len() < BURST_MAX && matches!(burst.last(), Some(Event::Key(_))) {
        let next = std::future::poll_fn(|cx| {
            std::task::Poll::Ready(futures::StreamExt::poll_next_unpin(events, cx))
        })
        .await;
        match next {
            std::task::Poll::Ready(Some(Ok(event))) => burst.push(event),
            std::task::Poll::Ready(Some(Err(e))) => return Err(e),
            std::task::Poll::Ready(None) => return Ok((burst, true)),
            std::task::Poll::Pending => break,
        }
    }
    Ok((burst, false))
}

/// Writes the directory cache on the way out (off the runtime's threads), only what it lacks
/// (`Directory::unsaved`: nothing, a journal entry, or everything); a failure is logged.
async fn save_cache(path: &std::path::Path, state: &State, max_people: usize) {
    let recent = state.recent.clone();
    let path = path.to_path_buf();
    type Save = Box<dyn FnOnce() -> Result<(), String> + Send>;
    let save: Save = match state.directory.unsaved(&state.recent) {
        Unsaved::Nothing => return,
        Unsaved::Changed(people) => Box::new(move || cache::append_journal(&path, &recent, people)),
        Unsaved::All => match cache::encode(&recent, &state.directory, max_people) {
            Ok(bytes) => Box::new(move || cache::save_bytes(&path, &bytes)),
            Err(e) => Box::new(move || Err(e)),
        },
    };
    match tokio::task::spawn_blocking(save).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("{e}"),
        Err(e) => tracing::warn!("saving the directory cache failed: {e}"),
    }
}

/// The terminal's size and where the panes are on it, for drawing and for mouse clicks.
struct Screen {
    /// The whole terminal (of which at most [`ui::MAX_WIDTH`] × [`ui::MAX_HEIGHT`] is drawn).
    size: Size,
    areas: ui::Areas,
}

impl Screen {
    fn new(size: Size) -> Self {
        Screen {
            size,
            areas: ui::layout(ui::panes_area(size)),
        }
    }

    /// The list heights of the panes as drawn now, for `update`.
    fn resized(&self) -> Runtime {
        let panes = ui::panes_area(self.size);
        Runtime::Resized(ui::list_heights(panes.width, panes.height))
    }
}

/// Maps a terminal event to an action (resizes and mouse included).
fn event_action(state: &State, event: &Event, screen: &mut Screen) -> Option<Action> {
    match event {
        Event::Resize(w, h) => {
            *screen = Screen::new(Size::new(*w, *h));
            Some(screen.resized().into())
        }
        Event::Mouse(mouse) if state.mouse => {
            let (pane, row) = screen.areas.hit(mouse.column, mouse.row)?;
            match mouse.kind {
                MouseEventKind::Down(_) => Some(Intent::Click { pane, row }.into()),
                MouseEventKind::ScrollDown => Some(Intent::Scroll { pane, down: true }.into()),
                MouseEventKind::ScrollUp => Some(Intent::Scroll { pane, down: false }.into()),
                _ => None,
            }
        }
        other => keymap::intent_for(state, other).map(Action::Intent),
    }
}

/// A client's wait on the wall clock, for the state (which never reads a clock).
fn wait_view(wait: &Wait) -> WaitView {
    let (now, wall) = (Instant::now(), Utc::now());
    let on_wall = |at: Instant| {
        let offset = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
        if at >= now {
            wall.checked_add_signed(offset(at - now)).unwrap_or(wall)
        } else {
            wall.checked_sub_signed(offset(now - at)).unwrap_or(wall)
        }
    };
    WaitView {
        endpoint: wait.endpoint.clone(),
        kind: wait.kind,
        since: on_wall(wait.since),
        until: on_wall(wait.until),
        detail: wait.detail.clone(),
    }
}

/// When the next tick is due: soon while animating; at the next minute while a local time is on
/// screen; never otherwise (an idle screen costs nothing).
fn next_tick(state: &State) -> Option<tokio::time::Instant> {
    let now = tokio::time::Instant::now();
    if state.animating() {
        return Some(now + ANIMATION);
    }
    let shows_clock = state
        .profile
        .user
        .loaded()
        .is_some_and(|u| u.time_zone.as_deref().is_some_and(|z| !z.is_empty()));
    shows_clock.then(|| {
        let secs_left = 60 - u64::from(Utc::now().second());
        now + Duration::from_secs(secs_left)
    })
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[path = "event_loop/dispatch.rs"]
mod dispatch;
#[cfg(test)]
use dispatch::slow_label;
use dispatch::{dispatch, note_if_slow, settle, slow_log_on};

#[cfg(test)]
#[path = "event_loop/tests.rs"]
mod tests;
