//! The search pane: the query, the fuzzy ranking of known people (kept per prefix for
//! Backspace), the server search and its pages, and what arrives to widen the directory (you, a
//! search page, the cache). It asks for profiles through `profile`, never fetches anything itself.

use super::profile::{profile_loaded, show_profile};
use super::{failed, track, NEAR_END, SEARCH_PAGE};
use crate::api::model::{Page, SearchResult, User};
use crate::api::ApiError;
use crate::app::command::Command;
use crate::app::directory::{fold, sort_hits, Directory, Hit, Ranked};
use crate::app::request::{Loadable, Slot};
use crate::app::state::{ListView, SearchState, State, RECENT_MAX};

/// Ranks known people for the new query at once, and asks the server (debounced).
pub(super) fn query_changed(state: &mut State, cmds: &mut Vec<Command>) {
    let folded = fold(state.search.input.value().trim());
    let ranked = ranked_hits(state, &folded);
    state.search.ranked = state.directory.with_near_misses_ranked(&folded, ranked);
    state.search.ranked_len = state.directory.len();
    state.search.folded = folded.clone();
    state.search.server_only.clear();
    state.search.list = ListView::default();
    rebuild_results(state);
    if folded.is_empty() {
        // A search still waiting out its debounce (or on its way) is for a query no longer
        // typed: stopped, so it neither reaches the site nor lands beside the next key.
        if state.pending.remove(&Slot::Search).is_some() {
            cmds.push(Command::Abort { slot: Slot::Search });
        }
        state.search.server = Loadable::Idle;
        state.search.next_start = None;
    } else {
        let id = track(state, Slot::Search);
        state.search.server = Loadable::Loading(id);
        cmds.push(Command::SearchUsers {
            id,
            query: state.search.input.value().trim().to_string(),
            start: 0,
            limit: SEARCH_PAGE,
            debounce: true,
        });
    }
    after_result_move(state, cmds);
}

/// How many prefix rankings the search keeps for Backspace.
const PREFIX_RANKINGS: usize = 16;

/// Rows ordered on a keystroke, at least: the fewer, the sooner ranking stops (it stops once
/// it has found this many at the best score a name can have). Two screens are ordered (see
/// `ranked_hits`): the one shown and the next, which `ensure_sorted` wants ordered before
/// it would order the rest.
const ORDERED_ROWS: usize = 48;

/// The ranking for a folded query. Rankings of the query's prefixes are kept while typing:
/// Backspace to one of them costs a copy, and a longer query narrows the longest kept prefix's
/// hits instead of ranking everyone (fuzzy matches of a longer query are a subset).
fn ranked_hits(state: &mut State, folded: &str) -> Ranked {
    let search = &mut state.search;
    if search.ranked_len != state.directory.len() {
        search.prefix_hits.clear();
    }
    search
        .prefix_hits
        .retain(|(q, _)| folded.starts_with(q.as_str()));
    if folded.is_empty() {
        return Ranked::default();
    }
    if let Some((_, hits)) = search.prefix_hits.iter().find(|(q, _)| q == folded) {
        return hits.clone();
    }
    let base = search.prefix_hits.last().map(|(_, hits)| hits);
    let want = ORDERED_ROWS.max(2 * state.heights.results + 1);
    let hits = state.directory.rank_head(folded, base, want);
    if search.prefix_hits.len() == PREFIX_RANKINGS {
        search.prefix_hits.remove(0);
    }
    search.prefix_hits.push((folded.to_string(), hits.clone()));
    hits
}

/// People looked at in one step of idle work: about a millisecond, so a key pressed meanwhile
/// waits no longer than that.
pub(super) const IDLE_STEP: usize = 32_768;

/// Looks at up to `at_most` of the people the keystroke's ranking left unscanned (its first
/// rows were on screen already): a step at a time while the event loop is idle, and all of them
/// before any other action reads the hits. Once all are seen, the rows and count are rebuilt and
/// the kept prefix ranking is completed too, for Backspace and narrowing. True when that
/// happened.
pub(super) fn finish_ranking(state: &mut State, at_most: usize) -> bool {
    let search = &mut state.search;
    if search.ranked.unscanned.is_none()
        || !state
            .directory
            .scan_rest(&search.folded, &mut search.ranked, at_most)
    {
        return false;
    }
    if let Some((_, kept)) = search
        .prefix_hits
        .iter_mut()
        .find(|(q, kept)| *q == search.folded && kept.unscanned.is_some())
    {
        kept.clone_from(&search.ranked);
    }
    rebuild_results(state);
    true
}

/// Whenever the directory grew (a search page, a profile, a members page, the cache): score just
/// the people added since the last ranking and merge them in, keeping the selection on the same
/// person, and list the server's hits the matcher does not rank.
pub(super) fn rerank(state: &mut State, found: &[usize]) {
    let keep = state.selected_result().map(str::to_string);
    let folded = state.search.folded.clone();
    if !folded.is_empty() {
        let added: Vec<Hit> = (state.search.ranked_len..state.directory.len())
            .map(|index| Hit { index, score: 0 })
            .collect();
        if !added.is_empty() {
            let fresh = state.directory.rank(&folded, Some(&added));
            let ranked = &mut state.search.ranked;
            if ranked.sorted < ranked.hits.len() {
                // The ordered rows rank above anyone added (they are at the best score, and
                // earlier in the directory): the new matches join the rows not yet ordered.
                ranked.hits.extend(fresh);
            } else {
                ranked.hits.extend(fresh);
                sort_hits(&mut ranked.hits);
                ranked.sorted = ranked.hits.len();
            }
            // Kept prefix rankings lack the new people.
            state.search.prefix_hits.clear();
        }
        state.search.ranked_len = state.directory.len();
        for &i in found {
            if state.directory.score(i, &folded).is_none()
                && !state.search.server_only.contains(&i)
                && !state.search.ranked.hits.iter().any(|h| h.index == i)
            {
                state.search.server_only.push(i);
            }
        }
    }
    rebuild_results(state);
    if let Some(keep) = keep {
        if let Some(pos) =
            state.search.rows.iter().position(|&i| {
                state.directory.get(i).and_then(|p| p.account_id) == Some(keep.as_str())
            })
        {
            let len = state.search.rows.len();
            state.search.list.select(pos, len, state.heights.results);
        }
    }
}

/// Rebuilds the display rows: ranked hits + server-only hits, or (empty query) you + recent.
pub(super) fn rebuild_results(state: &mut State) {
    let rows: Vec<usize> = if state.search.folded.is_empty() {
        let me = state
            .me
            .loaded()
            .and_then(|u| u.account_id.as_deref())
            .and_then(|id| state.directory.index_of(id));
        let mut rows: Vec<usize> = me.into_iter().collect();
        for id in &state.recent {
            if let Some(i) = state.directory.index_of(id) {
                if !rows.contains(&i) {
                    rows.push(i);
                }
            }
        }
        rows
    } else {
        ranked_rows(&state.search)
    };
    state.search.rows = rows;
    let len = state.search.rows.len();
    state.search.list.clamp(len, state.heights.results);
    refresh_highlights(state);
}

/// The display rows of a query: the ranked hits, then the server's hits the matcher does not rank.
fn ranked_rows(search: &SearchState) -> Vec<usize> {
    let ranked = search.ranked.hits.iter().map(|h| h.index);
    ranked.chain(search.server_only.iter().copied()).collect()
}

/// Orders the rest of the hits once the list shows or selects a row near the end of the ordered
/// ones (they were only counted on the keystroke), and rebuilds the rows in that order.
fn ensure_sorted(state: &mut State) {
    let search = &mut state.search;
    if search.ranked.is_complete() || search.folded.is_empty() {
        return;
    }
    let window = search.list.window(search.rows.len(), state.heights.results);
    let reach = window.end.max(search.list.selected + 1) + state.heights.results;
    if reach <= search.ranked.sorted {
        return;
    }
    state.directory.complete(&search.folded, &mut search.ranked);
    search.rows = ranked_rows(search);
}

/// Match highlights for the visible result rows only.
pub(super) fn refresh_highlights(state: &mut State) {
    ensure_sorted(state);
    state.search.highlights.clear();
    if state.search.folded.is_empty() {
        return;
    }
    let window = state
        .search
        .list
        .window(state.search.rows.len(), state.heights.results);
    for &index in &state.search.rows[window] {
        let marks = state.directory.highlights(index, &state.search.folded);
        if !marks.is_empty() {
            state.search.highlights.insert(index, marks);
        }
    }
}

/// After the results selection moved: highlight, prefetch the profile, load more near the end.
pub(super) fn after_result_move(state: &mut State, cmds: &mut Vec<Command>) {
    refresh_highlights(state);
    if let Some(id) = state.selected_result().map(str::to_string) {
        if state.profile.account_id.as_deref() != Some(id.as_str()) {
            let from = cmds.len();
            show_profile(state, &id, true, cmds);
            settle(&mut cmds[from..]);
        }
    }
    let len = state.search.rows.len();
    if let Some(next) = state.search.next_start {
        if len > 0
            && state.search.list.selected + NEAR_END >= len
            && !state.search.server.is_loading()
            && !state.search.folded.is_empty()
        {
            let id = track(state, Slot::Search);
            state.search.server = Loadable::Loading(id);
            cmds.push(Command::SearchUsers {
                id,
                query: state.search.server_query.clone(),
                start: next,
                limit: SEARCH_PAGE,
                debounce: false,
            });
        }
    }
}

/// Marks a highlight's fetches to settle first, so moving through rows does not send a request
/// per row passed (an Enter's fetches start at once).
fn settle(cmds: &mut [Command]) {
    for cmd in cmds {
        if let Command::FetchProfile { settle, .. }
        | Command::FetchPropertyKeys { settle, .. }
        | Command::FetchGroups { settle, .. } = cmd
        {
            *settle = true;
        }
    }
}

/// Shows the highlighted result's profile and remembers it as recently viewed.
pub(super) fn open_selected_result(state: &mut State, cmds: &mut Vec<Command>) {
    if let Some(id) = state.selected_result().map(str::to_string) {
        if state.profile.account_id.as_deref() != Some(id.as_str()) {
            show_profile(state, &id, true, cmds);
        }
        remember(state, &id);
    }
}

/// Puts a person first among the recently viewed.
pub(super) fn remember(state: &mut State, account_id: &str) {
    state.recent.retain(|r| r != account_id);
    state.recent.insert(0, account_id.to_string());
    state.recent.truncate(RECENT_MAX);
}

/// `/user/current` answered: you join the directory, and your profile shows until another is
/// chosen. The answer carries what `/user?accountId=<you>` would (the personal space is asked
/// for with it), so your profile is not fetched a second time; your groups and properties are
/// asked for at once (`/user/memberof` needs the account id, so 2 round trips is the least).
pub(super) fn me_loaded(
    state: &mut State,
    result: Result<User, ApiError>,
    cmds: &mut Vec<Command>,
) {
    match result {
        Ok(user) => {
            state.directory.upsert(user.clone());
            let first_profile = state.profile.account_id.is_none();
            let my_id = user.account_id.clone();
            state.me = Loadable::Loaded(user.clone());
            rerank(state, &[]);
            if first_profile {
                if let Some(my_id) = my_id {
                    let from = cmds.len();
                    show_profile(state, &my_id, true, cmds);
                    let mut index = 0;
                    cmds.retain(|c| {
                        let keep = index < from || !matches!(c, Command::FetchProfile { .. });
                        index += 1;
                        keep
                    });
                    state.pending.remove(&Slot::Profile);
                    profile_loaded(state, Ok(user), cmds);
                }
            }
        }
        Err(e) => {
            state.me = failed(state, &e);
        }
    }
}

/// A page of the server's search answered: its people join the directory and the ranking.
pub(super) fn users_found(
    state: &mut State,
    query: String,
    start: u32,
    result: Result<Page<SearchResult>, ApiError>,
    cmds: &mut Vec<Command>,
) {
    match result {
        Ok(page) => {
            let next_start = page.next_start(start);
            let mut found = Vec::new();
            for user in page.results.into_iter().filter_map(|r| r.user) {
                if let Some(i) = state.directory.upsert(user) {
                    found.push(i);
                }
            }
            state.search.server = Loadable::Loaded(());
            if start == 0 || state.search.server_query != query {
                state.search.server_only.clear();
            }
            state.search.server_query = query;
            state.search.server_total = page.total_size;
            state.search.next_start = next_start;
            rerank(state, &found);
            after_result_move(state, cmds);
        }
        Err(e) => {
            state.search.server = failed(state, &e);
        }
    }
}

/// The directory cache was read: its people fill in (never overriding live data) and everything
/// is ranked again.
pub(super) fn directory_cached(state: &mut State, recent: Vec<String>, directory: Directory) {
    state.directory.adopt_cache(directory, &recent);
    for id in recent {
        if state.recent.len() < RECENT_MAX && !state.recent.contains(&id) {
            state.recent.push(id);
        }
    }
    // Indices changed: everything ranked so far is ranked again.
    state.search.ranked = Ranked::default();
    state.search.prefix_hits.clear();
    state.search.server_only.clear();
    state.search.ranked_len = 0;
    rerank(state, &[]);
}
