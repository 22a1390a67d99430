//! Tests of the directory: folding, every typed form, ranking, near misses.
use super::*;

fn user(id: &str, name: &str) -> User {
    User {
        account_id: Some(id.into()),
        display_name: Some(name.into()),
        ..User::default()
    }
}

#[test]
fn accents_fold_and_highlights_point_at_original_chars() {
    let mut d = Directory::default();
    d.upsert(user("1", "Jürgen Müller"));
    d.upsert(user("2", "Ada Lovelace"));
    let hits = d.rank(&fold("muller"), None);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].index, 0);
    let marks = d.highlights(0, "muller");
    let name: Vec<char> = "Jürgen Müller".chars().collect();
    let marked: String = marks.iter().map(|&i| name[i]).collect();
    assert_eq!(marked, "Müller");
}

#[test]
fn narrowing_a_query_filters_previous_hits_only() {
    let mut d = Directory::default();
    for (i, n) in ["Alice", "Alicia", "Bob", "Ali Baba"].iter().enumerate() {
        d.upsert(user(&i.to_string(), n));
    }
    let first = d.rank("ali", None);
    assert_eq!(first.len(), 3);
    let narrowed = d.rank("alic", Some(&first));
    let names: Vec<&str> = narrowed
        .iter()
        .map(|h| d.get(h.index).map(|p| p.name()).unwrap_or(""))
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Alice") && names.contains(&"Alicia"));
}

#[test]
fn upsert_merges_by_account_id() {
    let mut d = Directory::default();
    d.upsert(user("1", "Old"));
    let mut newer = user("1", "New");
    newer.time_zone = Some("Europe/Paris".into());
    d.upsert(newer);
    assert_eq!(d.len(), 1);
    assert_eq!(d.user("1").map(|u| u.name()), Some("New"));
}

fn names(d: &Directory, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            d.get(h.index)
                .map(|p| p.name().to_string())
                .unwrap_or_default()
        })
        .collect()
}

fn directory(people: &[&str]) -> Directory {
    let mut d = Directory::default();
    for (i, n) in people.iter().enumerate() {
        d.upsert(user(&i.to_string(), n));
    }
    d
}

/// The names found for what a person types, as the search pane folds it.
fn found(d: &Directory, typed: &str) -> Vec<String> {
    let folded = fold(typed);
    names(d, &d.with_near_misses(&folded, d.rank(&folded, None)))
}

#[test]
fn umlauts_are_found_spelled_out() {
    let d = directory(&["Jürgen Müller", "Jörg Schön", "Ada Lovelace"]);
    assert_eq!(found(&d, "mueller"), ["Jürgen Müller"]);
    assert_eq!(found(&d, "juergen"), ["Jürgen Müller"]);
    assert_eq!(found(&d, "schoen"), ["Jörg Schön"]);
    // The highlight marks the ü that "ue" stands for.
    let marks = d.highlights(0, "mueller");
    let name: Vec<char> = "Jürgen Müller".chars().collect();
    let marked: String = marks.iter().map(|&i| name[i]).collect();
    assert_eq!(marked, "Müller");
}

#[test]
fn sharp_s_is_found_as_ss() {
    let d = directory(&["Hans Weiß", "Ada Lovelace"]);
    assert_eq!(found(&d, "weiss"), ["Hans Weiß"]);
    assert_eq!(found(&d, "Weiß"), ["Hans Weiß"]);
}

#[test]
fn cyrillic_is_found_in_latin_letters() {
    let d = directory(&["Иван Иванов", "Ada Lovelace"]);
    assert_eq!(found(&d, "ivanov"), ["Иван Иванов"]);
    assert_eq!(found(&d, "Иванов"), ["Иван Иванов"]);
}

#[test]
fn greek_is_found_in_latin_letters() {
    let d = directory(&["Γιώργος Παπαδόπουλος", "Ada Lovelace"]);
    assert_eq!(found(&d, "papadopoulos"), ["Γιώργος Παπαδόπουλος"]);
    assert_eq!(found(&d, "giorgos"), ["Γιώργος Παπαδόπουλος"]);
}

#[test]
fn han_is_found_in_pinyin_and_marked() {
    let d = directory(&["王伟", "陈浩然", "Ada Lovelace"]);
    assert_eq!(found(&d, "wang"), ["王伟"]);
    assert_eq!(found(&d, "chen haoran"), ["陈浩然"]);
    assert_eq!(d.highlights(0, "wang"), [0]);
}

#[test]
fn kana_is_found_in_romaji() {
    let d = directory(&["たなか さくら", "タナカ ケン", "Ada Lovelace"]);
    assert_eq!(found(&d, "tanaka"), ["たなか さくら", "タナカ ケン"]);
    assert_eq!(found(&d, "sakura"), ["たなか さくら"]);
}

#[test]
fn a_kanji_name_is_found_by_the_spelling_of_its_address() {
    // Kanji read as Chinese (田中 → tian zhong): the address gives the Japanese reading.
    let mut d = Directory::default();
    let mut tanaka = user("1", "田中 翔太");
    tanaka.email = Some("shota.tanaka@acme.example".into());
    d.upsert(tanaka);
    d.upsert(user("2", "Ada Lovelace"));
    assert_eq!(found(&d, "tanaka"), ["田中 翔太"]);
    assert_eq!(found(&d, "田中"), ["田中 翔太"]);
}

#[test]
fn the_exact_script_ranks_first() {
    let d = directory(&["Tian Zhong", "田中 翔太"]);
    assert_eq!(found(&d, "田中"), ["田中 翔太", "Tian Zhong"]);
    let d = directory(&["Иван Иванов", "Ivan Ivanov"]);
    assert_eq!(found(&d, "иванов"), ["Иван Иванов", "Ivan Ivanov"]);
    assert_eq!(found(&d, "ivanov"), ["Ivan Ivanov", "Иван Иванов"]);
    let d = directory(&["Jürgen Müller", "Jürgen Mueller"]);
    assert_eq!(found(&d, "mueller"), ["Jürgen Mueller", "Jürgen Müller"]);
}

#[test]
fn narrowing_a_transliterated_query_keeps_its_hits() {
    let d = directory(&["Tian Zhong", "田中 翔太", "Ada Lovelace"]);
    let first = d.rank("田", None);
    let narrowed = d.rank("田中", Some(&first));
    assert_eq!(names(&d, &narrowed), ["田中 翔太", "Tian Zhong"]);
}

#[test]
fn a_typo_finds_the_name_below_true_matches() {
    let d = directory(&["Ada Lovelace", "Linus Torvalds", "Lovelcae Smith"]);
    // "Lovelcae Smith" matches as typed; Lovelace is a near miss after it.
    assert_eq!(found(&d, "lovelcae"), ["Lovelcae Smith", "Ada Lovelace"]);
    let d = directory(&["Ada Lovelace", "Linus Torvalds"]);
    assert_eq!(found(&d, "lovelcae"), ["Ada Lovelace"]);
    // A slip in the first letter, words in another order, a word still being typed.
    assert_eq!(found(&d, "kovelace"), ["Ada Lovelace"]);
    assert_eq!(found(&d, "lovelace ada"), ["Ada Lovelace"]);
    assert_eq!(found(&d, "torvlad"), ["Linus Torvalds"]);
    // Too far, or too short to tell.
    assert!(found(&d, "lovxyz").is_empty());
    assert!(found(&d, "xyzzy").is_empty());
    assert!(found(&directory(&["priya.k"]), "prix").is_empty());
}

#[test]
fn near_misses_only_when_true_matches_are_few() {
    let many = [
        "Ada Lovelace",
        "Ada Lovelock",
        "Ada Loveland",
        "Ada Lovell",
        "Ada Lovejoy",
    ];
    let mut people = many.to_vec();
    people.push("Ada Lovelcae");
    let d = directory(&people);
    // Five true matches of "lovelcae"'s neighbour "lovel": no near misses for "lovela".
    let hits = d.with_near_misses("lovel", d.rank("lovel", None));
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.score >= 0));
    // One true match: near misses follow it, fewest edits first.
    let hits = d.with_near_misses("lovelcae", d.rank("lovelcae", None));
    let got = names(&d, &hits);
    assert_eq!(got[0], "Ada Lovelcae");
    assert_eq!(got[1], "Ada Lovelace");
    assert!(hits[0].score > hits[1].score && hits[1].score < 0);
}

#[test]
fn the_cache_is_written_only_after_it_was_read_and_only_when_something_changed() {
    let cached = Directory::from_people(vec![StoredPerson::new(&user("1", "Ada Lovelace"))]);
    let mut d = Directory::default();
    // A person seen before the cache was read: writing now would drop everyone cached.
    d.upsert(user("1", "Ada Lovelace"));
    assert!(!d.needs_saving(&[]));
    // The live copy equals the cached one: nothing to write.
    d.adopt_cache(cached.clone(), &["1".to_string()]);
    assert!(!d.needs_saving(&["1".to_string()]));
    // The same person again, unchanged: still nothing.
    d.upsert(user("1", "Ada Lovelace"));
    assert!(!d.needs_saving(&["1".to_string()]));
    // Another recently viewed list, a changed person, a new person: written.
    assert!(d.needs_saving(&[]));
    let mut changed = d.clone();
    changed.upsert(user("1", "Ada King"));
    assert!(changed.needs_saving(&["1".to_string()]));
    let mut added = d.clone();
    added.upsert(user("2", "Grace Hopper"));
    assert!(added.needs_saving(&["1".to_string()]));
    // A cache that could not be read is replaced by what is known.
    let mut fresh = Directory::default();
    fresh.upsert(user("2", "Grace Hopper"));
    fresh.cache_unreadable();
    assert!(fresh.needs_saving(&[]));
}
