//! What common actions cost in `update` alone (no frame), with 100,000 people known and listed:
//! moving the selection in a 100,000-row list, and merging a page of 50 server hits into the
//! directory (which re-ranks the whole directory for the live query, so the list shows the server's
//! people in their fuzzy place).
//!
//! The fixture is a settled state whose every known name contains an "a"; with the query "a" the
//! result list holds all 100,000. Commands returned by `update` are dropped (the worker's cost).

mod common;

use common::{search_page, Fixture, People, Stopwatch, LARGE};
use confdir::api::model::User;
use confdir::app::action::{Done, Intent, Loaded};
use confdir::app::directory::{Directory, StoredPerson};
use confdir::app::{Action, Loadable, Slot};
use criterion::{criterion_main, BenchmarkId, Criterion, SamplingMode};
use std::hint::black_box;
use std::time::Duration;

/// A settled fixture listing all of `people` for the query "a".
fn listing(people: People) -> Fixture {
    let rows = people.users.len();
    let mut fx = Fixture::new(people);
    fx.type_settled("a");
    assert_eq!(
        fx.state.search.rows.len(),
        rows,
        "every known name has an a"
    );
    fx
}

/// Times `action` `iters` times from the top of the list, going back to the top (untimed) when
/// the selection can move no further.
fn time_moves(fx: &mut Fixture, iters: u64, intent: &Intent) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if fx.state.search.list.selected + 1 >= fx.state.search.rows.len() {
            fx.apply(Intent::Top);
        }
        let watch = Stopwatch::start();
        fx.apply(intent.clone());
        total += watch.elapsed();
        black_box(fx.state.search.list.selected);
    }
    total
}

fn selection(c: &mut Criterion, fx: &mut Fixture) {
    let mut group = c.benchmark_group("update_100k_rows");
    group.sample_size(200);
    group.measurement_time(Duration::from_secs(4));
    for (name, intent) in [("down", Intent::Down), ("page_down", Intent::PageDown)] {
        fx.apply(Intent::Top);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| time_moves(fx, iters, &intent))
        });
    }
    // `G`: the far end of the list, from the top (untimed) each time.
    group.bench_function("bottom", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                fx.apply(Intent::Top);
                let watch = Stopwatch::start();
                fx.apply(Intent::Bottom);
                total += watch.elapsed();
                black_box(fx.state.search.list.selected);
            }
            total
        })
    });
    group.finish();
}

/// Makes `fx` wait for a server search (as typing does), and returns its answer carrying `users`.
fn search_answer(fx: &mut Fixture, users: Vec<User>) -> Action {
    let id = fx.state.next_id();
    fx.state.pending.insert(Slot::Search, id);
    fx.state.search.server = Loadable::Loading(id);
    let query = fx.state.search.input.value().to_string();
    let total = fx.state.search.rows.len();
    Loaded::Search {
        id,
        query,
        start: 0,
        result: Ok(search_page(users, total)),
    }
    .into()
}

fn users_found(c: &mut Criterion, fx: &mut Fixture, pool: &[User]) {
    let mut group = c.benchmark_group("users_found_50_into_100k");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(30);

    // The server answers with 50 people the directory knows (the usual case once the directory
    // is cached): each is merged by account id, then the directory is ranked again.
    for query in ["a", "mar"] {
        while !fx.state.search.input.value().is_empty() {
            fx.backspace();
        }
        fx.type_settled(query);
        let known: Vec<User> = fx
            .state
            .search
            .rows
            .iter()
            .take(50)
            .filter_map(|&i| fx.state.directory.get(i))
            .map(|p| p.to_user())
            .collect();
        assert_eq!(known.len(), 50);
        group.measurement_time(Duration::from_secs(5));
        group.bench_with_input(BenchmarkId::new("known", query), &known, |b, known| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let answer = search_answer(fx, known.clone());
                    let watch = Stopwatch::start();
                    fx.apply(answer);
                    total += watch.elapsed();
                    black_box(fx.state.search.rows.len());
                }
                total
            })
        });
    }

    // 50 people nobody has seen yet: each page grows the directory, so the run is kept short
    // and the growth is printed. A pool that runs out starts over with people now known (the
    // printout says whether it did). Pool people need not match "mar": those the matcher does
    // not rank are listed after the ranked ones, as for a server match on a field confdir
    // does not see.
    let before = fx.state.directory.len();
    let mut next = 0usize;
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_millis(1500));
    group.bench_function(BenchmarkId::new("new", "mar"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let users: Vec<User> = (0..50)
                    .map(|k| pool[(next + k) % pool.len()].clone())
                    .collect();
                next += 50;
                let answer = search_answer(fx, users);
                let watch = Stopwatch::start();
                fx.apply(answer);
                total += watch.elapsed();
                black_box(fx.state.search.rows.len());
            }
            total
        })
    });
    eprintln!(
        "users_found_50_into_100k/new: {} pages merged, {} of them new people; the directory \
         grew from {before} to {} people",
        next / 50,
        (next / 50).min(pool.len() / 50),
        fx.state.directory.len()
    );
    group.finish();
}

/// The directory cache read at start-up: 100,000 people (folded and indexed by the worker,
/// untimed here) handed to `update`, which adopts them and merges the few live people over them,
/// into a fresh state with an empty query, as after a restart. This is what the event loop spends.
fn directory_cached(c: &mut Criterion, users: &[User]) {
    let mut group = c.benchmark_group("directory_cached_100k");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("into_empty_state", |b| {
        b.iter_batched(
            || {
                let state =
                    confdir::app::State::new("acme.atlassian.net", Vec::new(), common::now());
                let people: Vec<StoredPerson> = users.iter().map(StoredPerson::new).collect();
                (state, Box::new(Directory::from_people(people)))
            },
            |(mut state, directory)| {
                confdir::app::update::update(
                    &mut state,
                    Done::DirectoryCached {
                        recent: Vec::new(),
                        directory,
                    },
                );
                // Returned, so criterion drops the 100,000 people after the timing.
                state
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Builds the 100,000-row state once (it takes a second even in an unoptimised test build) and
/// runs both groups on it; the selection group first, as the merge group adds people.
fn updates(c: &mut Criterion) {
    // 100,000 listed people plus a pool of people the state does not know yet.
    const POOL: usize = 20_000;
    let everyone = People::containing('a', LARGE + POOL);
    let pool: Vec<User> = everyone.users[LARGE..].to_vec();
    let mut fx = listing(People {
        users: everyone.users[..LARGE].to_vec(),
        demo: everyone.demo,
    });
    let cached: Vec<User> = fx.state.directory.users().map(|u| u.to_user()).collect();
    directory_cached(c, &cached);
    selection(c, &mut fx);
    users_found(c, &mut fx, &pool);
}

/// The group criterion's `main` runs (in a module: the macro's function takes no doc).
mod group {
    criterion::criterion_group!(benches, super::updates);
}
criterion_main!(group::benches);
