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
    let names: Vec<&str> = read.users().map(User::name).collect();
    assert_eq!(names, ["Ada", "Edsger"], "kept in directory order");
    // Seen order survives the file: a later session keeps dropping the least recent first.
    let mut again = read;
    again.upsert(user("5", "Barbara"));
    save_directory(&path, &[], &again, 2).unwrap();
    let (_, read) = load_directory(&path, DEFAULT_MAX_PEOPLE).unwrap();
    let names: Vec<&str> = read.users().map(User::name).collect();
    assert_eq!(names, ["Ada", "Barbara"]);
    // A file over a lowered cap is cut when read, the least recently seen first.
    let (_, read) = load_directory(&path, 1).unwrap();
    let names: Vec<&str> = read.users().map(User::name).collect();
    assert_eq!(names, ["Barbara"]);
}
