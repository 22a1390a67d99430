//! One list's selection and scroll ([`ListView`]), and how many rows each list shows on the
//! current terminal ([`ListHeights`]). Plain data with the clamping arithmetic; it decides
//! nothing about what a list holds. Re-exported by `state`, where every pane keeps its lists.

/// Selection and scroll offset of one list, clamped against its length and visible height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListView {
    /// The selected row's index.
    pub selected: usize,
    /// The first visible row's index.
    pub offset: usize,
}

impl ListView {
    /// Moves the selection by `delta` rows (clamped) and scrolls so it stays visible.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = ListView::default();
            return;
        }
        let target = (self.selected as isize + delta).clamp(0, len as isize - 1) as usize;
        self.select(target, len, height);
    }

    /// Selects `index` (clamped) and scrolls so it is visible.
    pub fn select(&mut self, index: usize, len: usize, height: usize) {
        if len == 0 {
            *self = ListView::default();
            return;
        }
        let height = height.max(1);
        self.selected = index.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }

    /// Re-clamps after the list changed length.
    pub fn clamp(&mut self, len: usize, height: usize) {
        self.select(self.selected, len, height);
    }

    /// The visible index range.
    pub fn window(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        let start = self.offset.min(len);
        start..(start + height).min(len)
    }
}

/// Visible rows of each list, from the layout of the current terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListHeights {
    /// Search results.
    pub results: usize,
    /// The profile's property keys.
    pub props: usize,
    /// Groups or members.
    pub groups: usize,
    /// Watch-list rows.
    pub watch: usize,
    /// The error log overlay.
    pub overlay: usize,
    /// The help overlay's rows of keys.
    pub help: usize,
    /// The profile pane is wide enough to show short property values beside their keys.
    pub props_inline: bool,
}

impl Default for ListHeights {
    fn default() -> Self {
        ListHeights {
            results: 20,
            props: 4,
            groups: 10,
            watch: 10,
            overlay: 16,
            help: 16,
            props_inline: false,
        }
    }
}
