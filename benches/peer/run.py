#!/usr/bin/env python3
"""confdir side by side with atlassian-python-api on the same demo server.

Starts `confdir demo serve --latency MS` (default 50) on an ephemeral loopback port, then times
each task as a whole process, wall clock, alternating the two tools: confdir's release binary
running the command, and Python running the peer script beside this file (`pip install
atlassian-python-api`). Prints a Markdown table of medians and 90th percentiles and confdir's
ratio to the peer. Both tools read the same environment (site, email, token), and confdir gets a
temporary home so no configuration or cache of yours is read or written.

    python3 benches/peer/run.py [--runs 10] [--latency 50] [--confdir target/release/confdir]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import base64
import site

HERE = os.path.dirname(os.path.abspath(__file__))
EMAIL, TOKEN = "demo@confdir.example", "demo"


def get(base, path):
    """One GET against the demo server, for setting up the tasks (not timed)."""
    auth = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    request = urllib.request.Request(base + path, headers={"Authorization": "Basic " + auth})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def start_demo(confdir, latency):
    """The demo server on a free port; returns the process and its /wiki base URL."""
    server = subprocess.Popen(
        [confdir, "demo", "serve", "--port", "0", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    first = server.stdout.readline()
    base = first.split()[-1]
    if not base.startswith("http://127.0.0.1:"):
        server.kill()
        sys.exit(f"the demo server did not say where it listens: {first!r}")
    return server, base


def tasks(base):
    """The five tasks of the comparison: (name, confdir arguments, peer script arguments)."""
    me = get(base, "/rest/api/user/current")["accountId"]
    picker = get(base, "/rest/api/group/picker?query=jira-software-users")
    group = picker["results"][0]["id"]
    spaces = get(base, "/api/v2/spaces?limit=250")["results"]
    keys = [space["key"] for space in spaces][:40]
    if len(keys) < 40:
        sys.exit(f"the demo has {len(keys)} spaces, 40 are needed")
    return [
        ("current user", ["whoami"], ["current_user.py"]),
        ("a user's groups", ["groups", "of", me], ["user_groups.py", me]),
        (
            "a 1,000-member group (all pages)",
            ["groups", "members", group, "--all"],
            ["group_members.py", group],
        ),
        ("40 watch statuses", ["watch", "status", "space", *keys], ["watch_statuses.py", *keys]),
        ("a name search", ["users", "search", "mar"], ["name_search.py", "mar"]),
    ]


def timed(argv, env):
    """Wall time of one process, in seconds; its standard output must be non-empty."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"{argv[:6]} failed ({done.returncode}): {done.stderr.strip()[:400]}")
    return elapsed, len(done.stdout.splitlines())


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--confdir", default="target/release/confdir")
    args = parser.parse_args()
    confdir = os.path.abspath(args.confdir)
    server, base = start_demo(confdir, args.latency)
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": home,
                "XDG_CONFIG_HOME": os.path.join(home, "config"),
                "XDG_CACHE_HOME": os.path.join(home, "cache"),
                "XDG_DATA_HOME": os.path.join(home, "data"),
                "XDG_STATE_HOME": os.path.join(home, "state"),
                "PYTHONPATH": HERE,
                # the peer library where pip put it, although HOME is elsewhere
                "PYTHONUSERBASE": site.getuserbase(),
                "CONFLUENCE_BASE_URL": base,
                "CONFLUENCE_EMAIL": EMAIL,
                "CONFLUENCE_API_TOKEN": TOKEN,
            }
            rows = []
            for name, ours, theirs in tasks(base):
                times = {"confdir": [], "peer": []}
                lines = {}
                for _ in range(args.runs):
                    for tool, argv in (
                        ("confdir", [confdir, *ours]),
                        ("peer", [sys.executable, os.path.join(HERE, theirs[0]), *theirs[1:]]),
                    ):
                        elapsed, count = timed(argv, env)
                        times[tool].append(elapsed)
                        lines[tool] = count
                rows.append((name, times, lines))
    finally:
        server.terminate()
        server.wait()
    print(f"demo server latency {args.latency} ms; {args.runs} runs per tool and task, alternating;")
    print(f"{platform.node()}: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f} at the end")
    print()
    print("| task | confdir p50 | p90 | atlassian-python-api p50 | p90 | ratio (p50) | lines out |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, times, lines in rows:
        ours, theirs = times["confdir"], times["peer"]
        print(
            f"| {name} | {statistics.median(ours) * 1000:.0f} ms | "
            f"{percentile(ours, 0.9) * 1000:.0f} ms | {statistics.median(theirs) * 1000:.0f} ms | "
            f"{percentile(theirs, 0.9) * 1000:.0f} ms | "
            f"{statistics.median(ours) / statistics.median(theirs):.2f}× | "
            f"{lines['confdir']} / {lines['peer']} |"
        )


if __name__ == "__main__":
    main()
