//! Stage 5: rewrite the text with the chosen repairs.
//!
//! The rewriter is the only stage that produces bytes, and it is deliberately
//! dumb: it copies the text, substituting given byte spans, so every byte
//! outside a repair comes out as it went in. What it adds is what only it can
//! see: the case of the spun form (carried over to the original) and the
//! article in front of a repair ("a" becomes "an" when the repaired word
//! starts with a vowel sound).

use crate::token::{Case, Kind, Token};
use std::ops::Range;

/// One substitution, in the rewriter's input coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    /// Byte span to replace.
    pub span: Range<usize>,
    /// Text to put there.
    pub text: String,
}

/// Carries the case of `from` (the spun text) over to `to` (the original as
/// written in the dictionary).
///
/// * lower → `to` as written (keeps the capitals of names: "fb" → "Facebook");
/// * Title → first letter of `to` upper-cased;
/// * UPPER (two letters or more) → `to` upper-cased;
/// * anything else → `to` as written.
///
/// For a phrase, the first word decides, unless every letter is upper case.
pub fn transfer_case(from: &str, to: &str) -> String {
    let first_word = from.split_whitespace().next().unwrap_or("");
    let case = match Case::of(from) {
        Case::Upper => Case::Upper,
        _ => Case::of(first_word),
    };
    match case {
        Case::Upper => to.to_uppercase(),
        Case::Title => capitalize(to),
        _ => to.to_string(),
    }
}

/// Upper-cases the first letter.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// True if `word` is read with a vowel sound first, so takes "an".
pub fn wants_an(word: &str) -> bool {
    let lower = word.to_lowercase();
    let Some(first) = lower.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() {
        // "an 8", "an 11-year-old", "an 18th", "an 80-page": read "eight…",
        // "eleven", "eighteen".
        let digits: String = lower.chars().take_while(|c| c.is_ascii_digit()).collect();
        return digits.starts_with('8')
            || ((digits == "11" || digits == "18")
                && !lower[2..].starts_with(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
    }
    // Acronyms read letter by letter: "an NRF", "a UN", "an FBI".
    let letters: Vec<char> = word.chars().take_while(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.len() <= 5 && letters.iter().all(|c| c.is_uppercase()) {
        return "AEFHILMNORSX".contains(letters[0]);
    }
    const SILENT_H: &[&str] = &["hour", "honest", "honor", "honour", "heir"];
    if SILENT_H.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    const YOU_SOUND: &[&str] = &[
        "uni", "use", "usu", "uti", "ura", "uro", "eu", "ewe", "one", "once", "ubiq", "ukr",
    ];
    if YOU_SOUND.iter().any(|p| lower.starts_with(p)) {
        // "unimportant", "uninformed" are read with a short u.
        return lower.starts_with("unin") || lower.starts_with("unim");
    }
    "aeiou".contains(first)
}

/// Why a set of splices cannot be applied ([`try_splice`]). Each variant
/// names the offending splice by its index in the slice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpliceError {
    /// The span ends before it starts.
    #[error("splice {index}: span {start}..{end} ends before it starts")]
    Reversed {
        /// Index of the splice.
        index: usize,
        /// Its span's start.
        start: usize,
        /// Its span's end.
        end: usize,
    },
    /// The span reaches past the end of the text.
    #[error("splice {index}: span {start}..{end} is out of bounds of a {len}-byte text")]
    OutOfBounds {
        /// Index of the splice.
        index: usize,
        /// Its span's start.
        start: usize,
        /// Its span's end.
        end: usize,
        /// Length of the text in bytes.
        len: usize,
    },
    /// The span starts before the previous splice's span ends (the spans
    /// overlap, or are not sorted).
    #[error(
        "splice {index}: span {start}..{end} starts before the previous splice ends (at {previous_end})"
    )]
    Overlap {
        /// Index of the splice.
        index: usize,
        /// Its span's start.
        start: usize,
        /// Its span's end.
        end: usize,
        /// Where the previous splice's span ends.
        previous_end: usize,
    },
    /// An end of the span falls inside a multi-byte character.
    #[error("splice {index}: byte {offset} is not on a char boundary")]
    NotCharBoundary {
        /// Index of the splice.
        index: usize,
        /// The offending end of its span (the start if both are).
        offset: usize,
    },
}

/// Applies `splices` to `text`, or says which splice is bad and why.
///
/// Splices must be sorted by position and must not overlap: each span
/// starts at or after the end of the one before (an empty span inserts;
/// several empty spans at one offset insert in order). Spans are byte
/// ranges within `text` whose ends lie on char boundaries. The splices are
/// checked in order and, for each, in the order of [`SpliceError`]'s
/// variants, so the error names the first bad splice and its first fault.
/// On success every byte of `text` outside the spans is copied, in order.
pub fn try_splice(text: &str, splices: &[Splice]) -> Result<String, SpliceError> {
    let mut added = 0usize;
    let mut pos = 0;
    for (index, s) in splices.iter().enumerate() {
        let (start, end) = (s.span.start, s.span.end);
        if start > end {
            return Err(SpliceError::Reversed { index, start, end });
        }
        if end > text.len() {
            return Err(SpliceError::OutOfBounds {
                index,
                start,
                end,
                len: text.len(),
            });
        }
        if start < pos {
            return Err(SpliceError::Overlap {
                index,
                start,
                end,
                previous_end: pos,
            });
        }
        if let Some(offset) = [start, end]
            .into_iter()
            .find(|&o| !text.is_char_boundary(o))
        {
            return Err(SpliceError::NotCharBoundary { index, offset });
        }
        added = added.saturating_add(s.text.len());
        pos = end;
    }
    let mut out = String::with_capacity(text.len().saturating_add(added));
    let mut pos = 0;
    for s in splices {
        out.push_str(&text[pos..s.span.start]);
        out.push_str(&s.text);
        pos = s.span.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// Applies `splices` to `text`: [`try_splice`] for edits known to be good
/// (the pipeline's own: sorted, not overlapping, on token boundaries).
///
/// # Panics
///
/// If the splices are not valid, naming the first bad one; use
/// [`try_splice`] for splices from elsewhere.
pub fn splice(text: &str, splices: &[Splice]) -> String {
    try_splice(text, splices).unwrap_or_else(|e| panic!("invalid splices: {e}"))
}

/// Given repairs as token ranges with their replacement (already cased),
/// returns the article fixes they call for: an "a" or "an" just before a
/// repair that now disagrees with it. Articles inside another repair are
/// left to that repair.
pub fn article_fixes(
    text: &str,
    tokens: &[Token],
    repairs: &[(Range<usize>, String)],
) -> Vec<(usize, String)> {
    let mut fixes = Vec::new();
    for (i, (range, replacement)) in repairs.iter().enumerate() {
        let Some(prev) = range.start.checked_sub(1) else {
            continue;
        };
        if i > 0 && repairs[i - 1].0.end > prev {
            continue;
        }
        let t = &tokens[prev];
        if t.kind != Kind::Word {
            continue;
        }
        let article = t.text(text);
        let is_an = match article.to_lowercase().as_str() {
            "a" => false,
            "an" => true,
            _ => continue,
        };
        let Some(next_word) = replacement.split_whitespace().next() else {
            continue;
        };
        // The article already stood before this word ("a or every other"
        // → "a or any other"); it is the author's, not the spinner's.
        if tokens[range.start].text(text).to_lowercase() == next_word.to_lowercase() {
            continue;
        }
        let want_an = wants_an(next_word);
        if want_an == is_an {
            continue;
        }
        let fixed = match (want_an, article) {
            (true, "a") => "an",
            (true, "A") => "An",
            (true, _) => "AN",
            (false, "an") => "a",
            (false, _) => "A",
        };
        fixes.push((prev, fixed.to_string()));
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    #[test]
    fn case_transfer_table() {
        let table = [
            ("stated", "said", "said"),
            ("Stated", "said", "Said"),
            ("STATED", "said", "SAID"),
            ("fb", "Facebook", "Facebook"),
            ("Fb", "Facebook", "Facebook"),
            ("Eighties", "1980s", "1980s"),
            ("Nineteen Nineties", "1990s", "1990s"),
            ("Final 12 months", "last year", "Last year"),
            ("FINAL 12 MONTHS", "last year", "LAST YEAR"),
            ("iPhone", "phone", "phone"),
            ("Élan", "énergie", "Énergie"),
            ("A number of", "several", "Several"),
        ];
        for (from, to, want) in table {
            assert_eq!(transfer_case(from, to), want, "{from} -> {to}");
        }
    }

    #[test]
    fn vowel_sounds() {
        for w in [
            "insurgent",
            "hour",
            "8",
            "80-page",
            "11",
            "NRF",
            "FBI",
            "additional",
            "unimportant",
        ] {
            assert!(wants_an(w), "{w}");
        }
        for w in [
            "rebel",
            "university",
            "one",
            "European",
            "UN",
            "110",
            "year",
            "user",
            "house",
        ] {
            assert!(!wants_an(w), "{w}");
        }
    }

    #[test]
    fn splices_keep_everything_else() {
        let text = "ab cd\r\nef";
        let out = splice(
            text,
            &[
                Splice {
                    span: 0..2,
                    text: "X".into(),
                },
                Splice {
                    span: 7..9,
                    text: "YZ".into(),
                },
            ],
        );
        assert_eq!(out, "X cd\r\nYZ");
    }

    #[test]
    fn bad_splices_are_named() {
        let sp = |start: usize, end: usize| Splice {
            span: Range { start, end },
            text: "x".into(),
        };
        let text = "aé b"; // é is bytes 1..3
        assert_eq!(try_splice(text, &[sp(0, 0), sp(0, 1)]).unwrap(), "xxé b");
        assert_eq!(try_splice(text, &[sp(5, 5)]).unwrap(), "aé bx");
        assert_eq!(
            try_splice(text, &[sp(0, 1), sp(4, 3)]),
            Err(SpliceError::Reversed {
                index: 1,
                start: 4,
                end: 3
            })
        );
        assert_eq!(
            try_splice(text, &[sp(4, 6)]),
            Err(SpliceError::OutOfBounds {
                index: 0,
                start: 4,
                end: 6,
                len: 5
            })
        );
        assert_eq!(
            try_splice(text, &[sp(3, 5), sp(0, 1)]),
            Err(SpliceError::Overlap {
                index: 1,
                start: 0,
                end: 1,
                previous_end: 5
            })
        );
        assert_eq!(
            try_splice(text, &[sp(0, 2)]),
            Err(SpliceError::NotCharBoundary {
                index: 0,
                offset: 2
            })
        );
        assert_eq!(
            try_splice(text, &[sp(0, 2)]).unwrap_err().to_string(),
            "splice 0: byte 2 is not on a char boundary"
        );
    }

    #[test]
    #[should_panic(expected = "invalid splices: splice 0: span 2..1 ends before it starts")]
    fn splice_panics_on_bad_splices() {
        splice(
            "abc",
            &[Splice {
                span: Range { start: 2, end: 1 },
                text: String::new(),
            }],
        );
    }

    #[test]
    fn articles_follow_the_repair() {
        let text = "an rebel and A announcement, a statement and An earnings";
        let tokens = tokenize(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        assert_eq!(words[7], "statement");
        let fixes = article_fixes(
            text,
            &tokens,
            &[
                (1..2, "insurgent".to_string()),
                (4..5, "statement".to_string()),
                (7..8, "event".to_string()),
                (10..11, "revenue".to_string()),
            ],
        );
        assert_eq!(fixes, vec![(6, "an".to_string()), (9, "A".to_string())]);
        // The first word did not change: the article stays as written.
        let text = "an historic or every other";
        let tokens = tokenize(text);
        assert!(article_fixes(text, &tokens, &[(2..5, "or any other".to_string())]).is_empty());
    }
}
