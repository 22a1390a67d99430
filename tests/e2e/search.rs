//! Searching as you type: accented names found without accents, and a slow server whose
//! answers arrive out of order ending on the answer for the last query.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::{key, selected_in, Tui, TIMEOUT};
use crate::{alt, quit_and_check_restored, row, Session, GROUPS_KEYS, SEARCH_KEYS};
use confdir::api::{fullname_cql, Paging, SitePermissionFilter};
use confdir::demo::DemoOptions;
use std::time::Duration;

/// The count line's number of people shown and the server's total: "N of T", or "N, T from the
/// site" when people known from earlier answers outnumber the total.
const COUNT: &str = r"\b\d[\d,]*(?: of \d[\d,]*|, \d[\d,]* from the site)";

/// The longest latency of the slow demo server in the search-as-you-type test.
const LATENCY_MAX: Duration = Duration::from_millis(700);

/// `n` with thousands separators, as the count line writes numbers.
fn grouped(n: impl ToString) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The search pane's result rows, top first: the text inside its borders on each row below the
/// search line, up to the first empty row or the count line.
fn search_results(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|line| !line.contains("> "))
        .skip(1)
        .map(|line| {
            line.chars()
                .skip(1)
                .take_while(|c| !matches!(c, '│' | '┃'))
                .collect::<String>()
                .trim()
                .to_string()
        })
        .take_while(|text| !text.is_empty() && !text.contains(" · server"))
        .collect()
}

#[test]
fn typing_without_accents_finds_accented_names() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.type_text("muller");
    // The server's answer for the whole query (the total shows only for the query on the line)
    // lists the Müllers. The count reads "N of T" or, when people known from earlier answers
    // outnumber the server's total, "N, T from the site": which one depends on timing.
    let screen = tui.wait_for(&format!(r"> muller\s[\s\S]*{COUNT} · server\b"));
    assert!(screen.contains("Müller"), "{screen}");
    // The best match comes first.
    let first = search_results(&screen)
        .into_iter()
        .next()
        .unwrap_or_default();
    assert!(first.ends_with("Müller"), "{first:?}:\n{screen}");
    // The highlight stays on whoever it was on while answers came in; PgUp takes it to the top.
    tui.send(key::PAGE_UP);
    tui.wait_until("the first result highlighted", TIMEOUT, |screen| {
        selected_in(screen) == [first.clone()]
    });
    // Enter leaves the search line with that person's profile and groups open.
    tui.send(key::ENTER);
    tui.wait_gone(SEARCH_KEYS);
    tui.wait_for(GROUPS_KEYS);
    let wanted = format!("│{first}  ");
    tui.wait_until("the profile of the first Müller", TIMEOUT, |screen| {
        row(&screen.contents(), 2).contains(&wanted)
    });
    quit_and_check_restored(&mut tui, "q");
}

#[test]
fn search_as_you_type_on_a_slow_server_ends_on_the_answer_for_the_last_query() {
    // Answers take 0–700 ms each, so answers to earlier prefixes can arrive after later ones.
    let mut s = Session::start_with(
        DemoOptions {
            latency: Some((Duration::ZERO, LATENCY_MAX)),
            ..DemoOptions::default()
        },
        None,
    );
    let page = s
        .demo
        .block_on(
            s.client
                .search_users(
                    &fullname_cql("grace"),
                    Paging::first(50),
                    SitePermissionFilter::default(),
                    &[],
                )
                .first(),
        )
        .expect("the server's answer for the final query");
    let total = page.total_size.expect("search answers carry a total");
    // Each prefix goes in once the one before is on the search line, then stays alone for longer
    // than the search debounce, so a search goes out for each (the pause paces the typing;
    // nothing asserted depends on it).
    let mut typed = String::new();
    for prefix in ["g", "r", "a", "c", "e"] {
        s.tui.type_text(prefix);
        typed.push_str(prefix);
        s.tui.wait_for(&format!(r"> {typed}\s"));
        std::thread::sleep(Duration::from_millis(300));
    }
    // The total shown is the final query's (a stale answer would show another query's, or none).
    // Earlier prefixes' answers teach people too, so the list may be longer than the total, and
    // the count then reads "N, T from the site": either wording, but always this total.
    let total_text = grouped(total);
    let final_count = format!(
        r"> grace\s[\s\S]*\b\d[\d,]*(?: of {total_text}|, {total_text} from the site) · server\b"
    );
    let screen = s.tui.wait_for(&final_count);
    for user in page.results.iter().filter_map(|r| r.user.as_ref()) {
        assert!(
            screen.contains(user.name()),
            "{} missing:\n{screen}",
            user.name()
        );
    }
    // Settled: nothing that arrives later changes it. The answer to the last prefix before the
    // final one was sent, at the latest, as the final one went out, so waiting out the longest
    // latency once more lets every stale answer arrive: a window to watch, not a condition.
    std::thread::sleep(LATENCY_MAX + Duration::from_millis(100));
    let screen = s.tui.screen();
    assert!(
        regex::Regex::new(&final_count)
            .expect("a valid pattern")
            .is_match(&screen),
        "{screen}"
    );
    quit_and_check_restored(&mut s.tui, key::CTRL_C);
}

/// `1` from another pane, then a name with `q`, `o`, `r`, `?`, `/` and a digit in it: all of it is
/// the query (the `q` used to quit the app, `o` to open a browser), Esc clears it and stays, and
/// Ctrl-C still quits.
#[test]
fn typing_in_the_search_pane_never_runs_a_command() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.send(&alt('3'));
    tui.wait_for(GROUPS_KEYS);
    tui.send("1");
    tui.wait_for(SEARCH_KEYS);
    tui.type_text("jacques or?/2");
    let screen = tui.wait_for(r"> jacques or\?/2");
    assert!(!screen.contains("Keys ·"), "help opened:\n{screen}");
    assert!(screen.contains(SEARCH_KEYS), "left the box:\n{screen}");
    tui.send(key::ESC);
    tui.wait_gone(r"> jacques");
    tui.type_text("x");
    tui.wait_for(r"> x");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}

/// Defect 11 without bracketed paste: the terminal types a pasted line break as Enter (or a bare
/// LF, Ctrl-J) among the other keys, all in one read. It becomes a space: the words are not
/// glued, and nothing is opened with the rest run as commands.
#[test]
fn a_line_break_in_a_paste_without_bracketed_paste_is_a_space() {
    let mut tui = Tui::spawn(&["--demo"], &[]);
    tui.wait_for(r"Ada Lovelace\s+live");
    tui.send("Ada\rLovelace");
    let screen = tui.wait_for(r"> Ada Lovelace");
    assert!(
        screen.contains(SEARCH_KEYS),
        "the paste submitted:\n{screen}"
    );
    tui.send(key::ESC);
    tui.wait_gone(r"> Ada");
    tui.send("Grace\nHopper");
    let screen = tui.wait_for(r"> Grace Hopper");
    assert!(screen.contains(SEARCH_KEYS), "{screen}");
    quit_and_check_restored(&mut tui, key::CTRL_C);
}
