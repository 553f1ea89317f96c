//! A bigram language model of clean English, embedded in the binary.
//!
//! The table is compiled offline by `models/build.py` from the CMU Sphinx US
//! English model (72k words, 2.05M bigrams with Katz back-off weights),
//! quantised to 0.1 in log10 (3 bytes a bigram). It answers one question for
//! the decision stage: how likely is this phrase between these neighbours,
//! so that the original a spinner replaced can be told from the word it put
//! there ("back to power" against "again to energy").
//!
//! Loading parses only the header; the word index is built on first use
//! (a few milliseconds) and shared by every thread.

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
    ids: HashMap<&'static str, u32>,
    unigram: &'static [u8],
    backoff: &'static [u8],
    offsets: &'static [u8],
    bigrams: &'static [u8],
    start: Option<u32>,
    end: Option<u32>,
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
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
        if data.len() < 20 || &data[..8] != b"DSLM\x01\x00\x00\x00" {
            return Err(err("bad magic"));
        }
        let n = u32_at(data, 8) as usize;
        let n_big = u32_at(data, 12) as usize;
        let vocab_len = u32_at(data, 16) as usize;
        let mut pos = 20;
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
        if pos != data.len() || u32_at(offsets, 4 * n) as usize != n_big {
            return Err(err("sizes do not add up"));
        }
        let ids: HashMap<&'static str, u32> = vocab
            .split_terminator('\n')
            .enumerate()
            .map(|(i, w)| (w, i as u32))
            .collect();
        if ids.len() != n {
            return Err(err("vocabulary size"));
        }
        Ok(LanguageModel {
            start: ids.get("<s>").copied(),
            end: ids.get("</s>").copied(),
            ids,
            unigram,
            backoff,
            offsets,
            bigrams,
        })
    }

    /// The id of a lower-case word.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
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

    fn stored_bigram(&self, w1: u32, w2: u32) -> Option<f32> {
        let lo = u32_at(self.offsets, 4 * w1 as usize) as usize;
        let hi = u32_at(self.offsets, 4 * (w1 as usize + 1)) as usize;
        let entry = |i: usize| {
            let b = &self.bigrams[3 * i..3 * i + 3];
            u32::from_le_bytes([b[0], b[1], b[2], 0])
        };
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let e = entry(mid);
            match (e & 0x1FFFF).cmp(&w2) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(-((e >> 17) as f32) / 10.0),
            }
        }
        None
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
                .unwrap_or_else(|| self.backoff(w1) + self.unigram(Some(w2))),
            None => self.unigram(Some(w2)),
        }
    }

    /// log10 probability of `words` (ids) between `left` and `right`:
    /// P(w1 | left) · Π P(wi | wi-1) · P(right | wn).
    pub fn phrase(&self, left: Option<u32>, words: &[Option<u32>], right: Option<u32>) -> f32 {
        let mut lp = 0.0;
        let mut prev = left;
        for &w in words {
            lp += self.bigram(prev, w);
            prev = w;
        }
        if right.is_some() {
            lp += self.bigram(prev, right);
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

    fn p(left: &str, words: &str, right: &str) -> f32 {
        let id = |w: &str| lm().id(w);
        let ws: Vec<Option<u32>> = words.split(' ').map(id).collect();
        lm().phrase(id(left), &ws, id(right))
    }

    #[test]
    fn loads_the_shipped_table() {
        assert!(lm().len() > 70_000);
        assert!(lm().id("said").is_some());
        assert!(lm().id("Said").is_none());
        assert!(lm().sentence_start().is_some() && lm().sentence_end().is_some());
    }

    #[test]
    fn prefers_the_original_in_context() {
        assert!(p("back", "to power", "</s>") > p("back", "to energy", "</s>") + 0.5);
        assert!(p("military", "offensive", "against") > p("navy", "offensive", "against") + 1.0);
        assert!(p("the", "main", "road") > p("the", "principle", "road") + 1.0);
        assert!(p("he", "told", "reporters") > p("he", "instructed", "reporters") + 1.0);
    }

    #[test]
    fn backs_off_and_handles_unknown_words() {
        let said = lm().id("said");
        let zyx = lm().id("zyxwv");
        assert_eq!(zyx, None);
        assert_eq!(lm().bigram(said, zyx), OOV_LOG10);
        assert_eq!(lm().bigram(None, said), lm().unigram(said));
        let rare = lm().id("aardvark");
        let b = lm().bigram(said, rare);
        assert!(b < lm().unigram(rare), "{b}");
    }

    #[test]
    fn rejects_bad_tables() {
        assert_eq!(
            LanguageModel::parse(b"nope").unwrap_err().to_string(),
            "language model table: bad magic"
        );
        assert_eq!(
            LanguageModel::parse(
                b"DSLM\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x00ab"
            )
            .unwrap_err()
            .to_string(),
            "language model table: truncated"
        );
    }
}
