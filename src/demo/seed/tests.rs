//! Unit tests of the seeded directory: determinism, variety, the fixed accounts, and speed.

use super::*;

#[test]
fn same_seed_same_directory_other_seed_other_people() {
    let a = SeededDirectory::generate(300, 7);
    let b = SeededDirectory::generate(300, 7);
    let c = SeededDirectory::generate(300, 8);
    let names = |d: &SeededDirectory| -> Vec<String> {
        d.users.iter().map(|u| u.display_name.clone()).collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_ne!(names(&a), names(&c));
    assert_eq!(a.users[0].account_id, c.users[0].account_id);
    assert_eq!(a.users.len(), 300);
}

#[test]
fn default_directory_has_the_promised_variety() {
    let d = SeededDirectory::generate(1500, 42);
    assert_eq!(d.users.len(), 1500);
    // The 80 groups of `groups.txt`, then the project groups.
    assert_eq!(d.groups.len(), 80 + PROJECT_GROUPS);
    assert_eq!(d.spaces.len(), 40);
    assert_eq!(d.groups[0].name, "confluence-users");
    assert_eq!(d.groups[0].members.len(), 1500);
    assert!(d.groups.iter().filter(|g| g.members.len() >= 200).count() >= 3);
    let apps = d
        .users
        .iter()
        .filter(|u| u.kind == AccountKind::App)
        .count();
    let guests = d
        .users
        .iter()
        .filter(|u| u.kind == AccountKind::Guest)
        .count();
    let private = d
        .users
        .iter()
        .filter(|u| u.hide_picture && u.display_name == u.public_name)
        .count();
    assert_eq!(apps, 12);
    assert!(guests > 30, "{guests}");
    assert!(private > 50, "{private}");
    let has = |pred: fn(char) -> bool| d.users.iter().any(|u| u.display_name.chars().any(pred));
    assert!(has(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "CJK");
    assert!(has(|c| ('\u{0590}'..='\u{06ff}').contains(&c)), "RTL");
    assert!(has(|c| "éüøłçñ".contains(c)), "accents");
    let ids: std::collections::HashSet<_> = d.users.iter().map(|u| &u.account_id).collect();
    assert_eq!(ids.len(), 1500);
    let zones: std::collections::HashSet<_> = d.users.iter().map(|u| &u.time_zone).collect();
    assert!(zones.len() > 40);
    for u in &d.users {
        assert!(
            u.time_zone.parse::<chrono_tz::Tz>().is_ok(),
            "{}",
            u.time_zone
        );
    }
}

#[test]
fn the_demo_user_is_a_realistic_person() {
    let d = SeededDirectory::generate(1500, 1);
    let ada = &d.users[0];
    assert_eq!(ada.account_id, DEMO_ACCOUNT_ID);
    assert!(ada.groups.len() >= 5);
    assert!(ada.personal_space.is_some());
    assert!(!ada.admin);
    assert!(d.users[1].admin);
    assert!(d.properties.iter().filter(|p| p.user == 0).count() >= 3);
}

#[test]
fn generating_the_default_size_is_fast() {
    let t = std::time::Instant::now();
    let d = SeededDirectory::generate(1500, 42);
    // Debug builds are several times slower than release; the budget there is 100 ms.
    assert!(
        t.elapsed() < std::time::Duration::from_millis(600),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(d.users.len(), 1500);
}

#[test]
fn two_people_are_in_hundreds_of_groups_and_no_one_else_changes() {
    let d = SeededDirectory::generate(1500, 42);
    let people = d.project_people();
    assert_eq!(people.len(), 2);
    let first: std::collections::HashSet<u16> = people[0].groups.iter().copied().collect();
    let second: std::collections::HashSet<u16> = people[1].groups.iter().copied().collect();
    // More than one page of `/user/memberof` (200) each, with a large overlap.
    assert!(
        first.len() > 200 && second.len() > 140,
        "{} {}",
        first.len(),
        second.len()
    );
    assert!(first.intersection(&second).count() >= 120);
    assert!(people.iter().all(|p| p.kind == AccountKind::Staff));
    // Only those two are in project groups; the file's groups keep their members.
    for g in &d.groups[80..] {
        assert!(g.name.starts_with("project-"), "{}", g.name);
        assert!(g.members.len() <= 2);
    }
    let small = SeededDirectory::generate(300, 42);
    for (a, b) in small.groups[..80].iter().zip(&d.groups[..80]) {
        assert_eq!(a.name, b.name);
    }
    assert_eq!(small.project_people()[0].account_id, people[0].account_id);
}
