//! Group-wide watches (`W` on a member list): the refusal for a non-administrator, the plan,
//! confirming or cancelling it, bounded writes with progress, the report, and the resume.

use super::*;
use crate::api::model::OperationCheck;
use crate::app::state::{GroupPhase, ListView, MemberWatch};
use crate::app::update::GROUP_WRITES_AT_ONCE;
use pretty_assertions::assert_eq;

/// The watch list loaded (ENG highlighted), the member list of team-platform open in the groups
/// pane, and you signed in; `admin`: what your `operations` say (None: not sent).
fn members_view(admin: Option<bool>) -> State {
    let mut s = state();
    with_spaces(&mut s);
    let operations = admin.map(|a| {
        let mut ops = vec![OperationCheck {
            operation: "use".into(),
            target_type: "application".into(),
        }];
        if a {
            ops.push(OperationCheck {
                operation: "administer".into(),
                target_type: "application".into(),
            });
        }
        ops
    });
    s.me = Loadable::Loaded(User {
        operations,
        ..user("me", "Grace Hopper")
    });
    s.groups.push(GroupView::Members {
        group: group("g1", "team-platform"),
        members: Vec::new(),
        load: Loadable::Loaded(()),
        next_start: None,
        total: None,
        list: ListView::default(),
    });
    s.focus = Focus::Groups;
    s
}

fn all_members_id(cmds: &[Command]) -> RequestId {
    match cmds {
        [Command::FetchAllMembers { id, group_id }] => {
            assert_eq!(group_id, "g1");
            *id
        }
        other => panic!("{other:?}"),
    }
}

/// Per member: the status request's id.
fn status_requests(cmds: &[Command]) -> Vec<(String, RequestId)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::FetchWatchStatuses {
                user: Some(u),
                targets,
            } => Some((u.clone(), targets[0].0)),
            _ => None,
        })
        .collect()
}

fn writes(cmds: &[Command]) -> Vec<(String, RequestId, bool)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SetWatch {
                id,
                user: Some(u),
                watch,
                target,
            } => {
                assert_eq!(target, &WatchTarget::Space("ENG".into()));
                Some((u.clone(), *id, *watch))
            }
            _ => None,
        })
        .collect()
}

/// `W`, the members `ids` arrive, and their statuses as given (None: a 500).
fn with_statuses(s: &mut State, statuses: &[(&str, Option<bool>)]) {
    let id = all_members_id(&update(&mut *s, Intent::GroupWatch));
    let users = statuses
        .iter()
        .map(|(u, _)| user(u, &u.to_uppercase()))
        .collect();
    let cmds = update(
        &mut *s,
        Done::AllMembers {
            id,
            result: Ok(users),
        },
    );
    let asked = status_requests(&cmds);
    assert_eq!(asked.len(), statuses.len());
    for (account, rid) in asked {
        let wanted = statuses.iter().find(|(u, _)| *u == account).unwrap().1;
        update(
            &mut *s,
            Done::WatchStatusLoaded {
                id: rid,
                user: Some(account.clone()),
                target: WatchTarget::Space("ENG".into()),
                result: wanted.ok_or(ApiError::Server {
                    endpoint: "GET /user/watch/space".into(),
                    status: 500,
                    message: String::new(),
                }),
            },
        );
    }
}

fn write_answer(s: &mut State, account: &str, id: RequestId, ok: bool) -> Vec<Command> {
    update(
        s,
        Done::WatchSet {
            id,
            user: Some(account.into()),
            target: WatchTarget::Space("ENG".into()),
            result: if ok {
                Ok(())
            } else {
                Err(ApiError::Server {
                    endpoint: "POST /user/watch/space".into(),
                    status: 500,
                    message: String::new(),
                })
            },
        },
    )
}

#[test]
fn a_non_administrator_is_refused_before_anything_is_sent() {
    let mut s = members_view(Some(false));
    let cmds = update(&mut s, Intent::GroupWatch);
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(s.watch.group.is_none());
    assert!(s
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("Only Confluence administrators"));
}

/// A site that sent no `operations`: the members' statuses answer 403, and the run stops there.
#[test]
fn without_operations_a_403_on_the_statuses_is_the_refusal() {
    let mut s = members_view(None);
    let id = all_members_id(&update(&mut s, Intent::GroupWatch));
    let cmds = update(
        &mut s,
        Done::AllMembers {
            id,
            result: Ok(vec![user("a", "A"), user("b", "B")]),
        },
    );
    let (account, rid) = status_requests(&cmds)[0].clone();
    update(
        &mut s,
        Done::WatchStatusLoaded {
            id: rid,
            user: Some(account),
            target: WatchTarget::Space("ENG".into()),
            result: Err(ApiError::Forbidden {
                endpoint: "GET /user/watch/space".into(),
                message: String::new(),
            }),
        },
    );
    assert!(s.watch.group.is_none());
    assert!(s.last_error.as_deref().unwrap().contains("administrators"));
    // Pressing + now does nothing at all.
    assert!(update(&mut s, Intent::GroupWatchKey('+')).is_empty());
}

#[test]
fn the_plan_asks_first_then_writes_reports_and_a_second_run_retries_only_the_failed() {
    let mut s = members_view(Some(true));
    with_statuses(
        &mut s,
        &[
            ("a", Some(true)),
            ("b", Some(false)),
            ("c", Some(false)),
            ("d", None),
        ],
    );
    let run = s.watch.group.as_ref().unwrap();
    assert_eq!(run.phase, GroupPhase::Ready);
    assert_eq!(run.counts(), (1, 4));
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .starts_with("1 of 4 watch space ENG"));

    // The plan, then "no": nothing written.
    let cmds = update(&mut s, Intent::GroupWatchKey('+'));
    assert!(cmds.is_empty());
    assert_eq!(
        s.notice.as_deref(),
        Some("team-platform: 1 already watching space ENG, 2 to add, 1 unreadable (skipped). Add 2 watches? y / n")
    );
    assert!(update(&mut s, Intent::GroupWatchKey('n')).is_empty());
    assert_eq!(s.watch.group.as_ref().unwrap().phase, GroupPhase::Ready);

    // Yes: b and c are written (a is already watching, d unreadable).
    update(&mut s, Intent::GroupWatchKey('+'));
    let sent = writes(&update(&mut s, Intent::GroupWatchKey('y')));
    let who: Vec<(&str, bool)> = sent.iter().map(|(u, _, w)| (u.as_str(), *w)).collect();
    assert_eq!(who, [("b", true), ("c", true)]);
    assert_eq!(
        s.watch.group.as_ref().unwrap().status["b"],
        MemberWatch::Saving
    );
    write_answer(&mut s, "b", sent[0].1, true);
    assert_eq!(
        s.notice.as_deref(),
        Some("Watching space ENG for team-platform: 1 of 2")
    );
    write_answer(&mut s, "c", sent[1].1, false);
    assert_eq!(
        s.notice.as_deref(),
        Some("team-platform: 1 changed, 1 already watching, 1 failed (C: HTTP 500; E: all; + / - again retries) · space ENG")
    );
    assert!(s
        .errors
        .iter()
        .any(|e| e.message.starts_with("Could not make C watch space ENG")));
    let run = s.watch.group.as_ref().unwrap();
    assert_eq!(run.counts(), (2, 4));

    // Again: only c is left to add.
    update(&mut s, Intent::GroupWatchKey('+'));
    assert!(s
        .notice
        .as_deref()
        .unwrap()
        .contains("2 already watching space ENG, 1 to add"));
    let sent = writes(&update(&mut s, Intent::GroupWatchKey('y')));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "c");
}

#[test]
fn writes_go_out_a_few_at_a_time_and_esc_closes_the_column() {
    let mut s = members_view(Some(true));
    let names: Vec<String> = (0..20).map(|i| format!("m{i:02}")).collect();
    let statuses: Vec<(&str, Option<bool>)> =
        names.iter().map(|n| (n.as_str(), Some(true))).collect();
    with_statuses(&mut s, &statuses);
    update(&mut s, Intent::GroupWatchKey('-'));
    let first = writes(&update(&mut s, Intent::GroupWatchKey('y')));
    assert_eq!(first.len(), GROUP_WRITES_AT_ONCE);
    assert!(first.iter().all(|(_, _, w)| !*w));
    // Each answer lets one more go.
    let more = writes(&write_answer(&mut s, &first[0].0, first[0].1, true));
    assert_eq!(more.len(), 1);
    assert_eq!(more[0].0, names[GROUP_WRITES_AT_ONCE]);
    assert_eq!(
        s.notice.as_deref(),
        Some("Unwatching space ENG for team-platform: 1 of 20")
    );
    // W again while writing starts nothing new.
    assert!(update(&mut s, Intent::GroupWatch).is_empty());
    assert_eq!(s.watch.group.as_ref().unwrap().phase, GroupPhase::Writing);
    // A stale or foreign answer changes nothing.
    assert!(write_answer(&mut s, "m00", first[0].1, true).is_empty());
    // Esc while writing does not close it; once done (here: dropped), Esc in Ready closes.
    let run = s.watch.group.as_mut().unwrap();
    run.asked.clear();
    run.queue.clear();
    run.phase = GroupPhase::Ready;
    update(&mut s, Intent::GroupWatchKey('n'));
    assert!(s.watch.group.is_none());
}
