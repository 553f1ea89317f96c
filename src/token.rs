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
    /// Digits only, possibly with inner `,` or `.` ("1,000", "3.5") or
    /// joined like words ("7-2", "2001-02": a score or a range is a number
    /// to `#num` context).
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
///
/// ASCII, nearly all of the text despin sees, is classified by byte and
/// only other characters are decoded: this runs for every byte of every
/// document, once per cleaning pass.
pub fn tokenize(text: &str) -> Vec<Token> {
    scan::<false>(text, &mut Vec::new(), &mut Vec::new())
}

/// [`tokenize`] and [`Folded::new`] in one pass: each token is folded as
/// soon as it is scanned, while its bytes are in cache and whether it is
/// ASCII is already known. The cleaner needs both for every document.
pub fn tokenize_folded(text: &str) -> (Vec<Token>, Folded) {
    let mut stream = Vec::with_capacity(text.len() + 8);
    let mut starts = Vec::with_capacity(text.len() / 5 + 2);
    let tokens = scan::<true>(text, &mut stream, &mut starts);
    (tokens, Folded::finish(stream, starts))
}

/// The tokens and folded words of `text` after `edits` (sorted, not
/// overlapping: a byte range of `text` and its replacement), made from
/// those of `text` without reading it again: the tokens between edits are
/// moved, and only each replacement is tokenised. `None` where an edit
/// could change how its neighbours tokenise, or whether they start a
/// sentence or sit in a quotation: then the caller tokenises the new text.
///
/// It needs each edit to replace whole words (no punctuation, no line
/// break) by ASCII words, beginning with a letter and ending in a lower
/// case one on both sides: then the tokenizer leaves the replacement in
/// the same state the old words left it in (after a word; not after a
/// one-capital abbreviation), and every later token comes out as before.
/// That is what nearly every repair is ("instructed" → "told", "final 12
/// months" → "last year").
pub fn respliced(
    text: &str,
    (tokens, folded): (&[Token], &Folded),
    edits: &[(Range<usize>, &str)],
) -> Option<(Vec<Token>, Folded)> {
    let bytes = text.as_bytes();
    let word_edge = |s: &[u8]| {
        s.first().is_some_and(u8::is_ascii_alphabetic)
            && s.last().is_some_and(u8::is_ascii_lowercase)
    };
    let mut out = Vec::with_capacity(tokens.len() + edits.len());
    let mut stream: Vec<u8> = Vec::with_capacity(folded.stream.len() + 8 * edits.len());
    let mut starts = Vec::with_capacity(tokens.len() + edits.len() + 1);
    let mut shift: isize = 0;
    let mut i = 0;
    let moved = |t: &Token, shift: isize| Token {
        span: (t.span.start as isize + shift) as usize..(t.span.end as isize + shift) as usize,
        ..t.clone()
    };
    for (range, to) in edits {
        let old = &bytes[range.clone()];
        if !word_edge(old)
            || !word_edge(to.as_bytes())
            || !to.is_ascii()
            || old.contains(&b'\n')
            || to.contains('\n')
        {
            return None;
        }
        while i < tokens.len() && tokens[i].span.end <= range.start {
            out.push(moved(&tokens[i], shift));
            push_folded_word(&mut stream, &mut starts, folded.word(i));
            i += 1;
        }
        let first = i;
        while i < tokens.len() && tokens[i].span.start < range.end {
            if tokens[i].kind == Kind::Punct {
                return None;
            }
            i += 1;
        }
        if first == i
            || tokens[first].span.start != range.start
            || tokens[i - 1].span.end != range.end
        {
            return None;
        }
        let at = (range.start as isize + shift) as usize;
        let new = tokenize(to);
        if new.iter().any(|t| t.kind == Kind::Punct) {
            return None;
        }
        for (n, t) in new.into_iter().enumerate() {
            let word = &to[t.span.clone()];
            fold_token(&mut stream, &mut starts, word, true);
            out.push(Token {
                span: t.span.start + at..t.span.end + at,
                sentence_start: n == 0 && tokens[first].sentence_start,
                in_quote: tokens[first].in_quote,
                ..t
            });
        }
        shift += to.len() as isize - range.len() as isize;
    }
    for (j, t) in tokens.iter().enumerate().skip(i) {
        out.push(moved(t, shift));
        push_folded_word(&mut stream, &mut starts, folded.word(j));
    }
    Some((out, Folded::finish(stream, starts)))
}

/// Appends a word folded already (see [`fold_token`]).
fn push_folded_word(stream: &mut Vec<u8>, starts: &mut Vec<usize>, word: &str) {
    if !starts.is_empty() {
        stream.push(b' ');
    }
    starts.push(stream.len());
    stream.extend_from_slice(word.as_bytes());
}

/// Appends token `word`, folded as [`crate::dict::push_folded`] folds it,
/// to `stream` (after a space unless it is the first) and its start to
/// `starts`; `ascii`: the word is known to be ASCII. Bytes, not a `String`:
/// an ASCII word is one lower-casing copy.
#[inline]
fn fold_token(stream: &mut Vec<u8>, starts: &mut Vec<usize>, word: &str, ascii: bool) {
    if !starts.is_empty() {
        stream.push(b' ');
    }
    starts.push(stream.len());
    if ascii {
        stream.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
        return;
    }
    // Rare: through the one folding rule the dictionary uses too.
    let mut folded = String::new();
    crate::dict::push_folded(&mut folded, word);
    stream.extend_from_slice(folded.as_bytes());
}

/// The tokenizer; with `FOLD`, also appends each token to `folded`.
fn scan<const FOLD: bool>(text: &str, stream: &mut Vec<u8>, starts: &mut Vec<usize>) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut in_quote = false;
    let mut sentence_start = true;
    let mut newlines_since_token = 0u32;
    let mut i = 0;

    while i < bytes.len() {
        let start = i;
        // A space, a third of the bytes of prose, changes no state.
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let c = char_at(text, i);
        i += c.len_utf8();
        if c.is_ascii_alphabetic() {
            // The common word: it starts with an ASCII letter, so it is no
            // number, and its case shape is that letter's plus whichever
            // cases follow (order no longer matters once the first is
            // known). Runs of ASCII letters and digits are taken a byte at
            // a time with one table lookup and no branch on case.
            let mut case = CaseShape::default();
            case.add_ascii(c as u8);
            let mut bits = 0u8;
            let mut ascii = true;
            loop {
                while i < bytes.len() {
                    let k = ALNUM_CASE[usize::from(bytes[i])];
                    if k == 0 {
                        break;
                    }
                    bits |= k;
                    i += 1;
                }
                if i >= bytes.len() {
                    break;
                }
                let d = char_at(text, i);
                if !d.is_ascii() && (is_word_char(d) || is_mark(d)) {
                    case.add(d);
                    ascii = false;
                    i += d.len_utf8();
                } else if is_joiner(d) {
                    // A joiner belongs to the word only if a word char follows.
                    let after = i + d.len_utf8();
                    if after >= bytes.len() || !is_word_char(char_at(text, after)) {
                        break;
                    }
                    ascii &= d.is_ascii();
                    i = after;
                } else {
                    break;
                }
            }
            if bits & UPPER != 0 {
                case.push(true);
            }
            if bits & LOWER != 0 {
                case.push(false);
            }
            let span = start..i;
            if FOLD {
                fold_token(stream, starts, &text[span.clone()], ascii);
            }
            tokens.push(Token {
                case: case.finish(),
                span,
                kind: Kind::Word,
                sentence_start,
                in_quote,
            });
            sentence_start = false;
            newlines_since_token = 0;
            continue;
        }
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
            let mut case = CaseShape::default();
            case.add(c);
            let mut all_digits = c.is_ascii_digit();
            let mut ascii = c.is_ascii();
            while i < bytes.len() {
                let b = bytes[i];
                if b.is_ascii_alphanumeric() {
                    case.add_ascii(b);
                    all_digits &= b.is_ascii_digit();
                    i += 1;
                    continue;
                }
                let d = char_at(text, i);
                if !d.is_ascii() && (is_word_char(d) || is_mark(d)) {
                    case.add(d);
                    all_digits &= d.is_ascii_digit();
                    ascii = false;
                    i += d.len_utf8();
                } else if is_joiner(d) || (all_digits && is_number_joiner(d)) {
                    // A joiner belongs to the word only if a word char follows.
                    let after = i + d.len_utf8();
                    let next_ok = after < bytes.len() && {
                        let n = char_at(text, after);
                        if is_number_joiner(d) {
                            n.is_ascii_digit()
                        } else {
                            is_word_char(n)
                        }
                    };
                    if !next_ok {
                        break;
                    }
                    ascii &= d.is_ascii();
                    i = after;
                } else {
                    break;
                }
            }
            let span = start..i;
            if FOLD {
                fold_token(stream, starts, &text[span.clone()], ascii);
            }
            let kind = if all_digits { Kind::Number } else { Kind::Word };
            tokens.push(Token {
                case: case.finish(),
                span,
                kind,
                sentence_start,
                in_quote,
            });
            sentence_start = false;
            continue;
        }
        // Punctuation: one char per token.
        let end = i;
        if FOLD {
            fold_token(stream, starts, &text[start..end], c.is_ascii());
        }
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

/// The tokens' text folded for lookups (lower case, curly apostrophes
/// straightened), joined by single spaces: the form dictionary keys are
/// written in. Built once a pass and shared by every stage that looks
/// words up, so no stage folds a word again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    stream: String,
    /// Where each token starts in `stream`, plus one past the end.
    starts: Vec<usize>,
}

impl Folded {
    /// Folds `tokens` of `text`.
    pub fn new(text: &str, tokens: &[Token]) -> Folded {
        let mut stream = Vec::with_capacity(text.len() + 8);
        let mut starts = Vec::with_capacity(tokens.len() + 1);
        for t in tokens {
            let word = t.text(text);
            fold_token(&mut stream, &mut starts, word, word.is_ascii());
        }
        Folded::finish(stream, starts)
    }

    /// The folded tokens `stream` (UTF-8) and their `starts`, closed with
    /// the end marker.
    fn finish(stream: Vec<u8>, mut starts: Vec<usize>) -> Folded {
        starts.push(stream.len() + 1);
        let stream = String::from_utf8(stream).expect("folding keeps UTF-8 valid");
        Folded { stream, starts }
    }

    /// The whole stream.
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// Token `i`, folded.
    #[inline]
    pub fn word(&self, i: usize) -> &str {
        &self.stream[self.starts[i]..self.starts[i + 1] - 1]
    }

    /// The token starting at stream offset `pos` (one past the stream's end
    /// counts as the end of the tokens).
    pub fn token_at(&self, pos: usize) -> Option<usize> {
        self.starts.binary_search(&pos).ok()
    }
}

/// [`ALNUM_CASE`] bits: an ASCII letter or digit, upper or lower case.
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;

/// By byte: 0 for anything but an ASCII letter or digit, else [`ALNUM`]
/// with the letter's case bit.
static ALNUM_CASE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_lowercase() {
            ALNUM | LOWER
        } else if c.is_ascii_digit() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The character starting at byte `i` (a char boundary), decoded only when
/// it is not ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        b as char
    } else {
        text[i..]
            .chars()
            .next()
            .expect("a char boundary inside the text")
    }
}

/// [`Case::of`] computed one character at a time while a word is scanned.
#[derive(Default)]
struct CaseShape {
    /// None before the first cased letter, then whether it is upper case.
    first_upper: Option<bool>,
    rest_upper: bool,
    rest_lower: bool,
}

impl CaseShape {
    #[inline]
    fn push(&mut self, upper: bool) {
        match self.first_upper {
            None => self.first_upper = Some(upper),
            Some(_) if upper => self.rest_upper = true,
            Some(_) => self.rest_lower = true,
        }
    }

    #[inline]
    fn add_ascii(&mut self, b: u8) {
        if b.is_ascii_alphabetic() {
            self.push(b.is_ascii_uppercase());
        }
    }

    fn add(&mut self, c: char) {
        if c.is_ascii() {
            self.add_ascii(c as u8);
        } else if c.is_uppercase() {
            self.push(true);
        } else if c.is_lowercase() {
            self.push(false);
        }
    }

    fn finish(&self) -> Case {
        match (self.first_upper, self.rest_upper, self.rest_lower) {
            (None, _, _) => Case::None,
            (Some(false), false, _) => Case::Lower,
            (Some(true), false, _) => Case::Title,
            (Some(true), true, false) => Case::Upper,
            _ => Case::Mixed,
        }
    }
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
    fn tokenize_folded_folds_each_token_as_it_goes() {
        let text = "The NRF’s ÉCOLE cafe\u{301}, 1,000 “Anti-Taliban” rock-'n' x—y";
        let (tokens, folded) = tokenize_folded(text);
        assert_eq!(tokens, tokenize(text));
        assert_eq!(
            folded.stream(),
            "the nrf's école cafe\u{301} , 1,000 “ anti-taliban ” rock - ' n ' x — y"
        );
        assert_eq!(folded.stream(), Folded::new(text, &tokens).stream());
        assert_eq!(folded.word(1), "nrf's");
        let (none, empty) = tokenize_folded("  \n");
        assert!(none.is_empty());
        assert_eq!((empty.stream(), empty.token_at(1)), ("", Some(0)));
    }

    #[test]
    fn respliced_tokens_are_the_tokenizers() {
        let text = "He said: \"we instructed them final 12 months.\" Then a navy man\nleft.";
        let (tokens, folded) = tokenize_folded(text);
        let at = |w: &str| {
            let i = text.find(w).unwrap();
            i..i + w.len()
        };
        let edit = |edits: &[(&str, &str)]| -> (String, Option<(Vec<Token>, Folded)>) {
            let pairs: Vec<(Range<usize>, &str)> =
                edits.iter().map(|&(w, to)| (at(w), to)).collect();
            let mut out = text.to_string();
            for (r, to) in pairs.iter().rev() {
                out.replace_range(r.clone(), to);
            }
            (out, respliced(text, (&tokens, &folded), &pairs))
        };
        // Words for words, in a quotation and at a sentence start: the
        // same tokens, spans and flags as tokenising the new text.
        let (out, moved) = edit(&[
            ("instructed", "told"),
            ("final 12 months", "last year"),
            ("Then", "After"),
            ("navy", "military"),
        ]);
        assert_eq!(
            out,
            "He said: \"we told them last year.\" After a military man\nleft."
        );
        let moved = moved.expect("plain words are moved");
        assert_eq!(moved, tokenize_folded(&out));
        let (told, after) = (&moved.0[5], &moved.0[11]);
        assert_eq!((told.text(&out), after.text(&out)), ("told", "After"));
        assert!(told.in_quote && !told.sentence_start && after.sentence_start);
        // Punctuation or a line break in the replacement, a replacement
        // ending in a capital (it could make "A." an abbreviation), and a
        // range that is not whole words: tokenised afresh.
        assert!(edit(&[("navy", "U.S.")]).1.is_none());
        assert!(edit(&[("navy", "big\nold")]).1.is_none());
        assert!(edit(&[("navy", "A")]).1.is_none());
        assert!(edit(&[("avy", "ice")]).1.is_none());
        assert!(edit(&[("navy man\nleft", "man left")]).1.is_none());
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
