//! The member list's watch column for a group-wide watch (`W`, administrators): each member's
//! status of the chosen target, and the count for the pane's title (`31/43 ● PLAT`: 31 of 43
//! watch PLAT). `groups.rs` calls in here; this file draws nothing else.

use super::{spinner, theme};
use crate::api::WatchTarget;
use crate::app::state::{GroupPhase, MemberWatch, State};
use ratatui::style::Style;
use ratatui::text::Span;

/// The mark before a member's name (`● `, `○ `, a spinner, `◍ ` while saving, `! ` failed),
/// when a group-wide watch of this group is shown; `None` otherwise.
pub fn mark(
    state: &State,
    group_id: &str,
    account_id: &str,
    style: Style,
) -> Option<Span<'static>> {
    let run = state
        .watch
        .group
        .as_ref()
        .filter(|g| g.group_id == group_id)?;
    let (text, look) = match run.status.get(account_id) {
        Some(MemberWatch::Known(true)) => ("●".to_string(), theme::watching()),
        Some(MemberWatch::Known(false)) => ("○".to_string(), theme::dim()),
        Some(MemberWatch::Saving) => ("◍".to_string(), theme::warn()),
        Some(MemberWatch::Failed(_)) => ("!".to_string(), theme::error()),
        Some(MemberWatch::Loading) => (spinner(state.spinner).to_string(), theme::dim()),
        // A member loaded into the list after the run listed the group.
        None => (" ".to_string(), theme::dim()),
    };
    Some(Span::styled(format!(" {text}"), theme::accent(style, look)))
}

/// The title's part for a group-wide watch of this group: `31/43 ● PLAT` (31 of 43 members
/// watch PLAT) once every status is in, the progress before.
pub fn title(state: &State, group_id: &str) -> Option<String> {
    let run = state
        .watch
        .group
        .as_ref()
        .filter(|g| g.group_id == group_id)?;
    let what = target_words(&run.target);
    let (on, total) = run.counts();
    // Short forms: the pane is often 40 columns wide, and the title's parts that do not fit
    // are dropped. The status line says the same in words ("14 of 66 watch space IT").
    Some(match run.phase {
        GroupPhase::Members => "listing…".to_string(),
        GroupPhase::Statuses => {
            let read = total.saturating_sub(run.asked.len());
            format!("{read}/{total} read…")
        }
        GroupPhase::Writing => format!("{}/{} written", run.changed + run.failed.len(), run.total),
        _ => format!("{on}/{total} ● {what}"),
    })
}

fn target_words(target: &WatchTarget) -> String {
    // The pin prompt's words (`label:NAME`, `page:ID`), short enough for a pane title.
    let id = crate::sanitize::fit(target.id(), 10);
    match target {
        WatchTarget::Space(_) => id,
        WatchTarget::Label(_) => format!("label:{id}"),
        WatchTarget::Content(_) => format!("page:{id}"),
    }
}
