//! Stage 1: Unicode normalisation.
//!
//! Only NFC is on by default, because NFC never changes how a text reads and
//! dictionary matching needs one spelling for "é". Everything else (NFKC,
//! quote and dash folding, whitespace squeezing) changes bytes a user may care
//! about, so it runs only when asked. Text that is already in the requested
//! form is returned borrowed, byte for byte: the common case costs one scan.

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which normalisations to apply, in the order listed on the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalization {
    /// Canonical composition (NFC). On by default.
    pub nfc: bool,
    /// Compatibility composition (NFKC): ligatures, full-width forms,
    /// superscripts. Implies NFC.
    pub nfkc: bool,
    /// Curly quotes and apostrophes to straight ones.
    pub fold_quotes: bool,
    /// En and em dashes, minus signs and similar to `-`.
    pub fold_dashes: bool,
    /// Runs of spaces and tabs inside a line to one space; no-break and other
    /// Unicode spaces to a plain space. Newlines are kept.
    pub squeeze_whitespace: bool,
}

impl Default for Normalization {
    fn default() -> Self {
        Normalization {
            nfc: true,
            nfkc: false,
            fold_quotes: false,
            fold_dashes: false,
            squeeze_whitespace: false,
        }
    }
}

impl Normalization {
    /// No normalisation at all: the text reaches the tokenizer untouched.
    pub fn none() -> Self {
        Normalization {
            nfc: false,
            ..Normalization::default()
        }
    }

    /// Applies the requested normalisations. Borrows when nothing changes.
    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Cow<'a, str> = Cow::Borrowed(text);
        if self.nfkc {
            if is_nfkc_quick(out.chars()) != IsNormalized::Yes {
                let s: String = out.nfkc().collect();
                if s != out {
                    out = Cow::Owned(s);
                }
            }
        } else if self.nfc && is_nfc_quick(out.chars()) != IsNormalized::Yes {
            let s: String = out.nfc().collect();
            if s != out {
                out = Cow::Owned(s);
            }
        }
        if self.fold_quotes {
            out = map_chars(out, fold_quote);
        }
        if self.fold_dashes {
            out = map_chars(out, fold_dash);
        }
        if self.squeeze_whitespace {
            out = squeeze(out);
        }
        out
    }
}

fn fold_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => Some('"'),
        _ => None,
    }
}

fn fold_dash(c: char) -> Option<char> {
    match c {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        _ => None,
    }
}

/// Replaces every char for which `f` returns a substitute; borrows if none.
fn map_chars(text: Cow<'_, str>, f: fn(char) -> Option<char>) -> Cow<'_, str> {
    if !text.chars().any(|c| f(c).is_some()) {
        return text;
    }
    Cow::Owned(text.chars().map(|c| f(c).unwrap_or(c)).collect())
}

fn is_inline_space(c: char) -> bool {
    c != '\n' && c != '\r' && c.is_whitespace()
}

fn squeeze(text: Cow<'_, str>) -> Cow<'_, str> {
    let needs = {
        let mut prev_space = false;
        text.chars().any(|c| {
            let space = is_inline_space(c);
            let hit = space && (prev_space || c != ' ');
            prev_space = space;
            hit
        })
    };
    if !needs {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut prev_space = false;
    for c in text.chars() {
        if is_inline_space(c) {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_borrows_when_already_composed() {
        let n = Normalization::default();
        assert_eq!(n.apply("cafe\u{301}"), "caf\u{e9}");
        assert!(matches!(n.apply("caf\u{e9} “quoted”"), Cow::Borrowed(_)));
    }

    #[test]
    fn default_keeps_quotes_dashes_and_spacing() {
        let text = "“Yes” – he said,\u{a0} twice\t\tthen";
        assert_eq!(Normalization::default().apply(text), text);
    }

    #[test]
    fn none_keeps_decomposed_text() {
        assert_eq!(Normalization::none().apply("e\u{301}"), "e\u{301}");
    }

    #[test]
    fn nfkc_folds_ligatures() {
        let n = Normalization {
            nfkc: true,
            ..Normalization::default()
        };
        assert_eq!(n.apply("\u{FB01}nal ５"), "final 5");
    }

    #[test]
    fn optional_folds() {
        let n = Normalization {
            fold_quotes: true,
            fold_dashes: true,
            squeeze_whitespace: true,
            ..Normalization::default()
        };
        assert_eq!(
            n.apply("“It’s” — a\u{a0} \ttest\n\nnext"),
            "\"It's\" - a test\n\nnext"
        );
    }
}
