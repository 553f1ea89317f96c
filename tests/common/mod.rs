//! What the command-line tests share: the spun and fixed sentence, five
//! JSON Lines records with every kind of line, writing a file, and a
//! seeded random generator.

#![allow(dead_code)] // each test file uses part of it

use std::fs;
use std::path::Path;

pub const SPUN: &str = "In August final 12 months, he instructed AFP.\n";
pub const FIXED: &str = "In August last year, he told AFP.\n";

/// Five lines: a spun record, a malformed line, an unchanged CRLF record,
/// a record without the field, and a spun record without a final newline.
pub const RECORDS_IN: &str = concat!(
    r#"{"id": 7, "n": 1.50, "text": "In August final 12 months \u00e9", "z": "final 12 months"}"#,
    "\n",
    "not json\n",
    "{\"text\":\"unchanged \\u00e9\",\"id\":\"x\"}\r\n",
    r#"{"title": "no text"}"#,
    "\n",
    r#"{"text":"he instructed AFP"}"#,
);

pub const RECORDS_OUT: &str = concat!(
    r#"{"id": 7, "n": 1.50, "text": "In August last year é", "z": "final 12 months"}"#,
    "\n",
    "not json\n",
    "{\"text\":\"unchanged \\u00e9\",\"id\":\"x\"}\r\n",
    r#"{"title": "no text"}"#,
    "\n",
    r#"{"text":"he told AFP"}"#,
);

/// Writes `contents` to `dir/rel`, making the folders it needs.
pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// A small deterministic generator (xorshift64*), so the random cases are
/// the same on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
