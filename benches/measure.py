#!/usr/bin/env python3
"""Budget figures that criterion cannot give, and a summary of the ones it does.

Two subcommands:

  tui        Runs the release binary (`confdir --demo`, 160x48) in a private tmux server through
             tuidrive.py, as a person would, and prints idle CPU (budget: < 0.5 % of one core over
             10 s) and keypress-to-screen latency (budget: one 60 Hz frame, 16 ms). This is a
             measurement, not a test: it asserts nothing and only prints.
  criterion  Prints the median (and its 95 % interval) of every benchmark criterion has
             recorded, plus the frame ratio 100,000 rows / 100 rows.

Usage (from the repository root, after `cargo build --release` and `cargo bench`):

  python3 benches/measure.py tui --tuidrive DIR [--binary target/release/confdir]
  python3 benches/measure.py criterion [--dir target/criterion] [--baseline NAME]

`--baseline` reads the figures saved by `cargo bench ... -- --save-baseline NAME` (default: the
latest run).

With CARGO_TARGET_DIR set, the defaults follow it. The program's config, data and log
directories point at a fresh temporary directory, so the run neither reads nor changes the
user's pins or logs.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", "target"))


# --------------------------------------------------------------------------- tui


def run_tui(args) -> None:
    if not args.tuidrive:
        sys.exit("measure.py tui: give --tuidrive DIR, the folder holding tuidrive.py "
                 "(or set TUIDRIVE_DIR)")
    sys.path.insert(0, str(Path(args.tuidrive).resolve()))
    from tuidrive import TmuxApp  # noqa: E402  (path given on the command line)

    binary = str(Path(args.binary).resolve())
    with tempfile.TemporaryDirectory(prefix="confdir-measure-") as home:
        env = {
            "RUST_LOG": "off",
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        with TmuxApp([binary, "--demo"], width=160, height=48, env=env) as app:
            # First screen: you are known, and every start-up request has been answered (the
            # title shows "live" instead of a spinner and a request count).
            app.wait_for(r"Ada Lovelace", timeout=15)
            app.wait_for(r"live\s*$", timeout=15)
            app.wait_stable(quiet=1.0, timeout=15)
            report("idle after the first screen", idle_threads(app.pid, args.seconds))

            # Keys that change the screen without waiting for the server: moving the selection
            # in the watch list (pane 4; Alt-4 reaches it from the search box, where every
            # printable key is text).
            app.send_keys("M-4")
            app.wait_for(r"┏ 4 Watch list")
            app.wait_stable(quiet=0.5)
            stats, _ = app.latency_series([("Down",), ("Up",)] * args.samples)
            report("latency: Down/Up in the watch list", stats)

            # A search: type a name, let the server answer, then move through the results
            # (each move also prefetches the highlighted profile).
            app.send_keys("s")  # the search box, from any other pane
            app.type("mar")
            app.wait_for(r"· server(?! ⠋)", timeout=10)
            app.wait_stable(quiet=1.0, timeout=10)
            stats, _ = app.latency_series([("Down",), ("Up",)] * args.samples, settle=0.2)
            report("latency: Down/Up in the search results", stats)

            # Typing: each key re-ranks the known people locally before the server is asked.
            stats, _ = app.latency_series([{"text": "i"}, ("BSpace",)] * args.samples, settle=0.4)
            report("latency: type a letter / Backspace in the query", stats)

            app.wait_stable(quiet=1.0, timeout=10)
            report("idle with search results and a profile", idle_threads(app.pid, args.seconds))
            # Tab leaves the search box (where q is text) for a pane where q quits.
            app.send_keys("Tab")
            app.wait_stable(quiet=0.3)
            app.send_keys("q")
            exit_info = app.wait_exit(timeout=5)
            print(f"exit: status={exit_info.status}")


def thread_times(pid: int) -> dict:
    """On-CPU nanoseconds and times scheduled in, per thread of `pid` (schedstat)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as fh:
                on_cpu, _wait, runs = (int(x) for x in fh.read().split()[:3])
            out[tid] = (on_cpu, runs)
        except (OSError, ValueError):
            pass
    return out


def process_ticks(pid: int) -> int:
    """utime + stime of the whole process, exited threads included (clock ticks)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def idle_threads(pid: int, seconds: float) -> dict:
    """CPU used by `pid` while nothing happens, per thread.

    tuidrive's idle_cpu sums schedstat over the threads alive at each sample, so a thread that
    exits in the window (tokio's blocking pool lets an idle thread go after 10 s) takes its whole
    lifetime's CPU out of the second sum and the figure turns negative. Here only threads alive at
    both ends count, plus the whole time of threads born in the window; the /proc/PID/stat
    figure (10 ms ticks, exited threads included) is a cross-check.
    """
    ticks_hz = os.sysconf("SC_CLK_TCK")
    a, ticks_a, t_a = thread_times(pid), process_ticks(pid), time.monotonic()
    time.sleep(seconds)
    b, ticks_b, t_b = thread_times(pid), process_ticks(pid), time.monotonic()
    wall = t_b - t_a
    cpu_ns = sum(ns - a.get(tid, (0, 0))[0] for tid, (ns, _) in b.items())
    runs = sum(r - a.get(tid, (0, 0))[1] for tid, (_, r) in b.items())
    return {
        "seconds": round(wall, 3),
        "cpu_ms": round(cpu_ns / 1e6, 3),
        "percent": round(100.0 * cpu_ns / 1e9 / wall, 4),
        "wakeups": runs,
        "cpu_ms_ticks": (ticks_b - ticks_a) * 1000.0 / ticks_hz,
        "threads": f"{len(a)} -> {len(b)}",
        "exited_threads": len(set(a) - set(b)),
    }


def report(title: str, figures: dict) -> None:
    shown = {k: v for k, v in figures.items() if k != "pids"}
    print(f"{title}: {json.dumps(shown)}")


# --------------------------------------------------------------------------- criterion


def run_criterion(args) -> None:
    root = Path(args.dir)
    medians = {}
    for est in sorted(root.glob(f"**/{args.baseline}/estimates.json")):
        bench = json.loads((est.parent / "benchmark.json").read_text())
        median = json.loads(est.read_text())["median"]
        name = bench["full_id"]
        medians[name] = median["point_estimate"]
        ci = median["confidence_interval"]
        print(
            f"{name:50} median {fmt(median['point_estimate']):>10}"
            f"  [{fmt(ci['lower_bound'])} .. {fmt(ci['upper_bound'])}]"
            f"  samples {len(json.loads((est.parent / 'sample.json').read_text())['times'])}"
        )
    for where in ("top", "middle"):
        small, large = medians.get(f"frame/{where}/100"), medians.get(f"frame/{where}/100000")
        if small and large:
            print(f"frame ratio 100,000 / 100 rows ({where}): {large / small:.3f}")


def fmt(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tui = sub.add_parser("tui", help="idle CPU and key latency of the release binary")
    tui.add_argument("--tuidrive", default=os.environ.get("TUIDRIVE_DIR"),
                     help="directory holding tuidrive.py (or set TUIDRIVE_DIR)")
    tui.add_argument("--binary", default=str(target_dir() / "release" / "confdir"))
    tui.add_argument("--seconds", type=float, default=10.0, help="idle measurement window")
    tui.add_argument("--samples", type=int, default=20, help="key pairs per latency series")
    crit = sub.add_parser("criterion", help="medians of the recorded benchmarks")
    crit.add_argument("--dir", default=str(target_dir() / "criterion"))
    crit.add_argument("--baseline", default="new", help="a name given to --save-baseline")
    args = parser.parse_args()
    if args.command == "tui":
        run_tui(args)
    else:
        run_criterion(args)


if __name__ == "__main__":
    main()
