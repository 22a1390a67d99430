//! Budget: "a frame with a 100,000-row list costs within 20 % of one with 100 rows" (DESIGN.md §6:
//! only visible rows are built).
//!
//! Two settled states at 160×48 whose search lists hold exactly 100 and exactly 100,000 people:
//! every known person's name contains an "a" and the query is "a", so the rows come from the real
//! ranking path, with match highlights, a loaded profile, groups and watch list. One iteration is
//! one `ui::render` through `Terminal::draw` into a `TestBackend`. The frame does not change
//! between iterations, so the diff writes nothing: the figure is the cost of building the frame.
//!
//! Cases, for each list length: the selection at the top, and in the middle of the list (the
//! window scrolled to row 50 or 50,000), to show that the scroll position costs nothing either.
//! The ratio of the medians is in `benches/RESULTS.md`.

mod common;

use common::{timed, Fixture, People, LARGE};
use confdir::app::action::Intent;
use criterion::{criterion_main, BenchmarkId, Criterion};
use std::time::Duration;

/// A settled fixture whose result list holds `rows` people (all of `people`), query "a".
fn list_of(people: People, rows: usize) -> Fixture {
    let mut fx = Fixture::new(people);
    fx.type_settled("a");
    assert_eq!(
        fx.state.search.rows.len(),
        rows,
        "every known name has an a"
    );
    fx
}

fn frame(c: &mut Criterion) {
    let large = People::containing('a', LARGE);
    // The small list is the first 100 people of the large one, so both show the same rows.
    let small = People {
        users: large.users[..100].to_vec(),
        demo: std::rc::Rc::clone(&large.demo),
    };
    let mut fixtures = [
        (100usize, list_of(small, 100)),
        (LARGE, list_of(large, LARGE)),
    ];

    let mut group = c.benchmark_group("frame");
    group.sample_size(200);
    group.measurement_time(Duration::from_secs(6));
    for (rows, fx) in fixtures.iter_mut() {
        let rows = *rows;
        fx.apply(Intent::Top);
        fx.draw();
        group.bench_function(BenchmarkId::new("top", rows), |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    fx.draw();
                    fx.terminal.backend().buffer().area
                })
            })
        });
        // Scroll to the middle: place the selection just above it, then one Down through
        // `update`, which scrolls the window and refreshes the visible rows' highlights.
        let height = fx.state.heights.results;
        fx.state.search.list.select(rows / 2 - 1, rows, height);
        fx.apply(Intent::Down);
        assert_eq!(fx.state.search.list.selected, rows / 2);
        fx.draw();
        group.bench_function(BenchmarkId::new("middle", rows), |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    fx.draw();
                    fx.terminal.backend().buffer().area
                })
            })
        });
    }
    group.finish();
}

/// The group criterion's `main` runs (in a module: the macro's function takes no doc).
mod group {
    criterion::criterion_group!(benches, super::frame);
}
criterion_main!(group::benches);
