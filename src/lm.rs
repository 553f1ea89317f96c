//! A trigram language model of clean English, embedded in the binary.
//!
//! The table is compiled offline by `models/build.py` from the CMU Sphinx US
//! English model (72k words, 2.04M bigrams, and the 1.54M of its 1.67M
//! trigrams that its back-off does not already predict), with Katz back-off
//! weights, quantised to 0.1 in log10 (3 bytes an n-gram). It answers one question for
//! the decision stage: how likely is this phrase between these neighbours,
//! so that the original a spinner replaced can be told from the word it put
//! there ("back to power" against "again to energy").
//!
//! Loading checks the layout and builds the word index and the trigram
//! offsets (a few milliseconds, once, shared by every thread).

use crate::fxhash::WordMap;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The compiled table shipped with despin.
static BUILTIN: &[u8] = include_bytes!("../models/lm.bin");

/// log10 probability given to a word the model does not know.
pub const OOV_LOG10: f32 = -7.0;

/// A malformed model table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language model table: {0}")]
pub struct LmError(String);

/// A bigram model with back-off over a borrowed table.
#[derive(Debug)]
pub struct LanguageModel {
    ids: WordMap<&'static str>,
    unigram: &'static [u8],
    backoff: &'static [u8],
    offsets: &'static [u8],
    bigrams: &'static [u8],
    bigram_backoff: &'static [u8],
    /// Open-addressing index of the bigrams by (w1, w2): the bigram's
    /// index, or `EMPTY`. A lookup is one or two probes where a binary
    /// search of a common word's followers took a dozen, each a likely
    /// cache miss: the model is consulted for every candidate's context.
    bigram_slots: Vec<u32>,
    /// Where each bigram's trigrams start (one more entry than bigrams).
    trigram_start: Vec<u32>,
    trigrams: &'static [u8],
    start: Option<u32>,
    end: Option<u32>,
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Entry `i` of a table of 3-byte `word | q << 17` entries.
fn entry_at(table: &[u8], i: usize) -> u32 {
    let b = &table[3 * i..3 * i + 3];
    u32::from_le_bytes([b[0], b[1], b[2], 0])
}

/// An empty slot of the bigram index.
const EMPTY: u32 = u32::MAX;

/// The home slot of bigram (w1, w2) in an index of `size` (a power of two)
/// slots: Fibonacci hashing of the pair.
fn slot_of(w1: u32, w2: u32, size: usize) -> usize {
    let k = ((u64::from(w1) << 32) | u64::from(w2)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (k >> (64 - size.trailing_zeros())) as usize
}

impl LanguageModel {
    /// The model shipped in the binary, parsed once.
    pub fn builtin() -> &'static LanguageModel {
        static LM: OnceLock<LanguageModel> = OnceLock::new();
        LM.get_or_init(|| LanguageModel::parse(BUILTIN).expect("the shipped model parses"))
    }

    /// Reads a table in the format `models/build.py` writes.
    pub fn parse(data: &'static [u8]) -> Result<LanguageModel, LmError> {
        let err = |m: &str| LmError(m.to_string());
        if data.len() < 28 || &data[..8] != b"DSLM\x02\x00\x00\x00" {
            return Err(err("bad magic"));
        }
        let n = u32_at(data, 8) as usize;
        let n_big = u32_at(data, 12) as usize;
        let n_tri = u32_at(data, 16) as usize;
        let n_over = u32_at(data, 20) as usize;
        let vocab_len = u32_at(data, 24) as usize;
        let mut pos = 28;
        let take = |pos: &mut usize, len: usize| -> Result<&'static [u8], LmError> {
            let s = data.get(*pos..*pos + len).ok_or_else(|| err("truncated"))?;
            *pos += len;
            Ok(s)
        };
        let vocab = std::str::from_utf8(take(&mut pos, vocab_len)?)
            .map_err(|_| err("vocabulary is not UTF-8"))?;
        let unigram = take(&mut pos, n)?;
        let backoff = take(&mut pos, n)?;
        let offsets = take(&mut pos, 4 * (n + 1))?;
        let bigrams = take(&mut pos, 3 * n_big)?;
        let bigram_backoff = take(&mut pos, n_big)?;
        let counts = take(&mut pos, n_big)?;
        let overflow = take(&mut pos, 8 * n_over)?;
        let trigrams = take(&mut pos, 3 * n_tri)?;
        if pos != data.len() || u32_at(offsets, 4 * n) as usize != n_big {
            return Err(err("sizes do not add up"));
        }
        let mut big_counts: HashMap<usize, u32> = HashMap::new();
        for i in 0..n_over {
            big_counts.insert(
                u32_at(overflow, 8 * i) as usize,
                u32_at(overflow, 8 * i + 4),
            );
        }
        let mut trigram_start = Vec::with_capacity(n_big + 1);
        let mut at = 0u32;
        for (e, &c) in counts.iter().enumerate() {
            trigram_start.push(at);
            at += if c == 255 {
                *big_counts
                    .get(&e)
                    .ok_or_else(|| err("missing trigram count"))?
            } else {
                c as u32
            };
        }
        trigram_start.push(at);
        if at as usize != n_tri {
            return Err(err("trigram counts do not add up"));
        }
        let mut ids: WordMap<&'static str> = WordMap::default();
        for (i, w) in vocab.split_terminator('\n').enumerate() {
            ids.get_or_insert(w, i as u32);
        }
        if ids.len() != n {
            return Err(err("vocabulary size"));
        }
        let bigram_slots = Self::index_bigrams(n, offsets, bigrams);
        Ok(LanguageModel {
            bigram_slots,
            start: ids.get("<s>"),
            end: ids.get("</s>"),
            ids,
            unigram,
            backoff,
            offsets,
            bigrams,
            bigram_backoff,
            trigram_start,
            trigrams,
        })
    }

    /// The id of a lower-case word.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word)
    }

    /// The sentence-start marker.
    pub fn sentence_start(&self) -> Option<u32> {
        self.start
    }

    /// The sentence-end marker.
    pub fn sentence_end(&self) -> Option<u32> {
        self.end
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.unigram.len()
    }

    /// True for an empty model.
    pub fn is_empty(&self) -> bool {
        self.unigram.is_empty()
    }

    /// log10 P(word).
    pub fn unigram(&self, w: Option<u32>) -> f32 {
        w.map_or(OOV_LOG10, |w| -(self.unigram[w as usize] as f32) / 10.0)
    }

    fn backoff(&self, w: u32) -> f32 {
        self.backoff[w as usize] as f32 / 20.0 - 6.35
    }

    /// Binary search of 3-byte `word | q << 17` entries `lo..hi` for `w`:
    /// the entry index and its log10 probability.
    fn search(table: &[u8], lo: usize, hi: usize, w: u32) -> Option<(usize, f32)> {
        let entry = |i: usize| entry_at(table, i);
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let e = entry(mid);
            match (e & 0x1FFFF).cmp(&w) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((mid, -((e >> 17) as f32) / 10.0)),
            }
        }
        None
    }

    /// The `bigram_slots` table for `n` words: a power of two at least
    /// twice the number of bigrams, so probes stay short.
    fn index_bigrams(n: usize, offsets: &[u8], bigrams: &[u8]) -> Vec<u32> {
        let n_big = bigrams.len() / 3;
        let size = (2 * n_big).next_power_of_two().max(2);
        let mut slots = vec![EMPTY; size];
        for w1 in 0..n {
            let lo = u32_at(offsets, 4 * w1) as usize;
            let hi = u32_at(offsets, 4 * (w1 + 1)) as usize;
            for idx in lo..hi {
                let w2 = entry_at(bigrams, idx) & 0x1FFFF;
                let mut s = slot_of(w1 as u32, w2, size);
                while slots[s] != EMPTY {
                    s = (s + 1) & (size - 1);
                }
                slots[s] = idx as u32;
            }
        }
        slots
    }

    fn stored_bigram(&self, w1: u32, w2: u32) -> Option<(usize, f32)> {
        let lo = u32_at(self.offsets, 4 * w1 as usize) as usize;
        let hi = u32_at(self.offsets, 4 * (w1 as usize + 1)) as usize;
        if lo == hi {
            return None;
        }
        let size = self.bigram_slots.len();
        let mut s = slot_of(w1, w2, size);
        loop {
            let idx = self.bigram_slots[s];
            if idx == EMPTY {
                return None;
            }
            let idx = idx as usize;
            if (lo..hi).contains(&idx) {
                let e = entry_at(self.bigrams, idx);
                if e & 0x1FFFF == w2 {
                    return Some((idx, -((e >> 17) as f32) / 10.0));
                }
            }
            s = (s + 1) & (size - 1);
        }
    }

    /// log10 P(w2 | w1), backing off to the unigram. An unknown `w1` gives
    /// the unigram; an unknown `w2` gives [`OOV_LOG10`].
    pub fn bigram(&self, w1: Option<u32>, w2: Option<u32>) -> f32 {
        let Some(w2) = w2 else {
            return OOV_LOG10;
        };
        match w1 {
            Some(w1) => self
                .stored_bigram(w1, w2)
                .map_or_else(|| self.backoff(w1) + self.unigram(Some(w2)), |(_, p)| p),
            None => self.unigram(Some(w2)),
        }
    }

    /// log10 P(w3 | w1 w2), backing off to the bigram P(w3 | w2) with the
    /// back-off weight of the context (none if the context was never seen).
    pub fn trigram(&self, w1: Option<u32>, w2: Option<u32>, w3: Option<u32>) -> f32 {
        let (Some(a), Some(b), Some(c)) = (w1, w2, w3) else {
            return self.bigram(w2, w3);
        };
        match self.stored_bigram(a, b) {
            Some((e, _)) => {
                let lo = self.trigram_start[e] as usize;
                let hi = self.trigram_start[e + 1] as usize;
                match Self::search(self.trigrams, lo, hi, c) {
                    Some((_, p)) => p,
                    None => self.bigram_backoff[e] as f32 / 20.0 - 6.35 + self.bigram(w2, w3),
                }
            }
            None => self.bigram(w2, w3),
        }
    }

    /// log10 probability of `words` (ids) between two words of left
    /// context and two of right context: every trigram whose last word is a
    /// phrase word or a right-context word, so that two readings of the same
    /// slot can be compared. `None` context words (unknown, or beyond a
    /// sentence boundary) shorten the history.
    pub fn phrase(
        &self,
        left: [Option<u32>; 2],
        words: &[Option<u32>],
        right: [Option<u32>; 2],
    ) -> f32 {
        let mut lp = 0.0;
        let (mut h2, mut h1) = (left[0], left[1]);
        for &w in words.iter().chain(right.iter().take_while(|r| r.is_some())) {
            lp += self.trigram(h2, h1, w);
            h2 = h1;
            h1 = w;
        }
        lp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lm() -> &'static LanguageModel {
        LanguageModel::builtin()
    }

    fn id(w: &str) -> Option<u32> {
        lm().id(w)
    }

    /// `left` and `right` hold one or two words.
    fn p(left: &str, words: &str, right: &str) -> f32 {
        let l: Vec<Option<u32>> = left.split(' ').map(id).collect();
        let r: Vec<Option<u32>> = right.split(' ').map(id).collect();
        let left = if l.len() == 2 {
            [l[0], l[1]]
        } else {
            [None, l[0]]
        };
        let right = [r[0], r.get(1).copied().flatten()];
        let ws: Vec<Option<u32>> = words.split(' ').map(id).collect();
        lm().phrase(left, &ws, right)
    }

    #[test]
    fn loads_the_shipped_table() {
        assert!(lm().len() > 70_000);
        assert!(id("said").is_some());
        assert!(id("Said").is_none());
        assert!(lm().sentence_start().is_some() && lm().sentence_end().is_some());
    }

    #[test]
    fn trigrams_match_the_source_model() {
        // pocketsphinx gives P(power | back to) = -73929.78 in log base
        // 1.0001, i.e. -3.2106 in log10; quantised to 0.1.
        let t = lm().trigram(id("back"), id("to"), id("power"));
        assert!((t - -3.2).abs() < 0.051, "{t}");
        // A pruned or unseen trigram backs off to the bigram.
        let unseen = lm().trigram(id("back"), id("to"), id("energy"));
        assert!(unseen < t - 1.0, "{unseen}");
        assert_eq!(
            lm().trigram(None, id("to"), id("power")),
            lm().bigram(id("to"), id("power"))
        );
    }

    #[test]
    fn prefers_the_original_in_context() {
        assert!(
            p("stormed back", "to power", "</s>") > p("stormed again", "to energy", "</s>") + 1.0
        );
        assert!(
            p("large", "military offensive", "against the")
                > p("large", "navy offensive", "against the") + 1.0
        );
        assert!(p("took", "control", "of a") > p("took", "management", "of a") + 1.0);
        assert!(p("he", "told", "reporters on") > p("he", "instructed", "reporters on") + 1.0);
        assert!(p("killed", "at", "the end") > p("killed", "on", "the end") + 1.0);
    }

    #[test]
    fn backs_off_and_handles_unknown_words() {
        let said = id("said");
        let zyx = id("zyxwv");
        assert_eq!(zyx, None);
        assert_eq!(lm().bigram(said, zyx), OOV_LOG10);
        assert_eq!(lm().bigram(None, said), lm().unigram(said));
        let rare = id("aardvark");
        let b = lm().bigram(said, rare);
        assert!(b < lm().unigram(rare), "{b}");
    }

    #[test]
    fn rejects_bad_tables() {
        assert_eq!(
            LanguageModel::parse(b"nope").unwrap_err().to_string(),
            "language model table: bad magic"
        );
        let mut bad = b"DSLM\x02\x00\x00\x00".to_vec();
        bad.extend_from_slice(&[
            1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, b'a',
        ]);
        let bad: &'static [u8] = Box::leak(bad.into_boxed_slice());
        assert_eq!(
            LanguageModel::parse(bad).unwrap_err().to_string(),
            "language model table: truncated"
        );
    }
}
