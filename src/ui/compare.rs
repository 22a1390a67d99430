//! The groups pane's comparison view: two people's groups in three sections (shared, only the
//! marked person's, only the other's), each row tagged with its section, the counts in the title,
//! and each side's loading or failure shown on its own.

use super::{row_style, spinner, theme, thousands};
use crate::app::compare::{short_names, Comparison, Section, Side};
use crate::app::state::{Focus, State};
use crate::app::Loadable;
use crate::sanitize::{fit, pad, width as text_width};
use ratatui::text::{Line, Span};

/// The title: `shared 12 · only Ada 3 · only Bob 5`, or what is still missing. In a narrow
/// pane (`room` columns) the counts shorten to `both 12 · Ada 3 · Bob 5`, then `12 · 3 · 5`
/// (the rows' tags say which is which), rather than losing the last ones.
pub fn title(view: &Comparison, room: usize) -> String {
    match (view.counts(), &view.diff) {
        (Some(counts), _) if text_width(&counts) <= room => counts,
        (Some(_), Some(d)) => {
            let (a, b) = short_names(&view.first.name, &view.second.name);
            let (s, x, y) = (d.shared.len(), d.only_first.len(), d.only_second.len());
            let shorter = format!("both {s} · {a} {x} · {b} {y}");
            if text_width(&shorter) <= room {
                shorter
            } else {
                format!("{s} · {x} · {y}")
            }
        }
        _ if [Side::First, Side::Second]
            .iter()
            .any(|s| matches!(view.side(*s).groups, Loadable::Failed(_))) =>
        {
            "Compare · failed".to_string()
        }
        _ => "Compare · loading…".to_string(),
    }
}

/// The path line's part for a comparison: who is compared with whom.
pub fn path_part(view: &Comparison) -> String {
    format!("{} ⇄ {}", view.first.name, view.second.name)
}

/// The filter line's count: `N of M`.
pub fn filter_count(view: &Comparison, shown: usize) -> String {
    let all = view.diff.as_ref().map_or(0, |d| d.len());
    format!("  {} of {}", thousands(shown), thousands(all))
}

/// The tag after a row: `both`, `only Ada`, `only Bob`.
fn tag(view: &Comparison, section: Section) -> String {
    let (a, b) = short_names(&view.first.name, &view.second.name);
    match section {
        Section::Shared => "both".to_string(),
        Section::OnlyFirst => format!("only {a}"),
        Section::OnlySecond => format!("only {b}"),
    }
}

/// The visible lines of the view: its rows once both sides are here, else each side's state.
pub fn lines(
    state: &State,
    view: &Comparison,
    rows: &[usize],
    width: usize,
    height: usize,
) -> Vec<Line<'static>> {
    let Some(diff) = &view.diff else {
        return [Side::First, Side::Second]
            .into_iter()
            .map(|side| side_line(state, view, side, width))
            .collect();
    };
    if diff.is_empty() {
        return vec![Line::styled(
            fit("Neither is in any group.", width),
            theme::dim(),
        )];
    }
    if rows.is_empty() {
        return vec![Line::styled(
            fit("No group matches the filter.", width),
            theme::dim(),
        )];
    }
    view.list
        .window(rows.len(), height)
        .filter_map(|shown| {
            let (section, group) = diff.row(rows[shown])?;
            let style = row_style(state, Focus::Groups, &view.list, shown);
            let tag = fit(&tag(view, section), width / 2);
            let name_width = width.saturating_sub(2 + text_width(&tag));
            let tag_style = match section {
                Section::Shared => theme::watching(),
                _ => theme::tag(),
            };
            Some(Line::from(vec![
                Span::styled(format!(" {} ", pad(&group.name, name_width)), style),
                Span::styled(tag, theme::accent(style, tag_style)),
            ]))
        })
        .collect()
}

/// One side's state while the diff is not there: loading, loaded (how many), or its error.
fn side_line(state: &State, view: &Comparison, side: Side, width: usize) -> Line<'static> {
    let person = view.side(side);
    match &person.groups {
        Loadable::Loaded(groups) => Line::styled(
            fit(
                &format!("{}: {} groups", person.name, thousands(groups.len())),
                width,
            ),
            theme::dim(),
        ),
        Loadable::Failed(message) => Line::styled(fit(message, width), theme::error()),
        _ => Line::styled(
            fit(
                &format!(
                    "{} loading {}'s groups…",
                    spinner(state.spinner),
                    person.name
                ),
                width,
            ),
            theme::dim(),
        ),
    }
}
