//! Search tests: typing ranks known people at once, server pages merge in (stale ones dropped),
//! paging near the end, and the directory cache filling in.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn typing_filters_known_users_at_once_and_asks_the_server_debounced() {
    let mut s = state();
    s.directory.upsert(user("1", "Jürgen Müller"));
    s.directory.upsert(user("2", "Alice Nguyen"));
    let cmds = type_text(&mut s, "mull");
    assert_eq!(names(&s), vec!["Jürgen Müller"]);
    match cmds.last() {
        Some(Command::SearchUsers {
            query,
            start: 0,
            debounce: true,
            ..
        }) => assert_eq!(query, "mull"),
        other => panic!("expected a debounced search, got {other:?}"),
    }
    // The highlighted chars of the visible row are computed in update.
    let marks = &s.search.highlights[&0];
    assert_eq!(marks.len(), 4);
}

#[test]
fn an_older_search_answer_never_overwrites_a_newer_one() {
    let mut s = state();
    let first = search_id(&type_text(&mut s, "al"));
    let second = search_id(&type_text(&mut s, "i"));
    assert_ne!(first, second);
    // The newer answer arrives first …
    update(
        &mut s,
        Loaded::Search {
            id: second,
            query: "ali".into(),
            start: 0,
            result: Ok(hits(vec![user("a", "Alice")])),
        },
    );
    // … then the stale one, which must be dropped.
    update(
        &mut s,
        Loaded::Search {
            id: first,
            query: "al".into(),
            start: 0,
            result: Ok(hits(vec![user("b", "Albert")])),
        },
    );
    assert_eq!(names(&s), vec!["Alice"]);
    assert!(s.directory.user("b").is_none());
    assert_eq!(s.search.server_query, "ali");
}

#[test]
fn emptying_the_query_stops_the_search_still_waiting() {
    use crate::app::Slot;
    let mut s = state();
    s.directory.upsert(user("1", "Alice Nguyen"));
    search_id(&type_text(&mut s, "al"));
    let back = update(&mut s, Intent::Edit(InputRequest::DeletePrevChar));
    assert!(!back.contains(&Command::Abort { slot: Slot::Search }));
    let cleared = update(&mut s, Intent::Edit(InputRequest::DeletePrevChar));
    assert!(cleared.contains(&Command::Abort { slot: Slot::Search }));
    assert!(!cleared
        .iter()
        .any(|c| matches!(c, Command::SearchUsers { .. })));
    assert!(matches!(s.search.server, Loadable::Idle));
    // Nothing left to stop: a second clear sends nothing.
    let again = update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    assert!(!again.contains(&Command::Abort { slot: Slot::Search }));
}

#[test]
fn server_results_merge_by_account_id() {
    let mut s = state();
    s.directory.upsert(user("a", "Alice"));
    let id = search_id(&type_text(&mut s, "ali"));
    update(
        &mut s,
        Loaded::Search {
            id,
            query: "ali".into(),
            start: 0,
            result: Ok(hits(vec![user("a", "Alice"), user("c", "Alicia")])),
        },
    );
    assert_eq!(s.directory.len(), 2);
    assert_eq!(names(&s).len(), 2);
}

#[test]
fn a_failed_search_is_logged_and_shown() {
    let mut s = state();
    let id = search_id(&type_text(&mut s, "x"));
    update(
        &mut s,
        Loaded::Search {
            id,
            query: "x".into(),
            start: 0,
            result: Err(ApiError::Server {
                endpoint: "GET /search/user".into(),
                status: 500,
                message: "boom".into(),
            }),
        },
    );
    assert!(matches!(s.search.server, Loadable::Failed(_)));
    assert_eq!(s.errors.len(), 1);
    assert!(s.last_error.as_deref().unwrap().contains("boom"));
    assert_eq!(s.in_flight(), 0);
}

#[test]
fn empty_query_lists_me_and_recent_people() {
    let mut s = state();
    loaded_me(&mut s);
    s.directory.upsert(user("b", "Bob"));
    s.recent = vec!["b".into()];
    type_text(&mut s, "x");
    update(&mut s, Intent::Edit(InputRequest::DeletePrevChar));
    assert_eq!(names(&s), vec!["Ada Lovelace", "Bob"]);
}

#[test]
fn highlighting_a_result_prefetches_profile_properties_and_groups() {
    let mut s = state();
    s.directory.upsert(user("1", "Alice"));
    s.directory.upsert(user("2", "Alicia"));
    let cmds = type_text(&mut s, "ali");
    let fetched: Vec<&str> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::FetchProfile { account_id, .. } => Some(account_id.as_str()),
            _ => None,
        })
        .collect();
    assert!(fetched.contains(&"1"));
    let cmds = update(&mut s, Intent::Down);
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchProfile { account_id, .. } if account_id == "2")));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchGroups { account_id, .. } if account_id == "2")));
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::FetchPropertyKeys { account_id, .. } if account_id == "2")));
}

#[test]
fn paging_loads_more_results_near_the_end() {
    let mut s = state();
    let id = search_id(&type_text(&mut s, "a"));
    let many: Vec<User> = (0..12)
        .map(|i| user(&format!("u{i}"), &format!("Anna {i}")))
        .collect();
    let mut p = hits(many);
    p.links.next = Some("/rest/api/search/user?start=12".into());
    update(
        &mut s,
        Loaded::Search {
            id,
            query: "a".into(),
            start: 0,
            result: Ok(p),
        },
    );
    let cmds = update(&mut s, Intent::Bottom);
    assert!(cmds.iter().any(|c| matches!(
        c,
        Command::SearchUsers {
            start: 12,
            debounce: false,
            ..
        }
    )));
}

#[test]
fn the_directory_cache_fills_in_but_never_overrides_live_data() {
    let mut s = state();
    let cmds = init(&mut s);
    assert!(cmds.contains(&Command::LoadDirectoryCache));
    s.directory.upsert(user("a", "Alice Live"));
    type_text(&mut s, "ali");
    update(
        &mut s,
        Done::DirectoryCached {
            recent: vec!["b".into(), "a".into()],
            directory: Box::new(crate::app::directory::Directory::from_people(
                vec![user("a", "Alice Stale"), user("b", "Alicia Cached")]
                    .into_iter()
                    .map(|u| crate::app::directory::StoredPerson::new(&u))
                    .collect(),
            )),
        },
    );
    assert_eq!(s.directory.user("a").map(|u| u.name()), Some("Alice Live"));
    // Cached people are searchable at once.
    assert_eq!(names(&s), vec!["Alice Live", "Alicia Cached"]);
    assert_eq!(s.recent, vec!["b".to_string(), "a".to_string()]);
}

#[test]
fn backspace_and_server_merges_keep_the_ranking_right() {
    let mut s = state();
    for (id, name) in [("1", "Alice"), ("2", "Bob"), ("3", "Carla")] {
        s.directory.upsert(user(id, name));
    }
    type_text(&mut s, "a");
    let for_a = names(&s);
    let id = search_id(&type_text(&mut s, "l"));
    assert_eq!(names(&s), vec!["Alice", "Carla"]);
    // A server answer adds a new person: scored and merged without ranking everyone.
    update(
        &mut s,
        Loaded::Search {
            id,
            query: "al".into(),
            start: 0,
            result: Ok(hits(vec![user("4", "Alan"), user("2", "Bob")])),
        },
    );
    let now = names(&s);
    assert!(now.contains(&"Alan".to_string()));
    // Bob matched on the server's side only: listed after the ranked hits.
    assert_eq!(now.last().map(String::as_str), Some("Bob"));
    // Backspace: "a" again, now with Alan, and without the server-only row.
    update(&mut s, Intent::Edit(InputRequest::DeletePrevChar));
    let back = names(&s);
    assert!(back.contains(&"Alan".to_string()), "{back:?}");
    assert_eq!(back.len(), for_a.len() + 1);
    // Typing "l" again reuses nothing stale: the same rows as before the answer, plus Alan.
    type_text(&mut s, "l");
    assert!(names(&s).contains(&"Alan".to_string()));
    assert!(names(&s).contains(&"Alice".to_string()));
}

#[test]
fn a_megabyte_paste_is_one_change_cut_to_the_input_limit_with_a_notice() {
    use crate::app::state::INPUT_MAX;
    let mut s = state();
    s.directory.upsert(user("1", "Jürgen Müller"));
    // A megabyte of lines: names separated by line breaks and tabs.
    let line = "Jürgen Müller\tEngineering\n";
    let text = line.repeat(1024 * 1024 / line.len() + 1);
    assert!(text.len() >= 1024 * 1024);

    let cmds = update(&mut s, Intent::Paste(text));

    let query = s.search.input.value();
    assert_eq!(query.chars().count(), INPUT_MAX);
    // A line break or a tab becomes a space: the words stay apart.
    assert!(
        query.starts_with("Jürgen Müller Engineering Jürgen Müller"),
        "{query:?}"
    );
    assert!(!query.chars().any(char::is_control), "{query:?}");
    assert_eq!(s.search.input.cursor(), INPUT_MAX);
    let notice = s.notice.as_deref().unwrap_or_default();
    assert!(notice.contains("256 characters"), "{notice:?}");
    assert!(notice.contains("cut"), "{notice:?}");
    // One change: one search, for the query as it stands.
    let searches: Vec<&String> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::SearchUsers { query, .. } => Some(query),
            _ => None,
        })
        .collect();
    assert_eq!(searches.len(), 1, "{cmds:?}");
    assert_eq!(searches[0].as_str(), query.trim());
}

#[test]
fn typing_past_the_input_limit_is_refused_with_the_same_notice() {
    use crate::app::state::{input_cut_note, INPUT_MAX};
    let mut s = state();
    update(&mut s, Intent::Paste("a".repeat(INPUT_MAX - 1)));
    assert_eq!(s.notice, None);
    let cmds = type_text(&mut s, "b");
    assert!(cmds
        .iter()
        .any(|c| matches!(c, Command::SearchUsers { .. })));
    assert_eq!(s.search.input.value().chars().count(), INPUT_MAX);
    let cmds = type_text(&mut s, "c");
    assert!(cmds.is_empty(), "{cmds:?}");
    assert_eq!(s.search.input.value().chars().count(), INPUT_MAX);
    assert!(s.search.input.value().ends_with("ab"));
    assert_eq!(s.notice, Some(input_cut_note()));
    // A paste that fits goes in at the cursor, a line break as a space.
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, "ann");
    update(&mut s, Intent::Edit(InputRequest::GoToStart));
    update(&mut s, Intent::Paste("jo\r\n".into()));
    assert_eq!(s.search.input.value(), "jo  ann");
    assert_eq!(s.search.input.cursor(), 4);
    assert_eq!(s.notice, None);
}

/// A directory of `n` generated people (the demo generator's names).
fn generated(s: &mut State, n: usize) {
    for person in crate::demo::seed::SeededDirectory::generate(n, 3).users {
        s.directory.upsert(person.to_user());
    }
}

#[test]
fn a_first_letter_orders_the_first_screens_and_the_rest_when_scrolled_to() {
    let mut s = state();
    s.focus = Focus::Search;
    generated(&mut s, 3_000);
    let id = search_id(&type_text(&mut s, "a"));
    let full: Vec<usize> = s
        .directory
        .rank("a", None)
        .iter()
        .map(|h| h.index)
        .collect();
    // The keystroke ordered only the first rows, and left the rest for idle work.
    assert!(
        s.search.ranked.sorted < full.len(),
        "partial: {}",
        s.search.ranked.sorted
    );
    assert_eq!(
        s.search.rows[..s.search.ranked.sorted],
        full[..s.search.ranked.sorted]
    );
    assert!(s.idle_work());
    assert_eq!(update(&mut s, Runtime::Idle), vec![]);
    // Then every match is counted, and every name at the best score is ordered.
    assert!(!s.idle_work());
    assert!(
        s.search.ranked.sorted < full.len(),
        "partial: {}",
        s.search.ranked.sorted
    );
    assert_eq!(s.search.rows.len(), full.len());
    assert_eq!(
        s.search.rows[..s.search.ranked.sorted],
        full[..s.search.ranked.sorted]
    );
    // A page from the site adds a matching person while the rest is unordered.
    update(
        &mut s,
        Loaded::Search {
            id,
            query: "a".into(),
            start: 0,
            result: Ok(hits(vec![user("new-1", "Zara Aalto")])),
        },
    );
    let full: Vec<usize> = s
        .directory
        .rank("a", None)
        .iter()
        .map(|h| h.index)
        .collect();
    assert_eq!(s.search.rows.len(), full.len());
    // G: the whole list is in the full ranking's order, the new person where it ranks.
    update(&mut s, Intent::Bottom);
    assert_eq!(s.search.ranked.sorted, s.search.ranked.hits.len());
    assert_eq!(s.search.rows, full);
    assert_eq!(s.search.list.selected, full.len() - 1);
}

/// Runs the idle work until there is none, as the event loop does when no key waits.
fn idle(s: &mut State) {
    while s.idle_work() {
        update(s, Runtime::Idle);
    }
}

/// The display rows of the full ranking of `q`, as the event loop shows them once idle.
fn full_rows(s: &State, q: &str) -> Vec<usize> {
    s.directory.rank(q, None).iter().map(|h| h.index).collect()
}

#[test]
fn keys_typed_before_the_rest_of_a_ranking_is_counted_still_find_everyone() {
    let mut s = state();
    s.focus = Focus::Search;
    generated(&mut s, 3_000);
    // "a" leaves people unscanned; "n" comes before the idle work does.
    type_text(&mut s, "a");
    assert!(s.idle_work());
    type_text(&mut s, "n");
    idle(&mut s);
    let sorted = s.search.ranked.sorted;
    assert_eq!(s.search.rows.len(), full_rows(&s, "an").len());
    assert_eq!(s.search.rows[..sorted], full_rows(&s, "an")[..sorted]);
    // Backspace to "a", whose kept ranking was never finished: it is, when idle.
    update(&mut s, Intent::Edit(InputRequest::DeletePrevChar));
    idle(&mut s);
    assert_eq!(s.search.rows.len(), full_rows(&s, "a").len());
    // A key that reads the list (here G) finishes the ranking before it moves.
    update(&mut s, Intent::Edit(InputRequest::DeleteLine));
    type_text(&mut s, "m");
    assert!(s.idle_work());
    update(&mut s, Intent::Bottom);
    assert!(!s.idle_work());
    assert_eq!(s.search.rows, full_rows(&s, "m"));
    assert_eq!(s.search.list.selected, s.search.rows.len() - 1);
}
