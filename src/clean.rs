//! The pipeline: normalise → tokenise → detect → decide → rewrite.
//!
//! [`Cleaner`] owns the compiled dictionary and the options; it is `Sync`,
//! so one instance serves every thread. Cleaning a document allocates only
//! per-document buffers and never touches shared state.

use crate::decide::{Decider, SpinScore};
use crate::detect::{Candidate, Matcher};
use crate::dict::Dictionary;
use crate::normalize::Normalization;
use crate::rewrite::{article_fixes, capitalize, splice, transfer_case, Splice};
use crate::token::{tokenize, Case, Kind, Token};
use std::ops::Range;

/// Options for a [`Cleaner`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Options {
    /// Normalisation applied before anything else.
    pub normalization: Normalization,
    /// Decision policy (threshold, quotations).
    pub decider: Decider,
}

/// Why an edit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    /// A dictionary repair.
    Repair,
    /// An "a"/"an" made to agree with a repair after it.
    Article,
}

/// One change made to the text (or, in [`Cleaned::suggestions`], one that
/// was considered and not made).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Edit {
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column, in characters, of the first byte.
    pub column: usize,
    /// Byte offset where the replaced text starts.
    pub start: usize,
    /// Byte offset where the replaced text ends.
    pub end: usize,
    /// The text as it was.
    pub from: String,
    /// The text put in its place (for a suggestion: the best alternative).
    pub to: String,
    /// Other originals the dictionary offers, best first; empty if one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The dictionary entry, `spun → original` as written in the file.
    pub entry: String,
    /// `FILE:LINE` of the entry.
    pub location: String,
    /// How the entry matched: exact, inflected or fuzzy.
    #[serde(rename = "match")]
    pub how: crate::detect::MatchHow,
    /// Decision confidence, 0..1.
    pub confidence: f32,
    /// Repair or article agreement.
    pub kind: EditKind,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// Every change, in text order. Spans refer to the input text after
    /// normalisation (with the default NFC and text already in NFC, which is
    /// nearly all text, that is the input itself).
    pub edits: Vec<Edit>,
    /// Candidates found but not applied (report-only entries, low confidence,
    /// or inside quotations), in text order.
    pub suggestions: Vec<Edit>,
    /// How spun the document looks.
    pub spin: SpinScore,
}

impl Cleaned {
    /// True if the text changed.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }
}

/// Like [`Cleaned`], for input that may not be valid UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanedBytes {
    /// The cleaned bytes; invalid sequences are copied through unchanged.
    pub bytes: Vec<u8>,
    /// Changes, spans in input-byte offsets (see [`Cleaned::edits`]).
    pub edits: Vec<Edit>,
    /// Candidates not applied.
    pub suggestions: Vec<Edit>,
    /// How spun the document looks.
    pub spin: SpinScore,
    /// Byte offsets of the invalid UTF-8 sequences in the input.
    pub invalid_utf8: Vec<usize>,
}

/// A compiled dictionary plus options: cleans documents.
#[derive(Debug, Clone)]
pub struct Cleaner {
    dict: Dictionary,
    matcher: Matcher,
    options: Options,
}

impl Cleaner {
    /// Compiles `dict` for use with `options`.
    pub fn new(dict: Dictionary, options: Options) -> Cleaner {
        let matcher = Matcher::new(&dict);
        Cleaner {
            dict,
            matcher,
            options,
        }
    }

    /// The dictionary in use.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    /// The options in use.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        let normalized = self.options.normalization.apply(text);
        let (splices, mut edits, suggestions, spin) = self.plan(&normalized);
        let out = splice(&normalized, &splices);
        fill_positions(&normalized, &mut edits);
        let mut suggestions = suggestions;
        fill_positions(&normalized, &mut suggestions);
        Cleaned {
            text: out,
            edits,
            suggestions,
            spin,
        }
    }

    /// Cleans a document that may hold invalid UTF-8: the valid parts are
    /// cleaned as one text (so the spin score sees the whole document) and
    /// every invalid byte is copied through unchanged.
    pub fn clean_bytes(&self, input: &[u8]) -> CleanedBytes {
        if let Ok(text) = std::str::from_utf8(input) {
            let c = self.clean(text);
            return CleanedBytes {
                bytes: c.text.into_bytes(),
                edits: c.edits,
                suggestions: c.suggestions,
                spin: c.spin,
                invalid_utf8: Vec::new(),
            };
        }
        // Working text: valid chunks normalised, each invalid sequence
        // replaced by U+FFFD (a punctuation token: it stops phrases).
        let mut work = String::with_capacity(input.len() + 16);
        // (working range, input range, valid?)
        let mut segments: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
        let mut invalid_utf8 = Vec::new();
        let mut pos = 0;
        for chunk in input.utf8_chunks() {
            let valid = self.options.normalization.apply(chunk.valid());
            let w0 = work.len();
            work.push_str(&valid);
            segments.push((w0..work.len(), pos..pos + chunk.valid().len(), true));
            pos += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                invalid_utf8.push(pos);
                let w0 = work.len();
                work.push('\u{FFFD}');
                segments.push((w0..work.len(), pos..pos + chunk.invalid().len(), false));
                pos += chunk.invalid().len();
            }
        }
        let (splices, mut edits, mut suggestions, spin) = self.plan(&work);
        let splices: Vec<Splice> = splices
            .into_iter()
            .filter(|s| {
                segments
                    .iter()
                    .all(|(w, _, valid)| *valid || s.span.end <= w.start || s.span.start >= w.end)
            })
            .collect();
        fill_positions(&work, &mut edits);
        fill_positions(&work, &mut suggestions);
        // Rebuild: valid segments from the working text with splices applied,
        // invalid ones from the input bytes.
        let mut bytes = Vec::with_capacity(input.len() + 16);
        let mut next = splices.iter().peekable();
        for (w, orig, valid) in &segments {
            if !valid {
                bytes.extend_from_slice(&input[orig.clone()]);
                continue;
            }
            let mut p = w.start;
            while let Some(s) = next.peek() {
                if s.span.start >= w.end {
                    break;
                }
                bytes.extend_from_slice(work[p..s.span.start].as_bytes());
                bytes.extend_from_slice(s.text.as_bytes());
                p = s.span.end;
                next.next();
            }
            bytes.extend_from_slice(work[p..w.end].as_bytes());
        }
        // Report spans in input offsets where the segment was not normalised
        // differently (same length): the common case.
        let to_input = |off: usize| {
            segments
                .iter()
                .find(|(w, _, _)| w.start <= off && off <= w.end)
                .map_or(off, |(w, o, _)| o.start + (off - w.start).min(o.len()))
        };
        for e in edits.iter_mut().chain(suggestions.iter_mut()) {
            e.start = to_input(e.start);
            e.end = to_input(e.end);
        }
        CleanedBytes {
            bytes,
            edits,
            suggestions,
            spin,
            invalid_utf8,
        }
    }

    /// Detects and decides: the splices to make, the edits they are, the
    /// suggestions, and the spin score. Positions (line, column) are filled
    /// in by the caller.
    fn plan(&self, text: &str) -> (Vec<Splice>, Vec<Edit>, Vec<Edit>, SpinScore) {
        let tokens = tokenize(text);
        let candidates = self.matcher.find(&self.dict, text, &tokens);
        let words = tokens.iter().filter(|t| t.kind != Kind::Punct).count();
        let spin = SpinScore::of(&candidates, words);
        if candidates.is_empty() {
            return (Vec::new(), Vec::new(), Vec::new(), spin);
        }
        let decisions = self.options.decider.decide(&candidates, &spin, |c| {
            c.entries.iter().all(|&e| self.dict.entries[e].report_only)
        });

        let mut repairs: Vec<(Range<usize>, String)> = Vec::new();
        let mut edits = Vec::new();
        let mut suggestions = Vec::new();
        for (c, d) in candidates.iter().zip(&decisions) {
            let span = span_of(&tokens, &c.tokens);
            let from = &text[span.clone()];
            let mut to = transfer_case(from, &c.replacements[d.replacement]);
            if c.sentence_start && Case::of(from) == Case::None {
                // "5 suspected" at a sentence start becomes "Five suspected".
                to = capitalize(&to);
            }
            let edit = self.edit(c, d.replacement, span, from, to.clone(), d.confidence);
            if d.apply && to != from {
                repairs.push((c.tokens.clone(), to));
                edits.push(edit);
            } else {
                suggestions.push(edit);
            }
        }
        let articles = article_fixes(text, &tokens, &repairs);
        let mut splices: Vec<Splice> = repairs
            .iter()
            .map(|(r, to)| Splice {
                span: span_of(&tokens, r),
                text: to.clone(),
            })
            .collect();
        for (i, to) in articles {
            let span = tokens[i].span.clone();
            edits.push(Edit {
                line: 0,
                column: 0,
                start: span.start,
                end: span.end,
                from: text[span.clone()].to_string(),
                to: to.clone(),
                alternatives: Vec::new(),
                entry: "a/an agreement".to_string(),
                location: "<builtin>".to_string(),
                how: crate::detect::MatchHow::Exact,
                confidence: 1.0,
                kind: EditKind::Article,
            });
            splices.push(Splice { span, text: to });
        }
        splices.sort_by_key(|s| s.span.start);
        edits.sort_by_key(|e| e.start);
        (splices, edits, suggestions, spin)
    }

    fn edit(
        &self,
        c: &Candidate,
        chosen: usize,
        span: Range<usize>,
        from: &str,
        to: String,
        confidence: f32,
    ) -> Edit {
        let entry = &self.dict.entries[c.entries[c.replacement_entry[chosen]]];
        Edit {
            line: 0,
            column: 0,
            start: span.start,
            end: span.end,
            from: from.to_string(),
            to,
            alternatives: c
                .replacements
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != chosen)
                .map(|(_, r)| r.clone())
                .collect(),
            entry: format!("{} → {}", entry.spun, entry.originals.join("|")),
            location: self.dict.location(entry),
            how: c.how,
            confidence: (confidence * 1000.0).round() / 1000.0,
            kind: EditKind::Repair,
        }
    }
}

fn span_of(tokens: &[Token], r: &Range<usize>) -> Range<usize> {
    tokens[r.start].span.start..tokens[r.end - 1].span.end
}

/// Fills in 1-based line and column (in chars) for edits sorted by start.
fn fill_positions(text: &str, edits: &mut [Edit]) {
    let mut line = 1;
    let mut line_start = 0;
    let mut pos = 0;
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| edits[i].start);
    for i in order {
        let start = edits[i].start;
        for (off, b) in text.as_bytes()[pos..start].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = pos + off + 1;
            }
        }
        pos = start;
        edits[i].line = line;
        edits[i].column = text[line_start..start].chars().count() + 1;
    }
}
