//! Cache file tests: round trip, privacy, damaged and old files, the size cap.
use super::*;

fn user(id: &str, name: &str) -> User {
    User {
        account_id: Some(id.into()),
        display_name: Some(name.into()),
        ..User::default()
    }
}

#[test]
fn round_trip_private_and_damaged_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("site").join("directory.json");
    assert_eq!(
        load(&path).unwrap(),
        DirectoryCache::default().with_version()
    );
    let cache = DirectoryCache {
        version: VERSION,
        recent: vec!["a".into()],
        users: vec![User {
            account_id: Some("a".into()),
            display_name: Some("Ada".into()),
            ..User::default()
        }],
    };
    save(&path, &cache).unwrap();
    assert_eq!(load(&path).unwrap(), cache);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }
    // Cut short: damaged, said so.
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
    assert!(load(&path).unwrap_err().contains("damaged"));
    std::fs::write(&path, &whole[..10]).unwrap();
    assert!(load(&path).unwrap_err().contains("damaged"));
    // Another version, or the JSON of version 1: ignored, not misread.
    let mut other = whole.clone();
    other[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(&path, &other).unwrap();
    assert_eq!(
        load(&path).unwrap(),
        DirectoryCache::default().with_version()
    );
    std::fs::write(
        &path,
        br#"{"version":1,"recent":["a"],"users":[{"accountId":"a"}]}"#,
    )
    .unwrap();
    assert_eq!(
        load(&path).unwrap(),
        DirectoryCache::default().with_version()
    );
}

impl DirectoryCache {
    fn with_version(mut self) -> Self {
        self.version = VERSION;
        self
    }
}

#[test]
fn the_folded_forms_are_read_back_not_folded_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    let mut d = Directory::default();
    d.upsert(user("1", "Jürgen Müller"));
    d.upsert(user("2", "Иван Иванов"));
    save_directory(&path, &[], &d, DEFAULT_MAX_PEOPLE).unwrap();
    let (_, read) = load_directory(&path, DEFAULT_MAX_PEOPLE).unwrap();
    assert_eq!(read.len(), 2);
    for q in ["mueller", "muller", "ivanov", "иван"] {
        assert_eq!(read.rank(q, None), d.rank(q, None), "{q}");
    }
    assert_eq!(read.to_store(10), d.to_store(10));
}

#[test]
fn over_the_cap_the_least_recently_seen_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    let mut d = Directory::default();
    for (id, name) in [("1", "Ada"), ("2", "Grace"), ("3", "Alan"), ("4", "Edsger")] {
        d.upsert(user(id, name));
    }
    // Ada is seen again: now Grace is the least recently seen, then Alan.
    d.upsert(user("1", "Ada"));
    save_directory(&path, &[], &d, 2).unwrap();
    let (_, read) = load_directory(&path, DEFAULT_MAX_PEOPLE).unwrap();
    let names: Vec<&str> = read.users().map(|u| u.name()).collect();
    assert_eq!(names, ["Ada", "Edsger"], "kept in directory order");
    // Seen order survives the file: a later session keeps dropping the least recent first.
    let mut again = read;
    again.upsert(user("5", "Barbara"));
    save_directory(&path, &[], &again, 2).unwrap();
    let (_, read) = load_directory(&path, DEFAULT_MAX_PEOPLE).unwrap();
    let names: Vec<&str> = read.users().map(|u| u.name()).collect();
    assert_eq!(names, ["Ada", "Barbara"]);
    // A file over a lowered cap is cut when read, the least recently seen first.
    let (_, read) = load_directory(&path, 1).unwrap();
    let names: Vec<&str> = read.users().map(|u| u.name()).collect();
    assert_eq!(names, ["Barbara"]);
}

/// The directory as the app holds it after reading `path`.
fn adopted(path: &Path) -> Directory {
    let (recent, cached) = load_directory(path, DEFAULT_MAX_PEOPLE).unwrap();
    let mut d = Directory::default();
    d.adopt_cache(cached, &recent);
    d
}

#[test]
fn a_few_changes_go_to_the_journal_and_are_read_back_over_the_file() {
    use crate::app::directory::Unsaved;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    let mut d = Directory::default();
    for (id, name) in [("1", "Ada"), ("2", "Grace"), ("3", "Alan")] {
        d.upsert(user(id, name));
    }
    save_directory(&path, &[], &d, DEFAULT_MAX_PEOPLE).unwrap();
    let file = std::fs::read(&path).unwrap();

    // Nothing changed: nothing to write.
    let mut d = adopted(&path);
    assert_eq!(d.unsaved(&[]), Unsaved::Nothing);
    // Grace renamed, Barbara new, Ada viewed: two people and the recent list, as a journal entry.
    d.upsert(user("2", "Grace Hopper"));
    d.upsert(user("4", "Barbara"));
    let recent = vec!["1".to_string()];
    let Unsaved::Changed(people) = d.unsaved(&recent) else {
        panic!("a journal entry expected");
    };
    assert_eq!(people.len(), 2);
    append_journal(&path, &recent, people).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        file,
        "the file itself is not rewritten"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let journal = path.with_extension("journal");
        let mode = std::fs::metadata(journal).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Read back: the journal replayed over the file, later entries winning.
    let mut d = adopted(&path);
    let names: Vec<&str> = d.users().map(|u| u.name()).collect();
    assert_eq!(names, ["Ada", "Grace Hopper", "Alan", "Barbara"]);
    assert_eq!(d.unsaved(&recent), Unsaved::Nothing);
    d.upsert(user("2", "Grace B. Hopper"));
    let Unsaved::Changed(people) = d.unsaved(&recent) else {
        panic!("a journal entry expected");
    };
    append_journal(&path, &recent, people).unwrap();
    // A record cut short (a crash while appending) is ignored; those before it count.
    let journal = path.with_extension("journal");
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(&[200, 0, 0, 0, 1, 2]);
    std::fs::write(&journal, &bytes).unwrap();
    let d = adopted(&path);
    let names: Vec<&str> = d.users().map(|u| u.name()).collect();
    assert_eq!(names, ["Ada", "Grace B. Hopper", "Alan", "Barbara"]);
    let (recent_read, _, in_journal) = read_directory(&path).unwrap();
    assert_eq!((recent_read, in_journal), (recent.clone(), 3));

    // Writing the whole file removes the journal, so it never replays over newer data.
    save_directory(&path, &[], &d, DEFAULT_MAX_PEOPLE).unwrap();
    assert!(!journal.exists());
    let d = adopted(&path);
    assert_eq!(d.len(), 4);
}

#[test]
fn many_changes_or_an_unreadable_file_rewrite_everything() {
    use crate::app::directory::{Unsaved, JOURNAL_MAX};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.json");
    save_directory(&path, &[], &Directory::default(), DEFAULT_MAX_PEOPLE).unwrap();
    let mut d = adopted(&path);
    for i in 0..=JOURNAL_MAX {
        d.upsert(user(&i.to_string(), "Someone"));
    }
    assert_eq!(d.unsaved(&[]), Unsaved::All);
    let mut fresh = Directory::default();
    fresh.upsert(user("1", "Ada"));
    fresh.cache_unreadable();
    assert_eq!(fresh.unsaved(&[]), Unsaved::All);
}
