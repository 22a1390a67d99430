//! Drawing: `render(frame, &State)`. One file per pane; this one owns the layout.
//!
//! Rendering only reads the state. Lists build just their visible rows (the window is decided by
//! `update`, which keeps each list's offset), so a frame costs the same for 100 or 100,000 users.
//! Every server string goes through [`crate::sanitize`] before it reaches the buffer.

pub mod command;
pub mod compare;
pub mod export;
pub mod groups;
pub mod member_watch;
pub mod overlay;
pub mod profile;
pub mod search;
pub mod setup;
pub mod status;
pub mod theme;
pub mod watchlist;

use crate::app::state::{Focus, ListHeights, ListView, Overlay, State};
use ratatui::layout::{Constraint, Layout, Rect, Size};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Below this size the panes cannot be laid out usefully.
pub const MIN_WIDTH: u16 = 80;
/// Below this size the panes cannot be laid out usefully.
pub const MIN_HEIGHT: u16 = 24;
/// The most columns drawn. A larger terminal gets its left part drawn and a line saying so: the
/// screen buffers grow with every cell, and a 10000×10000 terminal would need gigabytes for them.
pub const MAX_WIDTH: u16 = 2048;
/// The most rows drawn; see [`MAX_WIDTH`].
pub const MAX_HEIGHT: u16 = 512;

/// The part of a terminal of `size` that is drawn: its top-left corner, at most
/// [`MAX_WIDTH`] × [`MAX_HEIGHT`] cells.
pub fn drawn_size(size: Size) -> Size {
    Size::new(size.width.min(MAX_WIDTH), size.height.min(MAX_HEIGHT))
}

/// Where the panes go on a terminal of `size`: the drawn part, less its bottom row when the
/// terminal is larger than what is drawn (that row then says so).
pub fn panes_area(size: Size) -> Rect {
    let drawn = drawn_size(size);
    let cut = drawn != size;
    Rect::new(0, 0, drawn.width, drawn.height - u16::from(cut))
}

/// Where each pane is, for drawing and for mapping mouse clicks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    /// The top line: site, you, connection, requests in flight.
    pub title: Rect,
    /// Pane 1: the query and the ranked people.
    pub search: Rect,
    /// Pane 2: the highlighted person.
    pub profile: Rect,
    /// Pane 3: groups, members and the path between them.
    pub groups: Rect,
    /// Pane 4: the watch list.
    pub watch: Rect,
    /// The line under the panes: the last error or a notice.
    pub message: Rect,
    /// The bottom line: the focused pane's keys.
    pub footer: Rect,
}

impl Areas {
    /// The pane at a screen position, and the list row under it (if on a list row).
    pub fn hit(&self, x: u16, y: u16) -> Option<(Focus, Option<usize>)> {
        let inside = |r: Rect| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
        let (pane, rect) = Focus::ALL
            .into_iter()
            .map(|pane| (pane, self.pane(pane)))
            .find(|(_, rect)| inside(*rect))?;
        let chrome = Chrome::of(pane);
        let first = rect.y + BORDER + chrome.above;
        let end = (rect.y + rect.height).saturating_sub(BORDER + chrome.below);
        let row = (y >= first && y < end).then(|| (y - first) as usize);
        Some((pane, row))
    }

    /// Where `pane` is drawn.
    pub fn pane(&self, pane: Focus) -> Rect {
        match pane {
            Focus::Search => self.search,
            Focus::Profile => self.profile,
            Focus::Groups => self.groups,
            Focus::Watchlist => self.watch,
        }
    }
}

/// Rows of a pane's border, at the top and again at the bottom.
const BORDER: u16 = 1;

/// The rows a pane draws inside its border around its list. Drawing ([`Chrome::split`]), mouse
/// hits ([`Areas::hit`]) and `update`'s page sizes ([`list_heights`]) all read them from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrome {
    /// Rows above the list.
    pub above: u16,
    /// Rows below the list.
    pub below: u16,
}

impl Chrome {
    /// The chrome of `pane`.
    pub const fn of(pane: Focus) -> Chrome {
        match pane {
            // The query line; the count line.
            Focus::Search => Chrome { above: 1, below: 1 },
            // The person's fields and the properties' heading.
            Focus::Profile => Chrome {
                above: profile::FIELD_ROWS + 1,
                below: 0,
            },
            // The path line (person › group).
            Focus::Groups => Chrome { above: 1, below: 0 },
            // The filter or pin prompt line.
            Focus::Watchlist => Chrome { above: 0, below: 1 },
        }
    }

    /// `inner` (the pane inside its border) cut into the rows above the list, the list, and the
    /// rows below it.
    pub fn split(self, inner: Rect) -> [Rect; 3] {
        Layout::vertical([
            Constraint::Length(self.above),
            Constraint::Min(0),
            Constraint::Length(self.below),
        ])
        .areas(inner)
    }

    /// Rows of the list in a pane `outer` rows tall (border included); at least one.
    fn list_rows(self, outer: u16) -> usize {
        outer
            .saturating_sub(2 * BORDER + self.above + self.below)
            .max(1) as usize
    }
}

/// The layout for a terminal of `area`.
pub fn layout(area: Rect) -> Areas {
    let [title, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // u32: a terminal can be wider than u16::MAX / 32 columns.
    let search_width = (u32::from(body.width) * 32 / 100).clamp(28, 48) as u16;
    let [search, right] =
        Layout::horizontal([Constraint::Length(search_width), Constraint::Min(0)]).areas(body);
    let profile_height = (right.height / 2).clamp(10, 18);
    let [profile, lower] =
        Layout::vertical([Constraint::Length(profile_height), Constraint::Min(0)]).areas(right);
    let [groups, watch] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    Areas {
        title,
        search,
        profile,
        groups,
        watch,
        message,
        footer,
    }
}

/// Visible rows of each list for a terminal of `width` × `height`: what `update` scrolls by.
pub fn list_heights(width: u16, height: u16) -> ListHeights {
    let a = layout(Rect::new(0, 0, width, height));
    let rows = |pane: Focus| Chrome::of(pane).list_rows(a.pane(pane).height);
    ListHeights {
        results: rows(Focus::Search),
        props: rows(Focus::Profile),
        groups: rows(Focus::Groups),
        watch: rows(Focus::Watchlist),
        overlay: overlay::list_rows(height),
        help: overlay::help_list_rows(height),
        props_inline: a.profile.width.saturating_sub(2) >= profile::INLINE_MIN_WIDTH,
    }
}

/// Draws the whole screen on a terminal of `size`, of which the frame holds the drawn part (see
/// [`drawn_size`]): the panes in [`panes_area`], and below them, when the terminal is larger,
/// a line saying the rest is not drawn.
pub fn render_on(frame: &mut Frame, state: &State, size: Size) {
    let panes = panes_area(size).intersection(frame.area());
    render_in(frame, panes, state);
    let below = Rect::new(panes.x, panes.bottom(), panes.width, 1).intersection(frame.area());
    if drawn_size(size) != size && !below.is_empty() {
        let note = format!(
            " This terminal is {}×{}: only its top-left {}×{} is drawn, the rest is left blank.",
            size.width, size.height, panes.width, panes.height
        );
        frame.render_widget(Paragraph::new(Line::styled(note, theme::warn())), below);
    }
}

/// Draws the whole screen in the frame (a terminal no larger than [`MAX_WIDTH`] × [`MAX_HEIGHT`]).
pub fn render(frame: &mut Frame, state: &State) {
    render_in(frame, frame.area(), state);
}

/// Draws the whole screen in `area`.
fn render_in(frame: &mut Frame, area: Rect, state: &State) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(frame, area);
        return;
    }
    let areas = layout(area);
    status::render_title(frame, areas.title, state);
    search::render_search(frame, areas.search, state);
    profile::render_profile(frame, areas.profile, state);
    groups::render_groups(frame, areas.groups, state);
    watchlist::render_watchlist(frame, areas.watch, state);
    status::render_message(frame, areas.message, state);
    status::render_footer(frame, areas.footer, state);
    command::render_command(frame, areas.message, state);
    export::render_export(frame, areas.message, state);
    match state.overlay {
        Overlay::Help => overlay::render_help(frame, area, state),
        Overlay::Errors => overlay::render_errors(frame, area, state),
        Overlay::None if state.focus == Focus::Profile => {
            overlay::render_property(frame, area, state)
        }
        Overlay::None => {}
    }
}

fn render_too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme::title()),
        Line::raw(format!(
            "confdir needs {MIN_WIDTH}×{MIN_HEIGHT}; this is {}×{}.",
            area.width, area.height
        )),
        Line::styled("Enlarge the window, or press q to quit.", theme::dim()),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// A pane's bordered block, highlighted when focused, with its number for `1`–`4`.
pub fn pane_block(state: &State, pane: Focus, title: Line<'static>) -> Block<'static> {
    let number = Focus::ALL.iter().position(|f| *f == pane).unwrap_or(0) + 1;
    let mut spans = vec![Span::styled(format!(" {number} "), theme::dim())];
    spans.extend(title.spans);
    spans.push(Span::raw(" "));
    bordered(state, pane, Line::from(spans))
}

/// A list pane's block, drawn in `area`: [`pane_block`], its title fitted to the border (whole
/// ` · `-separated parts dropped from the right and `…` said in their place, so a number is
/// never cut in half), and where the selection is (`12/1,500`) on the bottom border's right.
pub fn list_block(state: &State, pane: Focus, title: Line<'static>, area: Rect) -> Block<'static> {
    let position = position(state, pane)
        .filter(|(_, len)| *len > 0)
        .map(|(selected, len)| {
            // `G` walking to the end says so, with how far it got.
            let walking = if state.seek_end == Some(pane) {
                format!("{} to the end · ", spinner(state.spinner))
            } else {
                String::new()
            };
            format!(
                " {walking}{}/{} ",
                thousands((selected + 1).min(len)),
                thousands(len)
            )
        });
    // The corners, the pane number and the trailing space take six columns.
    let room = usize::from(area.width).saturating_sub(3 + 3);
    let block = pane_block(state, pane, Line::from(fit_title(title, room)));
    match position {
        Some(text) => block.title_bottom(Line::styled(text, theme::dim()).right_aligned()),
        None => block,
    }
}

/// The spans of `title` in at most `room` columns: its ` · `-separated parts, whole, as many
/// as fit from the left, then ` …` when any was dropped. A first part alone too wide is cut.
pub fn fit_title(title: Line<'static>, room: usize) -> Vec<Span<'static>> {
    const SEP: &str = " · ";
    // Each part: the separator before it (empty for the first) and its text, with its style.
    let mut parts: Vec<(bool, String, Style)> = Vec::new();
    for span in title.spans {
        for (i, piece) in span.content.split(SEP).enumerate() {
            // A span that starts with the separator opens its next part.
            if i > 0 || !piece.is_empty() {
                parts.push((i > 0, piece.to_string(), span.style));
            }
        }
    }
    let cost = |(sep, text, _): &(bool, String, Style)| {
        crate::sanitize::width(text) + if *sep { 3 } else { 0 }
    };
    let total: usize = parts.iter().map(cost).sum();
    if total <= room {
        return parts.into_iter().flat_map(part_spans).collect();
    }
    let ellipsis = 2;
    let mut used = 0;
    let mut out = Vec::new();
    for (n, part) in parts.into_iter().enumerate() {
        let c = cost(&part);
        if n == 0 && c + ellipsis > room {
            out.push(Span::styled(crate::sanitize::fit(&part.1, room), part.2));
            return out;
        }
        if used + c + ellipsis > room {
            break;
        }
        used += c;
        out.extend(part_spans(part));
    }
    out.push(Span::styled(" …", theme::dim()));
    out
}

fn part_spans((sep, text, style): (bool, String, Style)) -> Vec<Span<'static>> {
    let mut spans = Vec::with_capacity(2);
    if sep {
        spans.push(Span::styled(" · ", style));
    }
    spans.push(Span::styled(text, style));
    spans
}

/// Where the selection of `pane`'s list is, and how long the list is: its rows, or the site's
/// count when the site said it has more than are loaded.
fn position(state: &State, pane: Focus) -> Option<(usize, usize)> {
    use crate::app::state::GroupView;
    match pane {
        Focus::Search => {
            let rows = state.search.rows.len();
            let current = state.search.server_query.trim() == state.search.input.value().trim();
            let total = state
                .search
                .server_total
                .filter(|_| current)
                .map_or(0, |t| t.max(0) as usize);
            Some((state.search.list.selected, rows.max(total)))
        }
        Focus::Profile => state
            .profile
            .props
            .loaded()
            .map(|keys| (state.profile.prop_list.selected, keys.len())),
        Focus::Groups => match state.groups.last()? {
            GroupView::Memberships { groups, list, .. } => {
                groups.loaded().map(|g| (list.selected, g.len()))
            }
            GroupView::Members {
                members,
                total,
                list,
                ..
            } => {
                let total = total.map_or(0, |t| t.max(0) as usize);
                Some((list.selected, members.len().max(total)))
            }
            GroupView::Compare(c) => c.diff.as_ref().map(|d| (c.list.selected, d.len())),
        },
        Focus::Watchlist => Some((state.watch.list.selected, state.watch.rows.len())),
    }
}

/// The border around a pane, thick and bright when it has focus.
fn bordered(state: &State, pane: Focus, title: Line<'static>) -> Block<'static> {
    let focused = state.focus == pane;
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(if focused {
            theme::focused_border()
        } else {
            theme::border()
        })
        .title(title)
}

/// The style of row `index` of a list: selected (bright when the pane has focus) or plain.
pub fn row_style(state: &State, pane: Focus, list: &ListView, index: usize) -> Style {
    if index != list.selected {
        Style::new()
    } else if state.focus == pane && state.overlay == Overlay::None {
        theme::selected()
    } else {
        theme::selected_inactive()
    }
}

/// "1,204": thousands separators for counts (the one formatter, kept in `app` so `app` and the
/// CLI use it without reaching into `ui`).
pub use crate::app::thousands;

/// The braille spinner frame for `tick`.
pub fn spinner(tick: usize) -> char {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    FRAMES[tick % FRAMES.len()]
}

/// Every cell's symbol, row after row: what a test reads off a drawn frame.
#[cfg(test)]
pub(crate) fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    buffer.content().iter().map(|c| c.symbol()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_map_to_the_pane_and_list_row_under_them() {
        let a = layout(Rect::new(0, 0, 120, 40));
        // The first result row is below the border and the input line.
        assert_eq!(
            a.hit(a.search.x + 3, a.search.y + 2),
            Some((Focus::Search, Some(0)))
        );
        assert_eq!(
            a.hit(a.search.x + 3, a.search.y),
            Some((Focus::Search, None))
        );
        assert_eq!(
            a.hit(a.watch.x + 2, a.watch.y + 4),
            Some((Focus::Watchlist, Some(3)))
        );
        assert_eq!(a.hit(a.footer.x, a.footer.y), None);
    }

    #[test]
    fn the_count_never_says_more_of_fewer() {
        use crate::api::model::{Page, SearchResult, User};
        use crate::app::action::{Intent, Loaded};
        use crate::app::{update::update, Command};
        let user = |id: &str, name: &str| User {
            account_id: Some(id.into()),
            display_name: Some(name.into()),
            ..User::default()
        };
        let mut state = State::new("acme", Vec::new(), chrono::Utc::now());
        for (id, name) in [("1", "Ann"), ("2", "Anton"), ("3", "Anja")] {
            state.directory.upsert(user(id, name));
        }
        let cmds = update(
            &mut state,
            Intent::Edit(tui_input::InputRequest::InsertChar('a')),
        );
        let id = cmds
            .iter()
            .find_map(|c| match c {
                Command::SearchUsers { id, .. } => Some(*id),
                _ => None,
            })
            .unwrap();
        let page = Page {
            results: vec![SearchResult {
                user: Some(user("1", "Ann")),
                ..SearchResult::default()
            }],
            total_size: Some(1),
            ..Page::default()
        };
        update(
            &mut state,
            Loaded::Search {
                id,
                query: "a".into(),
                start: 0,
                result: Ok(page),
            },
        );
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
        terminal.draw(|f| render(f, &state)).unwrap();
        let text = screen_text(terminal.backend().buffer());
        assert!(text.contains("3, 1 from the site"), "{text}");
        assert!(!text.contains("3 of 1"));
    }

    #[test]
    fn a_terminal_past_the_limit_is_drawn_up_to_it_with_a_line_saying_so() {
        use ratatui::backend::TestBackend;
        assert_eq!(panes_area(Size::new(120, 40)), Rect::new(0, 0, 120, 40));
        assert_eq!(
            panes_area(Size::new(10_000, 10_000)),
            Rect::new(0, 0, MAX_WIDTH, MAX_HEIGHT - 1)
        );
        let state = State::new("acme", Vec::new(), chrono::Utc::now());
        // Only the width is past the limit: the frame holds what is drawn.
        let size = Size::new(MAX_WIDTH + 1000, 30);
        let drawn = drawn_size(size);
        let mut terminal =
            ratatui::Terminal::new(TestBackend::new(drawn.width, drawn.height)).unwrap();
        terminal.draw(|f| render_on(f, &state, size)).unwrap();
        let buffer = terminal.backend().buffer();
        let row =
            |y: u16| -> String { (0..drawn.width).map(|x| buffer[(x, y)].symbol()).collect() };
        let last = row(drawn.height - 1);
        assert!(
            last.contains(&format!("This terminal is {}×30", MAX_WIDTH + 1000)),
            "{last}"
        );
        // The footer moved up a row, above the note.
        assert!(
            row(drawn.height - 2).contains("Esc"),
            "{}",
            row(drawn.height - 2)
        );
    }

    #[test]
    fn an_opened_property_is_shown_whole_over_the_panes() {
        use crate::app::Loadable;
        use ratatui::backend::TestBackend;
        let mut state = State::new("acme", Vec::new(), chrono::Utc::now());
        state.focus = Focus::Profile;
        let value = (1..=12)
            .map(|i| format!("  \"line{i}\": {i},"))
            .collect::<Vec<_>>()
            .join("\n");
        state.profile.open_prop = Some(("team".into(), Loadable::Loaded(value)));
        let mut terminal = ratatui::Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| render(f, &state)).unwrap();
        let text = screen_text(terminal.backend().buffer());
        assert!(text.contains("property team"));
        // All twelve lines fit, although the profile pane has room for two.
        assert!(text.contains("\"line1\": 1") && text.contains("\"line12\": 12"));
    }
}
