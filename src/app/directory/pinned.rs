//! Pins the ranking: the hits and their order for a fixed generated corpus and a set of queries
//! (first letters, narrowing, Backspace, accents, transliterations, near misses), recorded from
//! the ranking before the speed work (issue 10) in `snapshots/`. Any change to how people are
//! stored, filtered or selected must leave this file's snapshot unchanged.
use super::*;
use crate::demo::seed::SeededDirectory;

/// The corpus: 20,000 generated people (seed 7), plus a few names in other scripts and
/// spellings the generator may not produce.
fn corpus() -> Directory {
    let mut d = Directory::default();
    for person in SeededDirectory::generate(20_000, 7).users {
        d.upsert(person.to_user());
    }
    for (id, name, email) in [
        ("x-1", "Jürgen Müller", "jm@example.com"),
        ("x-2", "Иван Иванов", "ivan.ivanov@example.com"),
        ("x-3", "王小明", "xiaoming.wang@example.com"),
        ("x-4", "田中 翔太", "shota.tanaka@example.com"),
        ("x-5", "たなか ゆき", "yuki@example.com"),
        ("x-6", "Ada Lovelace", "ada@example.com"),
        ("x-7", "Lovelcae Smith", "ls@example.com"),
        ("x-8", "Øystein Ødegård", "oy@example.com"),
        ("x-9", "Gauß Straße", "gs@example.com"),
    ] {
        d.upsert(User {
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            public_name: Some(name.into()),
            email: Some(email.into()),
            ..User::default()
        });
    }
    d
}

/// FNV-1a over the order of the hits (indices only), so the whole list is pinned in a line.
fn order_hash(hits: &[Hit]) -> u64 {
    hits.iter().fold(0xcbf2_9ce4_8422_2325, |h, hit| {
        (h ^ hit.index as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One query's line: count, order hash, and the first rows with their scores.
fn describe(d: &Directory, query: &str, hits: &[Hit]) -> String {
    let top: Vec<String> = hits
        .iter()
        .take(12)
        .map(|h| {
            let name = d.get(h.index).map(|p| p.name().to_string());
            format!("{}:{}:{}", h.index, h.score, name.unwrap_or_default())
        })
        .collect();
    format!(
        "{query:?} n={} hash={:016x}\n  {}\n",
        hits.len(),
        order_hash(hits),
        top.join(" | ")
    )
}

/// Typing `keys` one at a time, as the search pane does: each query ranked anew, narrowed from
/// the previous one's hits, and near misses appended; every step checked and described.
fn typed(d: &Directory, keys: &str, out: &mut String) {
    let mut prev: Option<Vec<Hit>> = None;
    let mut prev_partial: Option<Ranked> = None;
    let mut query = String::new();
    for c in keys.chars() {
        query.push(c);
        let folded = fold(&query);
        let full = d.rank(&folded, None);
        if let Some(prev) = &prev {
            assert_eq!(d.rank(&folded, Some(prev)), full, "narrowing {folded:?}");
        }
        // The partial ranking a keystroke makes (narrowed from the previous partial one):
        // its ordered rows are the full ranking's first rows, it has the same hits, and
        // completing it gives the full ranking.
        let mut partial = d.rank_top(&folded, prev_partial.as_ref(), 40);
        assert_eq!(partial.hits.len(), full.len(), "count of {folded:?}");
        assert_eq!(
            partial.hits[..partial.sorted],
            full[..partial.sorted],
            "ordered rows of {folded:?}"
        );
        prev_partial = Some(partial.clone());
        d.complete(&folded, &mut partial);
        assert_eq!(partial.hits, full, "completed ranking of {folded:?}");
        let bound = rank::score_bound(&folded);
        assert!(full.iter().all(|h| h.score <= bound), "bound of {folded:?}");
        let shown = d.with_near_misses(&folded, full.clone());
        out.push_str(&describe(d, &folded, &shown));
        prev = Some(full);
    }
}

#[test]
fn the_score_bound_is_reached_and_never_passed() {
    let d = corpus();
    let mut stopped_early = 0;
    for q in [
        "a", "m", "al", "mar", "ada l", "jo", "7", "иван", "田", "ma", "zz", "qu", "ae", "xq",
    ] {
        let bound = rank::score_bound(q);
        let full = d.rank(q, None);
        assert!(full.iter().all(|h| h.score <= bound), "{q:?}");
        if q.len() == 1 || (q.len() == 2 && q.bytes().all(|b| b.is_ascii_lowercase())) {
            // A name that starts with a one-char or two-letter query reaches the bound.
            assert_eq!(d.matcher.fuzzy_match(q, q), Some(bound - AS_TYPED), "{q:?}");
        }
        let partial = d.rank_top(q, None, 10);
        if !partial.is_complete() {
            stopped_early += 1;
            // Every hit at the bound is ordered, the first ten of them at least.
            assert!(partial.sorted >= 10, "{q:?}");
            let sorted = partial.sorted;
            assert_eq!(partial.hits[..sorted], full[..sorted], "{q:?}");
            assert!(full[sorted..].iter().all(|h| h.score < bound), "{q:?}");
        }
    }
    assert!(
        stopped_early >= 3,
        "the partial ranking stops early for first letters"
    );
}

#[test]
fn ranking_is_pinned_for_a_fixed_corpus() {
    let d = corpus();
    let mut out = String::new();
    // First letters, common and rare, and digits.
    for q in ["a", "e", "m", "q", "z", "x", "7", "ü", "и", "王"] {
        typed(&d, q, &mut out);
    }
    // Narrowing, letter by letter (Backspace returns to the same prefixes).
    for q in [
        "maria",
        "alex",
        "jo sm",
        "lovelcae",
        "lovelace ada",
        "muller",
        "mueller",
        "ivanov",
        "иванов",
        "wang",
        "tanaka",
        "田中",
        "oystein",
        "odegaard",
        "gauss",
        "strasse",
        "xq",
        "priya",
        "smtih",
    ] {
        typed(&d, q, &mut out);
    }
    insta::assert_snapshot!(out);
}
