//! A pinned page shows its title, which the UI asks the demo's v2 `GET /pages/{id}` for.
//!
//! Tests only: what other areas need too belongs in `main.rs` or the support module.

use crate::support::pty::key;
use crate::{leave_search_line, quit_and_check_restored, Session, WATCH_KEYS};

#[test]
fn a_pinned_page_shows_its_title() {
    let mut s = Session::start();
    let page = s
        .demo
        .server()
        .directory()
        .pages
        .iter()
        .find(|p| p.title == "Code review guidelines")
        .expect("the demo has the page")
        .clone();
    leave_search_line(&mut s.tui);
    s.tui.send("4");
    s.tui.wait_for(WATCH_KEYS);
    s.tui.send("p");
    s.tui.wait_for(r"pin \(label:NAME or page:ID\):");
    s.tui.type_text(&format!("page:{}", page.id));
    s.tui.send(key::ENTER);
    s.tui.wait_for(&format!(r"page {} +Code review", page.id));
    quit_and_check_restored(&mut s.tui, "q");
}
