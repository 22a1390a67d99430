//! Event-loop tests: [`run_app`] driven end to end on a `TestBackend`, with scripted terminal
//! events, a fake [`Effects`], and a client pointed at the embedded demo server; and the rule that
//! every failed local effect is reported, not only the last; and a terminal far larger than what
//! is drawn.
//!
//! The script waits on what the screen shows (each frame is published as it is flushed), never
//! on a clock standing in for a condition.

use super::*;
use crate::api::{Auth, ClientConfig};
use crate::app::Command;
use crate::demo::{DemoOptions, DemoServer, ADMIN_ACCOUNT_ID};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Size};
use regex::Regex;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// How long the script waits for a screen before calling the run stuck.
const PATIENCE: Duration = Duration::from_secs(30);

/// A `TestBackend` that publishes the screen's text each time a frame is flushed, so a script
/// running beside `run_app` can wait for what the user would see.
///
/// With `reported` set, it tells `run_app` the terminal has that size (set by the test through a
/// shared cell) while keeping only the cells of its own, smaller buffer: a cell drawn beyond them
/// fails the test, and nothing here allocates for the whole terminal.
struct ObservedBackend {
    inner: TestBackend,
    frames_tx: watch::Sender<String>,
    reported: Option<Arc<Mutex<Size>>>,
}

impl ObservedBackend {
    fn new(width: u16, height: u16) -> (Self, watch::Receiver<String>) {
        let (frames_tx, frames_rx) = watch::channel(String::new());
        let backend = ObservedBackend {
            inner: TestBackend::new(width, height),
            frames_tx,
            reported: None,
        };
        (backend, frames_rx)
    }

    /// A terminal of any size (`reported`), of which `ui::MAX_WIDTH` × `ui::MAX_HEIGHT` is kept.
    fn huge(reported: Arc<Mutex<Size>>) -> (Self, watch::Receiver<String>) {
        let (mut backend, frames_rx) = ObservedBackend::new(ui::MAX_WIDTH, ui::MAX_HEIGHT);
        backend.reported = Some(reported);
        (backend, frames_rx)
    }
}

/// The buffer as lines of text.
fn screen_text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width.max(1));
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(Cell::symbol).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Backend for ObservedBackend {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Infallible> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Infallible> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Infallible> {
        match &self.reported {
            Some(size) => Ok(*size.lock().unwrap()),
            None => self.inner.size(),
        }
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        match &self.reported {
            Some(size) => Ok(WindowSize {
                columns_rows: *size.lock().unwrap(),
                pixels: Size::new(0, 0),
            }),
            None => self.inner.window_size(),
        }
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        self.inner.flush()?;
        self.frames_tx
            .send_replace(screen_text(self.inner.buffer()));
        Ok(())
    }
}

/// Effects that record what they were asked to do, and fail when told to.
#[derive(Default)]
struct FakeEffects {
    copied: Vec<String>,
    opened: Vec<String>,
    fail: bool,
    /// Times the terminal was handed to the shell (Ctrl-Z).
    suspended: usize,
}

impl Effects for FakeEffects {
    fn copy(&mut self, text: &str) -> Result<(), String> {
        self.copied.push(text.to_string());
        if self.fail {
            return Err("no clipboard here".into());
        }
        Ok(())
    }
    fn open(&mut self, url: &str) -> Result<(), String> {
        self.opened.push(url.to_string());
        if self.fail {
            return Err("no browser here".into());
        }
        Ok(())
    }
    fn suspend(&mut self, _mouse: bool) -> Result<(), String> {
        self.suspended += 1;
        if self.fail {
            return Err("Could not suspend to the shell: no job control here.".into());
        }
        Ok(())
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Waits until a frame satisfies `done`; returns that frame.
async fn wait_for_screen(
    frames_rx: &mut watch::Receiver<String>,
    what: &str,
    done: impl Fn(&str) -> bool,
) -> String {
    let waited = tokio::time::timeout(PATIENCE, frames_rx.wait_for(|screen| done(screen)))
        .await
        .map(|frame| frame.map(|screen| screen.clone()));
    match waited {
        Ok(Ok(screen)) => screen,
        Ok(Err(_)) => panic!("the loop ended before the screen showed {what}"),
        Err(_) => panic!(
            "the screen never showed {what}; last frame:\n{}",
            *frames_rx.borrow()
        ),
    }
}

/// A terminal's event stream that the test writes into: the sender, and the stream `run_app`
/// reads (it ends when the sender is dropped).
fn scripted_events() -> (
    mpsc::UnboundedSender<Event>,
    impl futures::Stream<Item = std::io::Result<Event>> + Unpin,
) {
    let (events_tx, events_rx) = mpsc::unbounded_channel::<Event>();
    let events = Box::pin(futures::stream::unfold(events_rx, |mut rx| async move {
        rx.recv().await.map(|event| (Ok(event), rx))
    }));
    (events_tx, events)
}

/// Nothing in flight: the title bar ends in "live" (it shows a spinner and a count otherwise).
fn settled(screen: &str) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|title| title.trim_end().ends_with("live"))
}

fn setup(server: &DemoServer) -> AppSetup {
    AppSetup {
        client: Client::new(server.client_config(false)).unwrap(),
        site_label: "demo".into(),
        pins: Vec::new(),
        pins_path: None,
        startup_error: None,
        mouse: false,
        cache_path: None,
        sites: Vec::new(),
        cache_max_people: None,
    }
}

#[tokio::test]
async fn typing_a_name_shows_the_person_copy_uses_the_effects_and_q_quits() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let (backend, mut frames_rx) = ObservedBackend::new(120, 40);
    let (events_tx, events_rx) = mpsc::unbounded_channel::<Event>();
    let events = futures::stream::unfold(events_rx, |mut rx| async move {
        rx.recv().await.map(|event| (Ok(event), rx))
    });
    let events = Box::pin(events);
    let mut effects = FakeEffects::default();
    let profile = Regex::new(&format!(r"account\s+{ADMIN_ACCOUNT_ID}")).unwrap();

    let script = async {
        // Start-up settles first: you are signed in and nothing is in flight.
        wait_for_screen(&mut frames_rx, "the start-up settled", |s| {
            settled(s) && s.contains("Ada Lovelace")
        })
        .await;
        for c in "hopp".chars() {
            events_tx.send(key(KeyCode::Char(c))).unwrap();
        }
        let screen = wait_for_screen(&mut frames_rx, "Grace Hopper's profile, settled", |s| {
            settled(s) && profile.is_match(s)
        })
        .await;
        // Leave the search box (Alt-2: the Search pane types every printable key), copy the
        // person's account id, quit.
        events_tx
            .send(Event::Key(KeyEvent::new(
                KeyCode::Char('2'),
                KeyModifiers::ALT,
            )))
            .unwrap();
        for event in [KeyCode::Char('y'), KeyCode::Char('q')] {
            events_tx.send(key(event)).unwrap();
        }
        screen
    };
    let (result, screen) = tokio::join!(
        run_app(backend, setup(&server), events, &mut effects),
        script
    );

    let state = result.unwrap();
    assert!(state.quit);
    assert_eq!(state.search.input.value(), "hopp");
    assert_eq!(state.profile_id(), Some(ADMIN_ACCOUNT_ID));
    assert_eq!(state.in_flight(), 0);
    assert!(screen.contains("Hopper"), "{screen}");
    assert_eq!(effects.copied, vec![ADMIN_ACCOUNT_ID.to_string()]);
    assert!(state.errors.is_empty(), "{:?}", state.errors);
    server.stop().await;
}

#[tokio::test]
async fn a_failed_copy_is_on_the_screen_and_the_stream_ending_quits() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let (backend, mut frames_rx) = ObservedBackend::new(120, 40);
    let (events_tx, events) = scripted_events();
    let mut effects = FakeEffects {
        fail: true,
        ..FakeEffects::default()
    };

    let script = async move {
        wait_for_screen(&mut frames_rx, "the start-up settled", settled).await;
        // Your own profile shows at start; copy its account id.
        events_tx
            .send(Event::Key(KeyEvent::new(
                KeyCode::Char('2'),
                KeyModifiers::ALT,
            )))
            .unwrap();
        events_tx.send(key(KeyCode::Char('y'))).unwrap();
        let screen = wait_for_screen(&mut frames_rx, "the copy's failure", |s| {
            s.contains("Could not copy to the clipboard: no clipboard here.")
        })
        .await;
        // The event source ending is a quit too.
        drop(events_tx);
        screen
    };
    let (result, screen) = tokio::join!(
        run_app(backend, setup(&server), events, &mut effects),
        script
    );

    let state = result.unwrap();
    assert!(state.quit);
    assert_eq!(state.errors.len(), 1, "{:?}", state.errors);
    assert!(screen.contains("(x dismiss · E log)"), "{screen}");
    server.stop().await;
}

#[test]
fn every_failed_local_effect_reaches_the_error_log_not_only_the_last() {
    let client = Client::new(ClientConfig::new("http://127.0.0.1:9", Auth::Anonymous)).unwrap();
    let (results_tx, _results_rx) = mpsc::unbounded_channel();
    let mut worker = Worker::new(client.clone(), results_tx, None, None);
    let mut effects = FakeEffects {
        fail: true,
        ..FakeEffects::default()
    };
    let mut state = State::new("demo", Vec::new(), Utc::now());
    // What one update could return: two local effects, both of which fail.
    let commands = vec![
        Command::Copy {
            text: "557058:ada".into(),
        },
        Command::OpenUrl {
            path: "people/557058:ada".into(),
        },
    ];

    settle(&mut state, commands, &mut worker, &mut effects, &client);

    assert_eq!(effects.copied, vec!["557058:ada".to_string()]);
    assert_eq!(effects.opened.len(), 1);
    let logged: Vec<&str> = state.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        logged,
        vec![
            "Could not copy to the clipboard: no clipboard here.",
            "no browser here"
        ]
    );
    assert_eq!(state.last_error.as_deref(), Some("no browser here"));
}

#[tokio::test]
async fn a_huge_terminal_is_drawn_up_to_the_limit_and_says_the_rest_is_not() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let size = Arc::new(Mutex::new(Size::new(120, 40)));
    let (backend, mut frames_rx) = ObservedBackend::huge(size.clone());
    let (events_tx, events) = scripted_events();
    let mut effects = FakeEffects::default();
    let note = "This terminal is 10000×10000";

    let script = async move {
        wait_for_screen(&mut frames_rx, "the start-up settled", settled).await;
        *size.lock().unwrap() = Size::new(10_000, 10_000);
        events_tx.send(Event::Resize(10_000, 10_000)).unwrap();
        let screen = wait_for_screen(&mut frames_rx, "the note on what is not drawn", |s| {
            s.contains(note) && settled(s)
        })
        .await;
        drop(events_tx);
        screen
    };
    let run = async {
        tokio::join!(
            run_app(backend, setup(&server), events, &mut effects),
            script
        )
    };
    let (result, screen) = tokio::time::timeout(PATIENCE, run)
        .await
        .expect("the loop answers a 10000×10000 terminal promptly");

    assert!(result.unwrap().quit);
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows.len(), usize::from(ui::MAX_HEIGHT));
    // The panes fill what is drawn: the title bar spans all of it, and the last row says the
    // rest is not drawn.
    let title = rows[0].trim_end();
    assert!(title.ends_with("live"), "{title}");
    assert!(
        title.chars().count() + 4 > usize::from(ui::MAX_WIDTH),
        "{title}"
    );
    let last = rows[rows.len() - 1];
    assert!(last.contains(note), "{last}");
    assert!(last.contains("the rest is left blank"), "{last}");
    assert!(rows.iter().any(|row| row.contains("1 Search")), "{title}");
    server.stop().await;
}

/// The `open` crate reports a launcher that failed in Rust debug text; the error log gets a
/// sentence instead, with the exit code and the address to open by hand.
#[test]
fn a_browser_that_cannot_be_opened_is_said_in_a_sentence() {
    let url = "https://acme.atlassian.net/wiki/people/557058:ada";
    let failed = std::io::Error::other(format!(
        "Launcher \"xdg-open\" \"{url}\" failed with ExitStatus(unix_wait_status(512))"
    ));
    let message = browser_error(&failed, url);
    assert_eq!(
        message,
        format!(
            "Could not open a browser: the program that opens links failed (exit status 2). \
             Open {url} yourself."
        )
    );
    assert!(!message.contains("ExitStatus") && !message.contains("unix_wait_status"));

    let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
    let message = browser_error(&missing, url);
    assert!(
        message.starts_with("Could not open a browser: no program that opens links"),
        "{message}"
    );
    assert!(message.ends_with(" yourself."), "{message}");
}

/// Ctrl-Z hands the terminal to the shell, in the search box as in a pane, and the UI goes on
/// where it was afterwards; a suspend that fails is said on the screen.
#[tokio::test]
async fn ctrl_z_suspends_and_the_ui_goes_on() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let (backend, mut frames_rx) = ObservedBackend::new(120, 40);
    let (events_tx, events) = scripted_events();
    let mut effects = FakeEffects::default();
    let ctrl_z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    let script = async move {
        wait_for_screen(&mut frames_rx, "the start-up settled", settled).await;
        // In the search box: not typed as text, and typing goes on after it.
        events_tx.send(ctrl_z.clone()).unwrap();
        events_tx.send(key(KeyCode::Char('a'))).unwrap();
        wait_for_screen(&mut frames_rx, "the query typed after", |s| {
            s.contains("> a ")
        })
        .await;
        // In a pane (the search box takes every letter, so Tab leaves it first).
        events_tx.send(key(KeyCode::Tab)).unwrap();
        wait_for_screen(&mut frames_rx, "the profile focused", |s| {
            s.contains("show the property's value")
        })
        .await;
        events_tx.send(ctrl_z).unwrap();
        events_tx.send(key(KeyCode::Char('q'))).unwrap();
    };
    let (result, ()) = tokio::join!(
        run_app(backend, setup(&server), events, &mut effects),
        script
    );
    let state = result.unwrap();
    assert_eq!(effects.suspended, 2);
    assert!(state.quit);
    assert!(!state.search.input.value().contains('z'));
    assert!(state.errors.is_empty(), "{:?}", state.errors);

    // A suspend that fails is reported, and the UI still runs.
    let (backend, mut frames_rx) = ObservedBackend::new(120, 40);
    let (events_tx, events) = scripted_events();
    let mut effects = FakeEffects {
        fail: true,
        ..FakeEffects::default()
    };
    let script = async move {
        wait_for_screen(&mut frames_rx, "the start-up settled", settled).await;
        events_tx
            .send(Event::Key(KeyEvent::new(
                KeyCode::Char('z'),
                KeyModifiers::CONTROL,
            )))
            .unwrap();
        let screen = wait_for_screen(&mut frames_rx, "the suspend's failure", |s| {
            s.contains("Could not suspend to the shell")
        })
        .await;
        drop(events_tx);
        screen
    };
    let (result, _screen) = tokio::join!(
        run_app(backend, setup(&server), events, &mut effects),
        script
    );
    assert!(result.unwrap().quit);
    server.stop().await;
}

/// Runs the app on the demo server with the directory cache at `path` until the cached people
/// are in (the count line says at least `cached` known), then ends the event stream (a quit).
async fn run_with_cache(server: &DemoServer, path: &std::path::Path, cached: usize) {
    let (backend, mut frames_rx) = ObservedBackend::new(120, 40);
    let (events_tx, events) = scripted_events();
    let mut effects = FakeEffects::default();
    let known = Regex::new(r"(\d+) known").unwrap();
    let script = async move {
        wait_for_screen(&mut frames_rx, "the cached people in, settled", |s| {
            settled(s)
                && known
                    .captures(s)
                    .and_then(|c| c[1].parse::<usize>().ok())
                    .is_some_and(|n| n > cached)
        })
        .await;
        drop(events_tx);
    };
    let setup = AppSetup {
        cache_path: Some(path.to_path_buf()),
        ..setup(server)
    };
    let (result, ()) = tokio::join!(run_app(backend, setup, events, &mut effects), script);
    assert!(result.unwrap().quit);
}

#[tokio::test]
async fn quitting_writes_only_what_the_directory_cache_lacks() {
    use crate::api::model::User;
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    let users = (0..100)
        .map(|i| User {
            account_id: Some(format!("cached-{i}")),
            display_name: Some(format!("Cached Person {i}")),
            ..User::default()
        })
        .collect();
    cache::save(
        &path,
        &cache::DirectoryCache {
            version: cache::VERSION,
            recent: Vec::new(),
            users,
        },
    )
    .unwrap();
    let file = std::fs::read(&path).unwrap();
    let journal = path.with_extension("journal");

    // You (and whoever start-up showed) are new to the cache: appended to its journal, and the
    // 100 cached people are not written again.
    run_with_cache(&server, &path, 100).await;
    assert_eq!(std::fs::read(&path).unwrap(), file);
    let written = std::fs::read(&journal).expect("a journal entry");
    let (_, read) = cache::load_directory(&path, cache::DEFAULT_MAX_PEOPLE).unwrap();
    assert!(read.len() > 100, "{}", read.len());
    assert!(read.index_of("cached-99").is_some());

    // Nothing new this time: nothing is written at all.
    run_with_cache(&server, &path, read.len() - 1).await;
    assert_eq!(std::fs::read(&path).unwrap(), file);
    assert_eq!(std::fs::read(&journal).unwrap(), written);
    server.stop().await;
}

#[test]
fn the_slow_work_log_names_the_action_never_what_it_carries() {
    let pasted = Action::Intent(Intent::Paste("tok-CANARY-in-a-paste".into()));
    assert_eq!(slow_label(&pasted), "Paste");
    let key = Action::Intent(Intent::GroupWatchKey('y'));
    assert_eq!(slow_label(&key), "GroupWatchKey");
}
