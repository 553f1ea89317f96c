//! Stage 2: tokenisation with byte spans.
//!
//! A token is a word, a number or one punctuation mark; white space is not a
//! token, so every byte between tokens is kept as it was by the rewriter.
//! Words follow the scorer's definition (letters and digits, joined by inner
//! apostrophes or hyphens: "one another's", "anti-Taliban"), so what we edit
//! is what we are judged on.
//!
//! Besides spans, the tokenizer records what later stages need and cannot
//! cheaply recompute: the case shape (for case transfer), whether a token
//! starts a sentence, and whether it sits inside a quotation (quotes are
//! verbatim speech and are not edited by default).

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, possibly with digits ("1980s" counts as a word).
    Word,
    /// Digits only, possibly with inner `,` or `.` ("1,000", "3.5").
    Number,
    /// One character that is neither a letter, a digit nor white space.
    Punct,
}

/// The letter case of a token, used to carry case over to a replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// No cased letters (numbers, punctuation, most non-Latin scripts).
    None,
    /// all lower case
    Lower,
    /// First letter upper, the rest lower: "Title".
    Title,
    /// Two or more letters, all upper: "UPPER".
    Upper,
    /// Anything else: "iPhone", "McDonald".
    Mixed,
}

impl Case {
    /// Classifies the cased letters of `s`.
    pub fn of(s: &str) -> Case {
        let mut letters = s.chars().filter(|c| c.is_lowercase() || c.is_uppercase());
        let Some(first) = letters.next() else {
            return Case::None;
        };
        let mut rest_upper = 0usize;
        let mut rest_lower = 0usize;
        for c in letters {
            if c.is_uppercase() {
                rest_upper += 1;
            } else {
                rest_lower += 1;
            }
        }
        match (first.is_uppercase(), rest_upper, rest_lower) {
            (false, 0, _) => Case::Lower,
            (true, 0, 0) => Case::Title,
            (true, 0, _) => Case::Title,
            (true, _, 0) => Case::Upper,
            _ => Case::Mixed,
        }
    }
}

/// One token: its byte span in the text and what the later stages need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the tokenised text.
    pub span: Range<usize>,
    /// Word, number or punctuation.
    pub kind: Kind,
    /// Letter case shape.
    pub case: Case,
    /// First word of a sentence: after `.`, `!`, `?`, a paragraph break, or
    /// at the start of the text.
    pub sentence_start: bool,
    /// Inside a quotation (straight `"..."` or curly `“...”`). Quote marks
    /// themselves are not inside.
    pub in_quote: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.clone()]
    }

    /// True for words and numbers.
    pub fn is_wordlike(&self) -> bool {
        self.kind != Kind::Punct
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A combining mark (an accent written as a separate code point) belongs to
/// the word before it: a repair must never end between a letter and its
/// accent, or the accent would land on the replacement.
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '-')
}

fn is_number_joiner(c: char) -> bool {
    matches!(c, ',' | '.')
}

/// Splits `text` into tokens.
///
/// Quotation state resets at every paragraph break (a blank line), because
/// news style opens a quote again at each paragraph of a long quotation
/// without closing the previous one; an unbalanced quote mark then cannot
/// silence the rest of the document.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    let mut in_quote = false;
    let mut sentence_start = true;
    let mut newlines_since_token = 0u32;

    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            if c == '\n' {
                newlines_since_token += 1;
                if newlines_since_token >= 2 {
                    in_quote = false;
                    sentence_start = true;
                }
            }
            continue;
        }
        newlines_since_token = 0;
        if is_word_char(c) {
            let mut end = start + c.len_utf8();
            let mut all_digits = c.is_ascii_digit();
            loop {
                match chars.peek() {
                    Some(&(_, d)) if is_word_char(d) || is_mark(d) => {
                        all_digits &= d.is_ascii_digit();
                        end += d.len_utf8();
                        chars.next();
                    }
                    Some(&(i, j)) if is_joiner(j) || (all_digits && is_number_joiner(j)) => {
                        // A joiner belongs to the word only if a word char follows.
                        let after = i + j.len_utf8();
                        let next_ok = text[after..].chars().next().is_some_and(|n| {
                            if is_number_joiner(j) {
                                n.is_ascii_digit()
                            } else {
                                is_word_char(n)
                            }
                        });
                        if !next_ok {
                            break;
                        }
                        end = after;
                        chars.next();
                    }
                    _ => break,
                }
            }
            let span = start..end;
            let kind = if all_digits { Kind::Number } else { Kind::Word };
            tokens.push(Token {
                case: Case::of(&text[span.clone()]),
                span,
                kind,
                sentence_start,
                in_quote,
            });
            sentence_start = false;
            continue;
        }
        // Punctuation: one char per token.
        let end = start + c.len_utf8();
        let (quote_here, next_quote) = match c {
            '"' => {
                // A straight quote opens if we are outside a quotation.
                if in_quote {
                    (false, false)
                } else {
                    (false, true)
                }
            }
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => (false, true),
            '\u{201D}' | '\u{00BB}' => (false, false),
            _ => (in_quote, in_quote),
        };
        tokens.push(Token {
            span: start..end,
            kind: Kind::Punct,
            case: Case::None,
            sentence_start: false,
            in_quote: quote_here,
        });
        in_quote = next_quote;
        if matches!(c, '.' | '!' | '?') {
            // "U.S. officials": a period right after a single capital letter is
            // an abbreviation, not a sentence end.
            let abbrev = start >= 1
                && bytes[start - 1].is_ascii_uppercase()
                && (start < 2 || !bytes[start - 2].is_ascii_alphanumeric());
            if !abbrev {
                sentence_start = true;
            }
        } else if !matches!(
            c,
            '"' | '\u{201D}' | '\u{2019}' | ')' | ']' | '\u{201C}' | '\'' | '('
        ) {
            // Closing quotes and brackets after a full stop keep the sentence
            // start pending; anything else ends it.
            sentence_start = false;
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_like_the_scorer_but_keeps_numbers_whole() {
        assert_eq!(
            words("The NRF’s anti-Taliban fighters, 1,000 of them (in 2001)."),
            vec![
                "The",
                "NRF’s",
                "anti-Taliban",
                "fighters",
                ",",
                "1,000",
                "of",
                "them",
                "(",
                "in",
                "2001",
                ")",
                "."
            ]
        );
        // Like the scorer, a joiner must sit between two word characters.
        assert_eq!(
            words("rock-'n'-roll 9/11"),
            vec!["rock", "-", "'", "n", "'", "-", "roll", "9", "/", "11"]
        );
        assert_eq!(words("end-"), vec!["end", "-"]);
        assert_eq!(words("3.5. Done"), vec!["3.5", ".", "Done"]);
    }

    #[test]
    fn spans_are_exact_byte_ranges() {
        let text = "é “x”\n";
        let t = tokenize(text);
        assert_eq!(t[0].span, 0..2);
        assert_eq!(t[1].span, 3..6);
        assert_eq!(t[2].span, 6..7);
        assert_eq!(t[3].span, 7..10);
    }

    #[test]
    fn combining_marks_stay_with_their_word() {
        assert_eq!(
            words("eightiesx\u{301} cafe\u{301}."),
            vec!["eightiesx\u{301}", "cafe\u{301}", "."]
        );
        assert_eq!(words("\u{301}a"), vec!["\u{301}", "a"]);
    }

    #[test]
    fn case_shapes() {
        assert_eq!(Case::of("said"), Case::Lower);
        assert_eq!(Case::of("Said"), Case::Title);
        assert_eq!(Case::of("A"), Case::Title);
        assert_eq!(Case::of("AFP"), Case::Upper);
        assert_eq!(Case::of("iPhone"), Case::Mixed);
        assert_eq!(Case::of("1980s"), Case::Lower);
        assert_eq!(Case::of("12"), Case::None);
        assert_eq!(Case::of("Élan"), Case::Title);
        assert_eq!(Case::of("ÉCOLE"), Case::Upper);
    }

    #[test]
    fn sentence_starts() {
        let text = "One two. Three “four.” Five\n\nSix U.S. seven";
        let starts: Vec<&str> = tokenize(text)
            .iter()
            .filter(|t| t.sentence_start)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(starts, vec!["One", "Three", "Five", "Six"]);
    }

    #[test]
    fn quotation_regions() {
        let text = "a \"b c\" d “e” f\n\n“g\n\nh";
        let quoted: Vec<&str> = tokenize(text)
            .iter()
            .filter(|t| t.in_quote)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(quoted, vec!["b", "c", "e", "g"]);
    }
}
