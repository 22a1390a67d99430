//! Fixtures shared by the benchmarks: a `State` that knows a large directory of realistic people,
//! settled the way the running program would be (you, the site's spaces and their watch
//! statuses, the highlighted profile and its groups all loaded), and a 160×48 test terminal.
//!
//! The people come from the demo directory's generator (the same seeded, multi-culture names the
//! demo server serves: accents, CJK names without spaces, guests, app accounts), so the fuzzy
//! matcher sees the name shapes it sees in use. Everything here is setup: it never runs inside a
//! timed section, and it answers the state's commands in memory instead of over HTTP.
//!
//! Timed sections read a [`Stopwatch`]: wall time by default, or with `CONFDIR_BENCH_CLOCK=cpu` the
//! CPU time of the benchmarking thread, which other processes on a busy machine cannot inflate
//! (they still share caches and memory bandwidth, so it is steadier, not immune).
//!
//! Each bench binary compiles this module but uses only part of it.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use confdir::api::model::{Group, Links, Page, SearchResult, Space, User};
use confdir::app::action::{Done, Intent, Loaded, Runtime};
use confdir::app::directory::fold;
use confdir::app::state::State;
use confdir::app::{update, Action, Command};
use confdir::demo::seed::{SeedPerson as Person, SeededDirectory as Directory};
use confdir::ui;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

/// The terminal size the budgets are stated for.
pub const WIDTH: u16 = 160;
/// The terminal size the budgets are stated for.
pub const HEIGHT: u16 = 48;
/// The directory size the budgets are stated for.
pub const LARGE: usize = 100_000;
/// Seed of the generated directory, so every run benches the same names.
pub const SEED: u64 = 42;

/// A generated directory plus its people in the API's shape.
pub struct People {
    /// The generator's output: groups and spaces answer the state's commands (shared, so a
    /// second fixture over the same people costs no copy).
    pub demo: Rc<Directory>,
    /// Every person as `/user` would return them.
    pub users: Vec<User>,
}

impl People {
    /// `n` generated people (the demo user Ada Lovelace first).
    pub fn generate(n: usize) -> People {
        let demo = Directory::generate(n, SEED);
        let users = demo.users.iter().map(to_user).collect();
        People {
            demo: Rc::new(demo),
            users,
        }
    }

    /// The first `n` people whose name or public name contains `letter` (after folding), so a
    /// query of that one letter lists exactly them: a result list of a known length, built by the
    /// real ranking path. Generates more people than asked for to find enough.
    pub fn containing(letter: char, n: usize) -> People {
        // About three in four generated names contain an "a"; generate with margin and retry
        // with more if a rarer letter is asked for.
        let mut size = n + n / 2 + 16;
        loop {
            let demo = Directory::generate(size, SEED);
            let matching: Vec<User> = demo
                .users
                .iter()
                .filter(|p| {
                    fold(&p.display_name).contains(letter) || fold(&p.public_name).contains(letter)
                })
                .take(n)
                .map(to_user)
                .collect();
            if matching.len() == n {
                return People {
                    demo: Rc::new(demo),
                    users: matching,
                };
            }
            size *= 2;
        }
    }
}

/// A person as `/user?accountId=` shows them (privacy-hidden fields as Cloud sends them).
pub fn to_user(p: &Person) -> User {
    p.to_user()
}

/// A fixed wall clock, so the profile's local time renders the same in every run.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default()
}

/// The state and terminal one benchmark works on.
pub struct Fixture {
    /// What `update` changes and `render` reads; benches also set scroll positions directly.
    pub state: State,
    /// The 160×48 screen frames are drawn on, keeping the previous frame for ratatui's diff.
    pub terminal: Terminal<TestBackend>,
    /// The generator's directory: answers profile, groups and spaces commands.
    demo: Rc<Directory>,
    /// Account id → index into `demo.users`.
    by_id: HashMap<String, usize>,
}

impl Fixture {
    /// A settled state that knows `people` (all of `people.users`, in order), at 160×48, with an
    /// empty query: what the screen shows once start-up requests have been answered.
    pub fn new(people: People) -> Fixture {
        let mut state = State::new("acme.atlassian.net", Vec::new(), now());
        update(
            &mut state,
            Runtime::Resized(ui::list_heights(WIDTH, HEIGHT)),
        );
        for user in people.users {
            state.directory.upsert(user);
        }
        let by_id = people
            .demo
            .users
            .iter()
            .enumerate()
            .map(|(i, p)| (p.account_id.clone(), i))
            .collect();
        let terminal = match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
            Ok(terminal) => terminal,
            Err(never) => match never {},
        };
        let mut fixture = Fixture {
            state,
            terminal,
            demo: people.demo,
            by_id,
        };
        let cmds = confdir::app::update::init(&mut fixture.state);
        fixture.settle(cmds);
        fixture.draw();
        fixture
    }

    /// Draws one frame, as the event loop does after a change (ratatui diffs it against the
    /// previous frame and writes the changed cells to the backend).
    pub fn draw(&mut self) {
        let state = &self.state;
        if let Err(never) = self.terminal.draw(|frame| ui::render(frame, state)) {
            match never {}
        }
    }

    /// Applies one action and drops its commands (in the program they go to the worker).
    pub fn apply(&mut self, action: impl Into<Action>) {
        update(&mut self.state, action);
    }

    /// One typed character in the active input.
    pub fn type_char(&mut self, c: char) {
        self.apply(Intent::Edit(InputRequest::InsertChar(c)));
    }

    /// One Backspace in the active input.
    pub fn backspace(&mut self) {
        self.apply(Intent::Edit(InputRequest::DeletePrevChar));
    }

    /// Types `text` and lets every request it causes be answered, then draws.
    pub fn type_settled(&mut self, text: &str) {
        for c in text.chars() {
            let cmds = update(&mut self.state, Intent::Edit(InputRequest::InsertChar(c)));
            self.settle(cmds);
        }
        self.draw();
    }

    /// Answers commands (and the commands the answers cause) until nothing is left, from the
    /// generated directory: the state looks like a session where every request came back.
    pub fn settle(&mut self, mut cmds: Vec<Command>) {
        while let Some(cmd) = cmds.pop() {
            if let Some(action) = self.answer(cmd) {
                for action in action {
                    cmds.extend(update(&mut self.state, action));
                }
            }
        }
        self.idle();
    }

    /// Does the idle work (the rest of a ranking), as the event loop does when no key waits;
    /// true when there was some.
    pub fn idle(&mut self) -> bool {
        let any = self.state.idle_work();
        while self.state.idle_work() {
            update(&mut self.state, Runtime::Idle);
        }
        any
    }

    /// The actions that answer one command, as the worker would send them.
    fn answer(&self, cmd: Command) -> Option<Vec<Action>> {
        let person = |id: &str| self.by_id.get(id).map(|&i| &self.demo.users[i]);
        Some(match cmd {
            Command::FetchMe { id } => vec![Loaded::Me {
                id,
                result: Ok(to_user(self.demo.users.first()?)),
            }
            .into()],
            Command::FetchSpaces { id, .. } => vec![Loaded::Spaces {
                id,
                result: Ok(page(self.demo.spaces.iter().map(to_space).collect())),
            }
            .into()],
            Command::FetchWatchStatuses { user, targets } => targets
                .into_iter()
                .enumerate()
                .map(|(n, (id, target))| {
                    Done::WatchStatusLoaded {
                        id,
                        user: user.clone(),
                        target,
                        result: Ok(n % 3 == 0),
                    }
                    .into()
                })
                .collect(),
            Command::FetchProfile { id, account_id, .. } => vec![Loaded::Profile {
                id,
                result: Ok(to_user(person(&account_id)?)),
            }
            .into()],
            Command::FetchEmail { id, account_id } => vec![Loaded::Email {
                id,
                result: Ok(person(&account_id)?.email.clone()),
            }
            .into()],
            Command::FetchPropertyKeys { id, .. } => vec![Loaded::PropertyKeys {
                id,
                result: Ok(vec!["pronouns".into(), "team".into()]),
            }
            .into()],
            Command::FetchGroups { id, account_id, .. } => {
                let groups = person(&account_id)?
                    .groups
                    .iter()
                    .filter_map(|&g| self.demo.groups.get(usize::from(g)))
                    .map(|g| Group {
                        kind: "group".into(),
                        name: g.name.clone(),
                        id: g.id.clone(),
                        ..Group::default()
                    })
                    .collect();
                vec![Loaded::Groups {
                    id,
                    account_id,
                    result: Ok(groups),
                }
                .into()]
            }
            Command::SearchUsers {
                id, query, start, ..
            } => {
                // The server finds the people the list already shows first: known users.
                let results: Vec<User> = self
                    .state
                    .search
                    .rows
                    .iter()
                    .take(50)
                    .filter_map(|&i| self.state.directory.get(i))
                    .map(|p| p.to_user())
                    .collect();
                vec![Loaded::Search {
                    id,
                    query,
                    start,
                    result: Ok(search_page(results, self.state.search.rows.len())),
                }
                .into()]
            }
            _ => return None,
        })
    }
}

/// A page with no next link.
pub fn page<T>(results: Vec<T>) -> Page<T> {
    Page {
        results,
        links: Links::default(),
        ..Page::default()
    }
}

/// A search answer holding `users`, out of `total` matches.
pub fn search_page(users: Vec<User>, total: usize) -> Page<SearchResult> {
    Page {
        total_size: Some(total as i64),
        ..page(
            users
                .into_iter()
                .map(|user| SearchResult {
                    user: Some(user),
                    entity_type: "user".into(),
                    ..SearchResult::default()
                })
                .collect(),
        )
    }
}

fn to_space(s: &confdir::demo::seed::SeedSpace) -> Space {
    Space {
        id: Some(s.id.into()),
        key: s.key.clone(),
        name: s.name.clone(),
        kind: Some(if s.personal { "personal" } else { "global" }.into()),
        status: Some(if s.archived { "archived" } else { "current" }.into()),
        ..Space::default()
    }
}

/// Runs `f` `iters` times back to back on the chosen clock, for `iter_custom`.
pub fn timed<T>(iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let watch = Stopwatch::start();
    for _ in 0..iters {
        std::hint::black_box(f());
    }
    watch.elapsed()
}

/// Times one section with the clock chosen by `CONFDIR_BENCH_CLOCK` (see the module docs).
pub enum Stopwatch {
    /// Started at this instant: what a user waits for.
    Wall(Instant),
    /// Started when the thread had used this much CPU: what the work costs on a quiet machine.
    ThreadCpu(Duration),
}

impl Stopwatch {
    /// Starts timing now.
    pub fn start() -> Stopwatch {
        if cpu_clock() {
            Stopwatch::ThreadCpu(thread_cpu_time())
        } else {
            Stopwatch::Wall(Instant::now())
        }
    }

    /// Time since `start`, on the same clock.
    pub fn elapsed(&self) -> Duration {
        match self {
            Stopwatch::Wall(start) => start.elapsed(),
            Stopwatch::ThreadCpu(start) => thread_cpu_time().saturating_sub(*start),
        }
    }
}

/// Whether timed sections read thread CPU time; says so once, on stderr, when they do.
fn cpu_clock() -> bool {
    static CPU: OnceLock<bool> = OnceLock::new();
    *CPU.get_or_init(|| {
        let cpu = std::env::var("CONFDIR_BENCH_CLOCK").is_ok_and(|v| v == "cpu");
        if cpu {
            eprintln!("timed sections read the thread's CPU time (CONFDIR_BENCH_CLOCK=cpu)");
        }
        cpu
    })
}

/// CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes one timespec through the valid pointer it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_THREAD_CPUTIME_ID is available on Linux");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
