//! `:sync`: the background directory sync started, its progress shown, the people it finds
//! searchable as they arrive, stopped, failed and finished.

use super::*;
use crate::app::sync::SyncOutcome;
use crate::app::Slot;
use crate::directory_sync::Progress;
use pretty_assertions::assert_eq;

/// Runs `:TEXT` on the command line.
fn command(s: &mut State, text: &str) -> Vec<Command> {
    update(s, Intent::StartCommand);
    type_text(s, text);
    update(s, Intent::Submit)
}

fn sync_id(cmds: &[Command]) -> RequestId {
    cmds.iter()
        .find_map(|c| match c {
            Command::SyncDirectory { id } => Some(*id),
            _ => None,
        })
        .expect("a sync command")
}

fn progress(people: usize, estimate: u64) -> Progress {
    Progress {
        people,
        estimate: Some(estimate),
        requests: 1,
        ..Progress::default()
    }
}

fn page_of(s: &mut State, id: RequestId, people: usize, batch: Vec<User>) {
    update(
        s,
        Done::SyncProgress {
            id,
            progress: progress(people, 10),
            batch,
        },
    );
}

#[test]
fn the_people_a_sync_finds_are_searchable_as_they_arrive() {
    let mut s = state();
    type_text(&mut s, "zo");
    let cmds = command(&mut s, "sync");
    let id = sync_id(&cmds);
    assert!(s.sync.is_some());
    assert!(s.notice.as_deref().unwrap().contains("in the background"));
    assert!(names(&s).is_empty());

    page_of(
        &mut s,
        id,
        2,
        vec![user("z1", "Zoe Quinn"), user("a1", "Ada Lovelace")],
    );
    assert_eq!(names(&s), ["Zoe Quinn"]);
    let view = s.sync.as_ref().unwrap();
    assert_eq!(view.status_text(s.now), "sync 2 / ~10");
    page_of(&mut s, id, 3, vec![user("z2", "Zora Neale")]);
    assert_eq!(names(&s).len(), 2, "{:?}", names(&s));

    // `:sync` again says where it stands instead of starting a second one.
    let again = command(&mut s, "sync");
    assert!(!again
        .iter()
        .any(|c| matches!(c, Command::SyncDirectory { .. })));
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .starts_with("Already syncing: sync 3 / ~10"));

    update(
        &mut s,
        Done::SyncFinished {
            id,
            result: Ok(SyncOutcome {
                people: 3,
                new: 3,
                updated: 0,
            }),
        },
    );
    assert!(s.sync.is_none());
    assert_eq!(
        s.notice.as_deref(),
        Some("Directory synced: 3 people (3 new, 0 updated); search works offline now")
    );
}

#[test]
fn a_stopped_sync_sends_nothing_more_to_the_directory() {
    let mut s = state();
    type_text(&mut s, "zo");
    let id = sync_id(&command(&mut s, "sync"));
    page_of(&mut s, id, 1, vec![user("z1", "Zoe Quinn")]);
    let cmds = command(&mut s, "sync stop");
    assert!(cmds.contains(&Command::Abort { slot: Slot::Sync }));
    assert!(s.sync.is_none());
    assert!(s.notice.as_deref().unwrap().contains(":sync resumes it"));
    // A page already on its way from the stopped task changes nothing.
    page_of(&mut s, id, 2, vec![user("z2", "Zora Neale")]);
    assert_eq!(names(&s), ["Zoe Quinn"]);
    assert!(s.sync.is_none());
    // A new sync gets a new id; the old one's end is ignored.
    let second = sync_id(&command(&mut s, "sync"));
    assert_ne!(second, id);
    update(
        &mut s,
        Done::SyncFinished {
            id,
            result: Err("old".into()),
        },
    );
    assert!(s.sync.is_some() && s.last_error.is_none());
}

#[test]
fn a_failed_sync_says_why_and_keeps_what_it_found() {
    let mut s = state();
    type_text(&mut s, "zo");
    let id = sync_id(&command(&mut s, "sync"));
    page_of(&mut s, id, 1, vec![user("z1", "Zoe Quinn")]);
    let message = "directory sync stopped: HTTP 503; its progress is kept, :sync resumes it";
    update(
        &mut s,
        Done::SyncFinished {
            id,
            result: Err(message.into()),
        },
    );
    assert!(s.sync.is_none());
    assert_eq!(s.last_error.as_deref(), Some(message));
    assert_eq!(s.errors.last().unwrap().message, message);
    assert_eq!(names(&s), ["Zoe Quinn"]);
}

#[test]
fn a_resumed_sync_says_so() {
    let mut s = state();
    let id = sync_id(&command(&mut s, "sync"));
    update(
        &mut s,
        Done::SyncProgress {
            id,
            progress: Progress {
                people: 61_200,
                resumed: 61_200,
                ..Progress::default()
            },
            batch: vec![user("z1", "Zoe Quinn")],
        },
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Resuming the sync: 61,200 people so far")
    );
    assert_eq!(s.directory.len(), 1);
}
