//! despin finds and repairs machine-spun English: text that an "article
//! spinner" has run through a thesaurus ("stormed again to energy" for
//! "stormed back to power").
//!
//! The library is a pipeline of pure stages, one module each, with no I/O:
//!
//! 1. [`normalize`]: Unicode NFC (and more, when asked);
//! 2. [`token`]: words, numbers and punctuation with byte spans, case,
//!    sentence starts and quotations;
//! 3. [`detect`]: dictionary matches (one trie of words), then
//!    inflected and misspelt variants (similarity scoring);
//! 4. [`decide`]: a per-document spin score and a confidence per candidate;
//! 5. [`rewrite`]: splices with case carried over and articles agreed.
//!
//! [`Cleaner`] runs them; [`jsonl`] applies it to one field of a JSON Lines
//! record and [`diff`] renders a word diff. The binary (`src/main.rs`) adds
//! files, threads and the command line.
//!
//! ```
//! use despin::{Cleaner, Dictionary, Options};
//! let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
//! let out = cleaner.clean("The NRF took the principle street, he instructed AFP.");
//! assert_eq!(out.text, "The NRF took the main road, he told AFP.");
//! ```

pub mod clean;
pub mod context;
pub mod decide;
pub mod detect;
pub mod dict;
pub mod diff;
pub mod eval;
pub mod fxhash;
pub mod jsonl;
pub mod learn;
pub mod lint;
pub mod lm;
pub mod morph;
pub mod normalize;
pub mod packs;
pub mod rewrite;
pub mod suggest;
pub mod thesaurus;
pub mod token;

pub use clean::{Cleaned, CleanedBytes, Cleaner, Edit, EditKind, Options};
pub use decide::{Decider, SpinScore};
pub use dict::{Class, DictError, Dictionary};
pub use normalize::Normalization;
