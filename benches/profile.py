#!/usr/bin/env python3
"""Where the time goes: `perf` profiles of the release binary with 150,000 cached people.

Usage (from the crate root, after `cargo build --release --bin confdir`):

    python3 benches/profile.py                 # both profiles, 150,000 people
    python3 benches/profile.py --only typing   # or: --only start
    python3 benches/profile.py --people 20000 --top 40

What it does, the way `benches/e2e.rs` measures:
1. starts `confdir demo serve --users N` on a fixed loopback port (the directory cache is kept
   per site, so the same port finds the same cache again), and, the first time, fills the
   directory cache of a home of its own (`target/profile-home-N`, XDG folders inside it) with
   `confdir directory sync` against it; later runs reuse that home;
2. start-up: runs `perf record` of `confdir` in a 160x48 tmux pane until the search pane's count
   says all N people are known, then quits it (Tab, q);
3. typing: starts `confdir` again, waits until the people are searchable, attaches
   `perf record -p PID` and types the e2e bench's words at typing speed (one key every 120 ms):
   a first letter after Ctrl-U, narrowing letters, Down, Down, Up, Backspace; three rounds;
4. prints, for each profile, the top frames by self time and by children (self + callees)
   from `perf report --stdio`, and which threads the samples fell in.

Samples are `cpu-clock` (no hardware counters needed) with DWARF call graphs (the release
profile keeps line tables, so frames and inlined callers resolve). The `perf.data` files stay in
`target/profile/` for `perf report -i ...` by hand. Needs perf, tmux, and no network beyond
loopback. Not part of `cargo test` (a script, not a Rust target).
"""

import argparse
import glob
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO_EMAIL = "demo@confdir.example"  # confdir::demo::DEMO_EMAIL
DEMO_TOKEN = "demo"  # confdir::demo::DEMO_TOKEN
COLS, ROWS = 160, 48
TYPING = 0.12
WORDS = ["mar", "ale", "jo", "sa", "le", "chr", "an", "ka", "li", "ni", "ro", "ta"]


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def home_env(home, base):
    env = {
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "XDG_DATA_HOME": os.path.join(home, ".local/share"),
        "XDG_STATE_HOME": os.path.join(home, ".local/state"),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "CONFLUENCE_BASE_URL": base,
        "CONFLUENCE_EMAIL": DEMO_EMAIL,
        "CONFLUENCE_API_TOKEN": DEMO_TOKEN,
    }
    return env


class Demo:
    """`confdir demo serve --users N` on a fixed port, stopped by `stop`."""

    def __init__(self, binary, people, port):
        self.proc = subprocess.Popen(
            [binary, "demo", "serve", "--port", str(port), "--users", str(people)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline().strip()
        prefix = "confdir demo server: "
        if not line.startswith(prefix):
            self.stop()
            sys.exit(f"unexpected banner from the demo server: {line!r}")
        self.base = line[len(prefix):]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


def seed(binary, home, base, people):
    caches = glob.glob(os.path.join(home, ".cache/confdir/*/directory.json"))
    if caches:
        print(f"reusing the cache in {home}")
        return
    os.makedirs(home, exist_ok=True)
    print(f"filling the cache of {home} with `confdir directory sync` ({people} people)...")
    started = time.monotonic()
    out = subprocess.run(
        [binary, "directory", "sync"],
        env=home_env(home, base),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"directory sync failed: {out.stderr}")
    print(f"  {time.monotonic() - started:.1f} s: {out.stdout.strip()}")


class Pane:
    """A tmux session of its own with one 160x48 pane running `command`."""

    def __init__(self, name, command, env):
        self.name = name
        subprocess.run(["tmux", "kill-session", "-t", name], stderr=subprocess.DEVNULL)
        exports = " ".join(f"{k}={quote(v)}" for k, v in env.items())
        shell = f"exec env -i {exports} {command}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", str(COLS), "-y", str(ROWS), shell],
            check=True,
        )
        subprocess.run(["tmux", "set-option", "-t", name, "remain-on-exit", "off"], check=False)

    def pid(self):
        out = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
        )
        return int(out.stdout.strip())

    def text(self):
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return out.stdout

    def keys(self, *keys):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=False)

    def alive(self):
        return subprocess.run(
            ["tmux", "has-session", "-t", self.name], stderr=subprocess.DEVNULL
        ).returncode == 0

    def wait(self, condition, what, patience=120.0):
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            screen = self.text()
            if condition(screen):
                return screen
            time.sleep(0.01)
        sys.exit(f"no {what} within {patience} s:\n{self.text()}")

    def quit(self):
        # In the search box every letter is text: Tab leaves it, then q quits.
        self.keys("Tab")
        time.sleep(0.2)
        self.keys("q")
        deadline = time.monotonic() + 30
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


def quote(value):
    return "'" + str(value).replace("'", "'\\''") + "'"


def searchable(people):
    def check(screen):
        for line in screen.splitlines():
            m = re.search(r"([\d,]+) known", line)
            if m and int(m.group(1).replace(",", "")) >= people:
                return True
        return False

    return check


PERF = ["perf", "record", "-e", "cpu-clock", "-F", "2000", "--call-graph", "dwarf,16384", "-q"]


def profile_start(binary, home, base, people, out):
    data = os.path.join(out, "start.data")
    command = " ".join(quote(a) for a in PERF + ["-o", data, "--", binary])
    pane = Pane("confdir-profile-start", command, home_env(home, base))
    started = time.monotonic()
    pane.wait(searchable(people), "count of all people")
    print(f"start → {people} people searchable: {1000 * (time.monotonic() - started):.0f} ms "
          "(under perf, polled through tmux: slower than the e2e bench's figure)")
    pane.quit()
    return data


def profile_typing(binary, home, base, people, out, rounds):
    data = os.path.join(out, "typing.data")
    pane = Pane("confdir-profile-typing", quote(binary), home_env(home, base))
    pane.wait(searchable(people), "count of all people")
    time.sleep(0.5)
    pid = pane.pid()
    perf = subprocess.Popen(PERF + ["-o", data, "-p", str(pid)], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    keys = 0
    for _ in range(rounds):
        for word in WORDS:
            pane.keys("C-u")
            time.sleep(TYPING)
            for c in word:
                pane.keys("-l", c)
                keys += 1
                time.sleep(TYPING)
            for key in ["Down", "Down", "Up", "BSpace"]:
                pane.keys(key)
                keys += 1
                time.sleep(TYPING)
    perf.send_signal(signal.SIGINT)
    perf.wait()
    print(f"typing: {keys} keys sent, one every {int(TYPING * 1000)} ms")
    pane.quit()
    return data


def report(data, title, top):
    print(f"\n===== {title}: {data} =====")
    base = ["perf", "report", "-i", data, "--stdio", "--no-inline", "-g", "none",
            "--percent-limit", "0.5"]
    for label, extra in [
        ("threads (share of samples)", ["--no-children", "--sort", "comm,pid"]),
        ("self time by function", ["--no-children", "--sort", "symbol"]),
        ("children (self + callees) by function", ["--children", "--sort", "symbol"]),
    ]:
        out = subprocess.run(base + extra, capture_output=True, text=True)
        lines = [l for l in out.stdout.splitlines() if l.strip() and not l.startswith("#")]
        samples = re.search(r"# Samples: (\S+)", out.stdout)
        print(f"\n--- {label}" + (f" ({samples.group(1)} samples)" if samples else ""))
        for line in lines[:top]:
            print(line.rstrip()[:150])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--home", help="the cache home (default target/profile-home-N)")
    parser.add_argument("--only", choices=["start", "typing"])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the typing script")
    parser.add_argument("--top", type=int, default=25, help="rows of each summary")
    args = parser.parse_args()

    binary = os.path.join(target_dir(), "release", "confdir")
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: run `cargo build --release --bin confdir` first")
    home = args.home or os.path.join(target_dir(), f"profile-home-{args.people}")
    out = os.path.join(target_dir(), "profile")
    os.makedirs(out, exist_ok=True)
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")

    demo = Demo(binary, args.people, args.port)
    try:
        seed(binary, home, demo.base, args.people)
        runs = []
        if args.only in (None, "start"):
            runs.append(("start-up until searchable",
                         profile_start(binary, home, demo.base, args.people, out)))
        if args.only in (None, "typing"):
            runs.append(("typing",
                         profile_typing(binary, home, demo.base, args.people, out, args.rounds)))
    finally:
        demo.stop()
    print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    for title, data in runs:
        report(data, title, args.top)


if __name__ == "__main__":
    main()
