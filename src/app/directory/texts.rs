//! Every person's search forms (the folded key and the other forms) in one buffer, side by side
//! in directory order: matching walks memory in order instead of following a pointer per
//! person to a string of its own, and a person costs 12 bytes of offsets instead of two heap
//! allocations.

/// The search forms of every person, by directory index.
#[derive(Debug, Clone, Default)]
pub(super) struct Texts {
    /// Key and other forms of each person, one after the other.
    text: String,
    /// Per person: where the key starts, where it ends (and the other forms start), where they end.
    spans: Vec<[u32; 3]>,
}

impl Texts {
    /// Appends `key` and `alts` and returns their span.
    fn append(&mut self, key: &str, alts: &str) -> [u32; 3] {
        // Offsets fit in u32 up to 4 GB of names: 150,000 people take about 10 MB.
        let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let start = at(self.text.len());
        self.text.push_str(key);
        let mid = at(self.text.len());
        self.text.push_str(alts);
        [start, mid, at(self.text.len())]
    }

    /// Adds the next person's forms.
    pub(super) fn push(&mut self, key: &str, alts: &str) {
        let span = self.append(key, alts);
        self.spans.push(span);
    }

    /// Replaces person `index`'s forms (the old text stays unused until the next start).
    pub(super) fn set(&mut self, index: usize, key: &str, alts: &str) {
        let span = self.append(key, alts);
        if let Some(slot) = self.spans.get_mut(index) {
            *slot = span;
        }
    }

    /// Reserves room for `people` more people.
    pub(super) fn reserve(&mut self, people: usize) {
        self.spans.reserve(people);
        self.text.reserve(people * 40);
    }

    /// Person `index`'s folded key.
    pub(super) fn key(&self, index: usize) -> &str {
        self.spans
            .get(index)
            .and_then(|&[s, m, _]| self.text.get(s as usize..m as usize))
            .unwrap_or("")
    }

    /// Person `index`'s other forms (empty for most).
    pub(super) fn alts(&self, index: usize) -> &str {
        self.spans
            .get(index)
            .and_then(|&[_, m, e]| self.text.get(m as usize..e as usize))
            .unwrap_or("")
    }
}
