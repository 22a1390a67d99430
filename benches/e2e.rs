//! The end-to-end benchmark: what a person at the keyboard waits for, measured on the release
//! binary in a pseudo-terminal, not on a function in isolation.
//!
//! `cargo bench --bench e2e` (options after `--`: `--people N`, default 150,000; `--keys N`,
//! default 120; `--slowest N`, default 5) does, in order:
//! 1. starts `confdir demo serve --users N` (the demo directory's generator, seed 42) and fills
//!    the directory cache of a temporary home the way a user does, with `confdir directory sync`
//!    against it (search, then the site's groups past search's 10,000-people cap), so the cache
//!    measured is the one the program writes;
//! 2. starts `confdir` on that site in a 160×48 pseudo-terminal and times start → first frame
//!    and start → the cached people searchable (the search pane's count says so);
//! 3. sends keys at typing speed (one every 120 ms): first letters after a cleared query,
//!    narrowing letters, Backspace, and ↑/↓ in the results; for each, the time from writing the
//!    key to the arrival of the end of the first frame that shows its result (the query line with
//!    the new text, drawn with its first rows; or the highlight moved), and for a key that changes
//!    the query also to the first frame that shows its count (the count line says `counting`
//!    while the rest of the directory is looked at, after the first rows are drawn);
//! 4. times `q` → process exit, and reads the peak RSS (`VmHWM`) just before;
//! 5. the harness floor: the same key → screen measurement on `cat` in the same kind of terminal
//!    (the kernel's echo), so every figure can be read against what the harness itself costs;
//!    and the compute floor: the same on a program that does 4 ms of fixed work (sized on a
//!    quiet core) before each echo, which shows how much the machine itself stretches the same
//!    work from key to key (a shared VM can make it several times longer now and then).
//!
//! Figures are medians and percentiles over the keys; the machine and its load are printed with
//! them (`/proc/loadavg` before and after), because a shared machine moves them. The `--slowest`
//! keys follow, one a line: kind, the query after the key, the search pane's count line as that
//! frame showed it (hits, the server's total and state, people known), and the latency.

// A benchmark is setup code: a failure panics with what went wrong (the crate denies it elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use confdir::demo::{DEMO_EMAIL, DEMO_TOKEN};
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const COLS: u16 = 160;
const ROWS: u16 = 48;
/// Typing speed: one key every this long.
const TYPING: Duration = Duration::from_millis(120);
/// Longest wait for any one step before the run is abandoned.
const PATIENCE: Duration = Duration::from_secs(60);

/// One chunk of the program's output, with when it arrived.
struct Chunk {
    at: Instant,
    bytes: Vec<u8>,
}

/// A program in a pseudo-terminal, its output read on a thread and parsed into a screen.
struct Term {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    chunks: Receiver<Chunk>,
    parser: vt100::Parser,
}

impl Term {
    fn spawn(program: &str, args: &[&str], home: &Path, env: &[(&str, &str)]) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for (key, dir) in [
            ("HOME", ""),
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
        ] {
            cmd.env(key, home.join(dir));
        }
        cmd.env("TERM", "xterm-256color");
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        let child = pty.slave.spawn_command(cmd).expect("the program starts");
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                let chunk = Chunk {
                    at: Instant::now(),
                    bytes: buf[..n].to_vec(),
                };
                if tx.send(chunk).is_err() {
                    return;
                }
            }
        });
        Term {
            _master: pty.master,
            writer,
            child,
            chunks,
            parser: vt100::Parser::new(ROWS, COLS, 0),
        }
    }

    /// Writes `key` and returns when it was written.
    fn send(&mut self, key: &[u8]) -> Instant {
        self.writer
            .write_all(key)
            .expect("the terminal takes the key");
        self.writer.flush().expect("flushed");
        Instant::now()
    }

    /// Reads output until a frame (a write ending with the cursor shown or hidden, as every
    /// frame of the program does) leaves the screen matching `done`; returns when that frame's
    /// last chunk arrived. With `frames: false` (the `cat` floor) any chunk counts.
    fn until(&mut self, frames: bool, done: impl Fn(&vt100::Screen) -> bool) -> Instant {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = self
                .chunks
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no matching screen in {PATIENCE:?}:\n{}", self.text()));
            self.parser.process(&chunk.bytes);
            let frame_end = !frames
                || contains(&chunk.bytes, b"\x1b[?25h")
                || contains(&chunk.bytes, b"\x1b[?25l");
            if frame_end && done(self.parser.screen()) {
                return chunk.at;
            }
        }
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Peak resident memory of the child, from `/proc/PID/status` (`VmHWM`), in KiB.
    fn peak_rss_kib(&self) -> Option<u64> {
        let pid = self.child.process_id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The query line of the search pane: `> text`.
fn query_shows(screen: &vt100::Screen, query: &str) -> bool {
    let line = screen.contents_between(2, 0, 2, COLS);
    // The search pane is the left column: its text ends at its right border.
    let shown = line
        .split_once("> ")
        .map(|(_, rest)| rest.split(['┃', '│']).next().unwrap_or("").trim_end())
        .unwrap_or("");
    shown == query
}

/// The row of the focused pane's selection (cyan, reversed), if one is drawn.
fn selected_row(screen: &vt100::Screen) -> Option<u16> {
    (0..ROWS).find(|&row| {
        (1..40).any(|col| {
            screen
                .cell(row, col)
                .is_some_and(|c| c.inverse() && c.fgcolor() == vt100::Color::Idx(6))
        })
    })
}

/// One key of the typing script, and what its result looks like.
enum Step {
    /// Ctrl-U: clear the query (not timed).
    Clear,
    /// A letter typed: the query grows.
    Type(char),
    /// Backspace: the query shrinks.
    Backspace,
    /// Down or Up in the results: the highlight moves.
    Arrow(bool),
}

/// The script: first letters after a cleared query, narrowing, Backspace, arrows; repeated
/// until `keys` timed keys.
fn script(keys: usize) -> Vec<(Step, &'static str)> {
    let words = [
        "mar", "ale", "jo", "sa", "le", "chr", "an", "ka", "li", "ni", "ro", "ta",
    ];
    let mut steps = Vec::new();
    let mut timed = 0;
    'outer: for word in words.iter().cycle() {
        steps.push((Step::Clear, ""));
        for (i, c) in word.chars().enumerate() {
            steps.push((
                Step::Type(c),
                if i == 0 { "first letter" } else { "narrowing" },
            ));
            timed += 1;
        }
        for down in [true, true, false] {
            steps.push((Step::Arrow(down), "arrow"));
            timed += 1;
        }
        steps.push((Step::Backspace, "backspace"));
        timed += 1;
        if timed >= keys {
            break 'outer;
        }
    }
    steps
}

/// One timed key: its kind, the query after it, the count line its frame showed, the latency.
struct Timed {
    kind: &'static str,
    query: String,
    count_line: String,
    ms: f64,
    /// For a key that changes the query: key → the first frame whose count line has the count
    /// (not `counting`), when later than the result's frame.
    counted_ms: f64,
}

/// The search pane's count line (`12,345 of 10,000 · server · 150,000 known`; a long one drops
/// its `known` part), if shown.
fn count_line(screen: &vt100::Screen) -> String {
    screen
        .contents()
        .lines()
        .find_map(|line| {
            line.split(['┃', '│'])
                .find(|part| part.contains(" known") || part.contains(" · server"))
                .map(|part| part.trim().to_string())
        })
        .unwrap_or_default()
}

/// The `n` slowest keys, slowest first, one a line.
fn slowest(timed: &[Timed], n: usize) -> Vec<String> {
    let mut order: Vec<&Timed> = timed.iter().collect();
    order.sort_by(|a, b| b.ms.total_cmp(&a.ms));
    order
        .into_iter()
        .take(n)
        .map(|t| {
            format!(
                "  {:>7.2} ms  {:<13} {:<8} {}",
                t.ms,
                t.kind,
                format!("{:?}", t.query),
                t.count_line
            )
        })
        .collect()
}

impl Timed {
    fn new(kind: &'static str, query: &str, term: &Term, ms: f64) -> Timed {
        Timed {
            kind,
            query: query.to_string(),
            count_line: count_line(term.parser.screen()),
            ms,
            counted_ms: ms,
        }
    }

    /// For a key that changed the query: waits for the count, and keeps when it showed.
    fn counted(mut self, term: &mut Term, sent: Instant) -> Timed {
        if self.count_line.starts_with("counting") {
            let at = term.until(true, |s| {
                let line = count_line(s);
                !line.is_empty() && !line.starts_with("counting")
            });
            self.counted_ms = ms(at - sent);
        }
        self
    }
}

/// Types the script (`keys` timed keys) at typing speed; each key with its latency.
fn type_script(term: &mut Term, keys: usize) -> Vec<Timed> {
    let mut timed: Vec<Timed> = Vec::new();
    let mut query = String::new();
    for (step, kind) in script(keys) {
        match step {
            Step::Clear if query.is_empty() => continue,
            Step::Clear => {
                term.send(b"\x15");
                query.clear();
                term.until(true, |s| query_shows(s, ""));
            }
            Step::Type(c) => {
                query.push(c);
                let sent = term.send(c.to_string().as_bytes());
                let q = query.clone();
                let seen = term.until(true, |s| query_shows(s, &q));
                timed.push(Timed::new(kind, &query, term, ms(seen - sent)).counted(term, sent));
            }
            Step::Backspace => {
                query.pop();
                let sent = term.send(b"\x7f");
                let q = query.clone();
                let seen = term.until(true, |s| query_shows(s, &q));
                timed.push(Timed::new(kind, &query, term, ms(seen - sent)).counted(term, sent));
            }
            Step::Arrow(down) => {
                let before = selected_row(term.parser.screen());
                let sent = term.send(if down { b"\x1b[B" } else { b"\x1b[A" });
                let seen = term.until(true, |s| {
                    let now = selected_row(s);
                    now.is_some() && now != before
                });
                timed.push(Timed::new(kind, &query, term, ms(seen - sent)));
            }
        }
        std::thread::sleep(TYPING);
    }
    timed
}

/// One line of percentiles for each kind of key, of the latency `ms` picks.
fn print_kinds(timed: &[Timed], kinds: &[&str], ms: impl Fn(&Timed) -> f64) {
    for kind in kinds {
        let mut v: Vec<f64> = timed.iter().filter(|t| t.kind == *kind).map(&ms).collect();
        if v.is_empty() {
            continue;
        }
        let n = v.len();
        let (p50, p90, p99, max) = stats(&mut v);
        println!("  {kind:<13} p50 {p50:.2} ms  p90 {p90:.2} ms  p99 {p99:.2} ms  max {max:.2} ms ({n} keys)");
    }
}

/// Median and percentiles of `samples` (milliseconds).
fn stats(samples: &mut [f64]) -> (f64, f64, f64, f64) {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i.min(samples.len() - 1)]
    };
    (at(0.5), at(0.9), at(0.99), *samples.last().unwrap_or(&0.0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The harness floor: key → echo on `cat` in the same kind of terminal. With `compute`, the
/// compute floor instead: key → echo on a program that first does [`COMPUTE_FLOOR_MS`] of
/// fixed work, which shows how much this machine stretches the same work from key to key.
fn floor(home: &Path, keys: usize, compute: bool) -> Vec<f64> {
    let mut term = if compute {
        let me = std::env::current_exe().expect("the benchmark's own path");
        let me = me.to_str().expect("a UTF-8 path");
        Term::spawn(me, &["--compute-floor-child"], home, &[])
    } else {
        Term::spawn("cat", &[], home, &[])
    };
    let mut samples = Vec::new();
    let mut typed = String::new();
    for i in 0..keys {
        let c = char::from(b'a' + (i % 26) as u8);
        typed.push(c);
        let sent = term.send(c.to_string().as_bytes());
        let want = typed.clone();
        let seen = term.until(false, |s| s.contents().contains(&want));
        samples.push(ms(seen - sent));
        if typed.len() > 100 {
            term.send(b"\r");
            typed.clear();
            term.until(false, |s| s.cursor_position().1 == 0);
        }
        std::thread::sleep(TYPING);
    }
    let _ = term.child.kill();
    samples
}

/// Work of a fixed size: `n` rounds of arithmetic on one core, no memory touched.
fn fixed_work(n: u64) -> u64 {
    let mut x = 1u64;
    for i in 0..n {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(i ^ (x >> 13));
    }
    std::hint::black_box(x)
}

/// The compute floor's program (this binary, run in the pseudo-terminal): raw input, and for
/// each key `ms` milliseconds of fixed work (sized by the fastest of 30 trial runs, so on a
/// quiet core), then the key echoed.
fn compute_floor_child(ms: f64) {
    // SAFETY: plain termios calls on standard input, with a zeroed struct they fill in.
    unsafe {
        let mut raw: libc::termios = std::mem::zeroed();
        libc::tcgetattr(0, &mut raw);
        libc::cfmakeraw(&mut raw);
        libc::tcsetattr(0, libc::TCSANOW, &raw);
    }
    let trial = 200_000;
    let fastest = (0..30)
        .map(|_| {
            let began = Instant::now();
            fixed_work(trial);
            began.elapsed()
        })
        .min()
        .unwrap_or(Duration::from_millis(1));
    let rounds = (trial as f64 * ms / (fastest.as_secs_f64() * 1e3)) as u64;
    let (mut input, mut output) = (std::io::stdin().lock(), std::io::stdout().lock());
    let mut key = [0u8; 1];
    while input.read_exact(&mut key).is_ok() {
        fixed_work(rounds);
        if key[0] == b'\r' {
            output.write_all(b"\r\n").expect("echo");
        } else {
            output.write_all(&key).expect("echo");
        }
        output.flush().expect("echo");
    }
}

/// The fixed work each key of the compute floor costs on a quiet core.
const COMPUTE_FLOOR_MS: f64 = 4.0;

fn main() {
    if std::env::args().any(|a| a == "--compute-floor-child") {
        return compute_floor_child(COMPUTE_FLOOR_MS);
    }
    // `cargo test --all-targets` runs this binary without `--bench`: then it checks that the
    // harness still works on a small directory, quickly, instead of measuring.
    let measuring = std::env::args().any(|a| a == "--bench");
    let people = arg("--people", if measuring { 150_000 } else { 2_000 });
    let keys = arg("--keys", if measuring { 120 } else { 8 });
    let slowest_n = arg("--slowest", 5);
    let home = tempfile::tempdir().expect("a temporary home");
    let load_before = loadavg();

    // 1. The site, and its cache filled by `confdir directory sync`.
    let bin = env!("CARGO_BIN_EXE_confdir");
    let mut server = DemoSite::start(bin, people);
    let site_env = [
        ("CONFLUENCE_BASE_URL", server.base.as_str()),
        ("CONFLUENCE_EMAIL", DEMO_EMAIL),
        ("CONFLUENCE_API_TOKEN", DEMO_TOKEN),
    ];
    let synced = Instant::now();
    let sync = std::process::Command::new(bin)
        .args(["directory", "sync"])
        .env_clear()
        .envs(home_env(home.path()))
        .envs(site_env)
        .output()
        .expect("confdir directory sync runs");
    assert!(
        sync.status.success(),
        "the sync failed: {}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let sync_time = synced.elapsed();
    let sync_summary = String::from_utf8_lossy(&sync.stdout).trim().to_string();
    let cache_path = find_cache(&home.path().join(".cache/confdir"));
    let cache_mb = std::fs::metadata(&cache_path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;

    // 2. Start.
    let started = Instant::now();
    let mut term = Term::spawn(bin, &[], home.path(), &site_env);
    let first_frame = term.until(true, |s| s.contents().contains("1 Search")) - started;
    let searchable = term.until(true, |s| {
        // The count line says how many people are known once the cache is in.
        s.contents()
            .lines()
            .any(|l| l.contains(" known") && known_at_least(l, people))
    }) - started;
    std::thread::sleep(Duration::from_millis(500));

    // 3. Keys.
    let timed = type_script(&mut term, keys);

    // 4. Memory, then q → exit.
    let rss = term.peak_rss_kib().unwrap_or(0);
    // In the search box every letter is text: Tab leaves it for the profile, where q quits.
    term.send(b"\t");
    term.until(true, |s| !s.contents().contains("Esc clear the query"));
    std::thread::sleep(TYPING);
    let (restored, exited) = quit_and_wait(&mut term);

    server.stop();

    // 5. The floor.
    let mut compute_floor = floor(home.path(), keys.min(200), true);
    let mut floor = floor(home.path(), keys.min(100), false);
    let load_after = loadavg();

    let mut all: Vec<f64> = timed.iter().map(|t| t.ms).collect();
    let (f50, f90, f99, fmax) = stats(&mut floor);
    let build = if measuring {
        "release binary"
    } else {
        "test build, a smoke run"
    };
    println!("confdir end to end: {people} cached people ({cache_mb:.0} MB cache), {COLS}x{ROWS}, {build}");
    println!("load average before {load_before}, after {load_after}");
    println!(
        "cache filled by `confdir directory sync` in {:.1} s: {sync_summary}",
        sync_time.as_secs_f64()
    );
    println!("harness floor (cat echo): p50 {f50:.2} ms  p90 {f90:.2} ms  p99 {f99:.2} ms  max {fmax:.2} ms ({} keys)", floor.len());
    let (c50, c90, c99, cmax) = stats(&mut compute_floor);
    println!("compute floor ({COMPUTE_FLOOR_MS} ms of fixed work a key, then echo): p50 {c50:.2} ms  p90 {c90:.2} ms  p99 {c99:.2} ms  max {cmax:.2} ms ({} keys)", compute_floor.len());
    let (a50, a90, a99, amax) = stats(&mut all);
    println!("every key:       p50 {a50:.2} ms  p90 {a90:.2} ms  p99 {a99:.2} ms  max {amax:.2} ms ({} keys)", all.len());
    print_kinds(
        &timed,
        &["first letter", "narrowing", "backspace", "arrow"],
        |t| t.ms,
    );
    println!(
        "key → the count shown (letters and Backspace; the first rows showed earlier, above):"
    );
    print_kinds(&timed, &["first letter", "narrowing", "backspace"], |t| {
        t.counted_ms
    });
    if slowest_n > 0 {
        println!(
            "the {slowest_n} slowest keys (latency, kind, query after it, its frame's count line):"
        );
        for line in slowest(&timed, slowest_n) {
            println!("{line}");
        }
    }
    println!("start → first frame: {:.0} ms", ms(first_frame));
    println!("start → cached people searchable: {:.0} ms", ms(searchable));
    println!("q → terminal given back: {:.0} ms", ms(restored));
    println!("q → process exit: {:.0} ms", ms(exited));
    println!(
        "peak RSS: {:.1} MB ({:.0} bytes per cached person)",
        rss as f64 / 1024.0,
        rss as f64 * 1024.0 / people as f64
    );
}

/// Whether a count line (`… · 150,001 known`) says at least `n` people are known.
fn known_at_least(line: &str, n: usize) -> bool {
    line.split(" known")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .map(|num| num.replace(',', ""))
        .and_then(|num| num.parse::<usize>().ok())
        .is_some_and(|count| count >= n)
}

/// Presses `q` and returns how long until the terminal was given back (the alternate screen
/// left: `ESC[?1049l`) and until the process exited.
fn quit_and_wait(term: &mut Term) -> (Duration, Duration) {
    let quit = term.send(b"q");
    // The terminal is given back when the alternate screen is left (`ESC[?1049l`).
    let restored = loop {
        let chunk = term
            .chunks
            .recv_timeout(PATIENCE)
            .expect("the terminal is given back after q");
        if contains(&chunk.bytes, b"\x1b[?1049l") {
            break chunk.at;
        }
    };
    let deadline = Instant::now() + PATIENCE;
    let exited = loop {
        if let Ok(Some(_)) = term.child.try_wait() {
            break Instant::now();
        }
        if Instant::now() > deadline {
            panic!("no exit after q");
        }
        std::thread::sleep(Duration::from_micros(200));
    };

    (restored - quit, exited - quit)
}

/// The environment of a program whose home is `home`: only the XDG folders inside it and `PATH`.
fn home_env(home: &Path) -> Vec<(String, std::ffi::OsString)> {
    let mut env: Vec<(String, std::ffi::OsString)> = [
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ]
    .iter()
    .map(|(key, dir)| (key.to_string(), home.join(dir).into_os_string()))
    .collect();
    env.push(("PATH".into(), std::env::var_os("PATH").unwrap_or_default()));
    env
}

/// The one `directory.json` the sync wrote under the cache folder.
fn find_cache(root: &Path) -> std::path::PathBuf {
    std::fs::read_dir(root)
        .expect("the sync made a cache folder")
        .flatten()
        .map(|e| e.path().join("directory.json"))
        .find(|p| p.exists())
        .expect("the sync wrote a directory cache")
}

/// `confdir demo serve --users N` on an ephemeral port, stopped when dropped.
struct DemoSite {
    child: std::process::Child,
    base: String,
    /// Kept open: the server prints its banner after the first line, and a closed pipe would
    /// make that fail.
    _banner: std::io::BufReader<std::process::ChildStdout>,
}

impl DemoSite {
    fn start(bin: &str, people: usize) -> DemoSite {
        let mut child = std::process::Command::new(bin)
            .args([
                "demo",
                "serve",
                "--port",
                "0",
                "--users",
                &people.to_string(),
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the demo server starts");
        let stdout = child.stdout.take().expect("its output");
        // The banner's first line names the site: `confdir demo server: http://127.0.0.1:PORT/wiki`.
        let mut banner = std::io::BufReader::new(stdout);
        let mut line = String::new();
        std::io::BufRead::read_line(&mut banner, &mut line).expect("the banner");
        let base = line
            .trim()
            .strip_prefix("confdir demo server: ")
            .unwrap_or_else(|| panic!("an unexpected banner: {line}"))
            .to_string();
        DemoSite {
            child,
            base,
            _banner: banner,
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for DemoSite {
    fn drop(&mut self) {
        self.stop();
    }
}
