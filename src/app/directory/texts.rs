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
    /// Bytes of `text` no span points at (forms replaced since it was last rewritten).
    unused: usize,
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

    /// Replaces person `index`'s forms. The old text is left unused; when the unused text
    /// outgrows the used, the buffer is rewritten without it.
    pub(super) fn set(&mut self, index: usize, key: &str, alts: &str) {
        let Some(&[start, _, end]) = self.spans.get(index) else {
            return;
        };
        self.unused += (end - start) as usize;
        let span = self.append(key, alts);
        self.spans[index] = span;
        if self.unused > self.text.len() / 2 {
            self.rewrite();
        }
    }

    /// Rewrites the buffer with the forms in use only, in directory order.
    fn rewrite(&mut self) {
        let old = std::mem::take(&mut self.text);
        self.text.reserve(old.len() - self.unused);
        for span in &mut self.spans {
            let [start, mid, end] = *span;
            let part = |from: u32, to: u32| old.get(from as usize..to as usize).unwrap_or("");
            let from = self.text.len();
            self.text.push_str(part(start, mid));
            let middle = self.text.len();
            self.text.push_str(part(mid, end));
            let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
            *span = [at(from), at(middle), at(self.text.len())];
        }
        self.unused = 0;
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

    /// True when person `index`'s folded key starts with `c`: for an ASCII char, one byte
    /// compared, as ranking asks it of everyone.
    pub(super) fn key_starts_with(&self, index: usize, c: char) -> bool {
        let Some(&[start, mid, _]) = self.spans.get(index) else {
            return false;
        };
        if c.is_ascii() {
            return start < mid && self.text.as_bytes().get(start as usize) == Some(&(c as u8));
        }
        self.key(index).starts_with(c)
    }

    /// Person `index`'s other forms (empty for most).
    pub(super) fn alts(&self, index: usize) -> &str {
        self.spans
            .get(index)
            .and_then(|&[_, m, e]| self.text.get(m as usize..e as usize))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_starts_with_a_char_by_its_first_byte_or_its_first_char() {
        let mut texts = Texts::default();
        texts.push("ada lovelace", "");
        texts.push("", "ada");
        texts.push("иван петров", "ivan petrov");
        assert!(texts.key_starts_with(0, 'a'));
        assert!(!texts.key_starts_with(0, 'd'));
        // An empty key starts with nothing, even where the next person's forms follow it.
        assert!(!texts.key_starts_with(1, 'a'));
        assert!(texts.key_starts_with(2, 'и'));
        assert!(!texts.key_starts_with(2, 'i'));
        assert!(!texts.key_starts_with(3, 'a'));
    }

    #[test]
    fn replaced_forms_read_new_and_the_old_text_is_given_back() {
        let mut texts = Texts::default();
        texts.push("ada lovelace", "");
        texts.push("wang xiaoming", "wang");
        let one = texts.text.len();
        for round in 0..100 {
            texts.set(0, &format!("ada {round}"), "ada");
        }
        assert_eq!((texts.key(0), texts.alts(0)), ("ada 99", "ada"));
        assert_eq!((texts.key(1), texts.alts(1)), ("wang xiaoming", "wang"));
        assert!(texts.text.len() < 3 * one, "{} bytes", texts.text.len());
    }
}
