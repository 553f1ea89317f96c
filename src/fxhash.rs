//! A fast, non-cryptographic hasher for the hot lookup tables.
//!
//! Every token of every document is looked up in a few tables (dictionary
//! anchors, inflection bases, the language model's vocabulary); with std's
//! SipHash that hashing alone was a tenth of the run time. Keys here are
//! short words chosen by the dictionary and the model, not by an attacker
//! in a position to cause collisions that matter (a slow lookup, not a
//! wrong one), so the multiply-rotate hash used inside rustc serves.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher (rustc's "FxHash": rotate, xor, multiply, 8 bytes a step).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_hashes_differ_by_content() {
        let mut m: FxHashMap<String, u32> = FxHashMap::default();
        for (i, w) in ["a", "ab", "abcdefgh", "abcdefghi", ""].iter().enumerate() {
            m.insert(w.to_string(), i as u32);
        }
        assert_eq!(m.get("abcdefghi"), Some(&3));
        assert_eq!(m.get(""), Some(&4));
        assert_eq!(m.get("abcdefg"), None);
        let h = |s: &str| {
            let mut h = FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_ne!(h("navy"), h("navies"));
    }
}

/// A set of words as 8,192 bits (1 KiB): a word's bit comes from its
/// length and its first and last two bytes. A clear bit proves a word is
/// not in the set, at the cost of a few instructions and no hashing of the
/// whole word; a set bit means "look it up". With a hundred or a thousand
/// words in the set, most other words of a text find their bit clear.
#[derive(Debug, Clone)]
pub struct WordSketch {
    bits: Box<[u64; SKETCH_WORDS]>,
}

const SKETCH_WORDS: usize = 128;

impl Default for WordSketch {
    fn default() -> Self {
        WordSketch {
            bits: Box::new([0; SKETCH_WORDS]),
        }
    }
}

impl WordSketch {
    /// The bit of `w`.
    #[inline]
    fn bit(w: &[u8]) -> usize {
        let n = w.len();
        let at = |i: usize| u32::from(w.get(i).copied().unwrap_or(0));
        let k = (n.min(255) as u32)
            | at(0) << 8
            | at(1) << 16
            | at(n.wrapping_sub(1)) << 24 ^ at(n.wrapping_sub(2)) << 20;
        (k.wrapping_mul(0x9E37_79B1) >> (32 - (SKETCH_WORDS * 64).trailing_zeros())) as usize
    }

    /// Adds `w`.
    pub fn insert(&mut self, w: &str) {
        let b = Self::bit(w.as_bytes());
        self.bits[b / 64] |= 1 << (b % 64);
    }

    /// False if `w` was certainly not added.
    #[inline]
    pub fn may_contain(&self, w: &str) -> bool {
        let b = Self::bit(w.as_bytes());
        self.bits[b / 64] & (1 << (b % 64)) != 0
    }
}

/// Words to ids, for the lookups made for every token. A word of up to
/// seven bytes (most words) is packed with its length into a `u64`, so its
/// lookup hashes one integer and compares one integer; longer words go to
/// an ordinary map of strings (`K`: `Box<str>` or a borrowed `&str`).
#[derive(Debug, Clone)]
pub struct WordMap<K> {
    short: FxHashMap<u64, u32>,
    long: FxHashMap<K, u32>,
}

impl<K> Default for WordMap<K> {
    fn default() -> Self {
        WordMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

/// `w` packed with its length if it has at most seven bytes.
#[inline]
fn pack(w: &str) -> Option<u64> {
    let b = w.as_bytes();
    if b.len() > 7 {
        return None;
    }
    let mut k = (b.len() as u64) << 56;
    for (i, &c) in b.iter().enumerate() {
        k |= u64::from(c) << (8 * i);
    }
    Some(k)
}

impl<K: std::borrow::Borrow<str> + std::hash::Hash + Eq> WordMap<K> {
    /// The id of `w`.
    #[inline]
    pub fn get(&self, w: &str) -> Option<u32> {
        match pack(w) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(w).copied(),
        }
    }

    /// The id of `key`, given `id` if it has none yet.
    pub fn get_or_insert(&mut self, key: K, id: u32) -> u32 {
        match pack(key.borrow()) {
            Some(k) => *self.short.entry(k).or_insert(id),
            None => *self.long.entry(key).or_insert(id),
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// True if there are no words.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
