//! `despin dict lint`: checks dictionary files for mistakes a parser cannot
//! see. Every finding names the file, line and column:
//!
//! ```text
//! FILE:LINE:COL: error|warning: message
//! ```
//!
//! Errors (the dictionary is wrong):
//!
//! * syntax: every line [`Dictionary::parse`] would reject;
//! * duplicate: the same spun form, originals and options as an earlier line;
//! * conflict: the same spun form with different originals on two lines,
//!   neither with context (`left=`, `right=`, `not_left=`, `not_right=`) to
//!   choose between them (alternatives belong on one line, `a|b`); `report`
//!   entries never repair, so they conflict with nothing;
//! * cycle: `a → b` and `b → a`;
//! * chain: an original that is itself another entry's spun form (cleaning
//!   twice would change the text again); `report` entries never repair, so
//!   they are not part of chains.
//!
//! Warnings (probably worth a look, but sometimes right):
//!
//! * redundant: a longer entry that repairs exactly as a shorter one
//!   already does. Precisely: entry `L` whose spun form is `S + " " + T`
//!   (or `T + " " + S`) and whose originals are those of entry `E` (spun
//!   form `S`) each followed (preceded) by the same words `T`, with the same
//!   options as `E`, and `E` has no context options. A warning, not an
//!   error: the longer entry is harmless, only dead weight;
//! * ordinary English: a `fingerprint` entry (repaired anywhere) whose spun
//!   form, without context, has a log10 probability above
//!   [`ORDINARY_LOG10`] in the language model of clean English; a warning,
//!   because the model knows nothing of spinning: a word it finds common
//!   may still be one a spinner produces far more often than writers do;
//! * order: entries not sorted case-insensitively by spun form.

use crate::dict::{match_key, Class, DictError, Dictionary, Entry};
use crate::lm::LanguageModel;
use std::collections::HashMap;
use std::fmt;

/// A `fingerprint` spun form more likely than this (log10, the whole form
/// with no context, in the built-in model) is ordinary English. In that
/// model "said" scores -2.6, "nation" -4.2 and "stated" -4.7 (all caught),
/// while the likeliest context-free fingerprint of the shipped news
/// dictionary, "e mail", scores -6.2 and "instructed" -5.6; a phrase of
/// common words scores the sum of its steps ("final 12 months" -14.6, "last
/// year" -3.9), so only phrases that are common as phrases are caught.
pub const ORDINARY_LOG10: f32 = -5.0;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The dictionary is wrong: `dict lint` exits 2.
    Error,
    /// Worth a look: `dict lint` exits 1 if there is no error.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem, displayed as `FILE:LINE:COL: error|warning: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The dictionary's name, as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )
    }
}

impl From<DictError> for Finding {
    fn from(e: DictError) -> Finding {
        Finding {
            file: e.source_name,
            line: e.line,
            column: e.column,
            severity: Severity::Error,
            message: e.message,
        }
    }
}

/// Lints each `(name, text)` dictionary on its own; findings come per file,
/// in line order (errors before warnings on the same line).
pub fn lint(dicts: &[(String, String)], lm: &LanguageModel) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, text) in dicts {
        let (dict, errors) = Dictionary::parse_lenient(name, text);
        let mut findings: Vec<Finding> = errors.into_iter().map(Finding::from).collect();
        lint_entries(name, &dict, lm, &mut findings);
        findings.sort_by_key(|f| (f.line, f.severity, f.column));
        out.extend(findings);
    }
    out
}

/// The originals of an entry, as match keys.
fn original_keys(e: &Entry) -> Vec<String> {
    e.originals.iter().map(|o| match_key(o).0).collect()
}

fn has_context(e: &Entry) -> bool {
    !(e.left.is_empty() && e.right.is_empty() && e.not_left.is_empty() && e.not_right.is_empty())
}

/// Everything but the spun form and the originals.
fn same_options(a: &Entry, b: &Entry) -> bool {
    a.class == b.class
        && a.left == b.left
        && a.right == b.right
        && a.not_left == b.not_left
        && a.not_right == b.not_right
        && a.report_only == b.report_only
        && a.exact_case == b.exact_case
        && a.prior == b.prior
}

/// What an entry matches: its key, or its exact spun form with `case=exact`.
fn match_form(e: &Entry) -> String {
    if e.exact_case {
        e.spun.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        e.key.clone()
    }
}

fn lint_entries(name: &str, dict: &Dictionary, lm: &LanguageModel, out: &mut Vec<Finding>) {
    let mut push = |e: &Entry, severity: Severity, message: String| {
        out.push(Finding {
            file: name.to_string(),
            line: e.line,
            column: 1,
            severity,
            message,
        })
    };
    let entries = &dict.entries;

    // Duplicates and conflicts: against every earlier entry of the same form.
    let mut by_form: HashMap<String, Vec<&Entry>> = HashMap::new();
    for e in entries {
        let earlier = by_form.entry(match_form(e)).or_default();
        let originals = original_keys(e);
        if let Some(d) = earlier
            .iter()
            .find(|d| same_options(d, e) && original_keys(d) == originals)
        {
            push(
                e,
                Severity::Error,
                format!(
                    "duplicate entry: `{}` is already on line {}",
                    e.spun, d.line
                ),
            );
        } else if !e.report_only && !has_context(e) {
            if let Some(d) = earlier
                .iter()
                .find(|d| !d.report_only && !has_context(d) && original_keys(d) != originals)
            {
                push(
                    e,
                    Severity::Error,
                    format!(
                        "`{}` also has a different original on line {} and neither has context \
                         to choose: list alternatives on one line (`a|b`) or add left=/right=",
                        e.spun, d.line
                    ),
                );
            }
        }
        earlier.push(e);
    }

    // Cycles and chains: repairs only (report entries never change text).
    let mut spun: HashMap<&str, &Entry> = HashMap::new();
    for e in entries.iter().filter(|e| !e.report_only) {
        spun.entry(e.key.as_str()).or_insert(e);
    }
    for e in entries.iter().filter(|e| !e.report_only) {
        for o in original_keys(e) {
            let Some(other) = spun.get(o.as_str()) else {
                continue;
            };
            if original_keys(other).contains(&e.key) {
                push(
                    e,
                    Severity::Error,
                    format!(
                        "cycle: `{}` → `{o}` here and `{}` → `{}` on line {}",
                        e.spun, other.spun, e.spun, other.line
                    ),
                );
            } else {
                push(
                    e,
                    Severity::Error,
                    format!(
                        "chain: the original `{o}` is the spun form of line {}, so cleaning \
                         twice would change it again",
                        other.line
                    ),
                );
            }
        }
    }

    // Redundant longer entries.
    let mut by_key: HashMap<&str, Vec<&Entry>> = HashMap::new();
    for e in entries {
        by_key.entry(e.key.as_str()).or_default().push(e);
    }
    for long in entries.iter().filter(|e| e.len > 1) {
        let words: Vec<&str> = long.key.split(' ').collect();
        let originals = original_keys(long);
        'split: for cut in 1..words.len() {
            for (short_key, rest, short_first) in [
                (words[..cut].join(" "), words[cut..].join(" "), true),
                (words[cut..].join(" "), words[..cut].join(" "), false),
            ] {
                let Some(shorts) = by_key.get(short_key.as_str()) else {
                    continue;
                };
                for short in shorts {
                    if has_context(short) || !same_options(short, long) {
                        continue;
                    }
                    let expected: Vec<String> = original_keys(short)
                        .into_iter()
                        .map(|o| {
                            if short_first {
                                format!("{o} {rest}")
                            } else {
                                format!("{rest} {o}")
                            }
                        })
                        .collect();
                    if expected == originals {
                        push(
                            long,
                            Severity::Warning,
                            format!(
                                "redundant: `{}` on line {} already repairs `{}` this way",
                                short.spun, short.line, long.spun
                            ),
                        );
                        break 'split;
                    }
                }
            }
        }
    }

    // Ordinary English marked as a fingerprint.
    for e in entries {
        if e.class != Class::Fingerprint || e.report_only || has_context(e) {
            continue;
        }
        let lp = log10_prob(lm, &e.key);
        if lp > ORDINARY_LOG10 {
            push(
                e,
                Severity::Warning,
                format!(
                    "ordinary English: give it class=ambiguous or context (`{}` has log10 \
                     probability {lp:.1} in clean English, above {ORDINARY_LOG10})",
                    e.spun
                ),
            );
        }
    }

    // Canonical order.
    for pair in entries.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.spun.to_lowercase() < a.spun.to_lowercase() {
            push(
                b,
                Severity::Warning,
                format!(
                    "out of order: `{}` sorts before `{}` on line {} (keep entries sorted \
                     case-insensitively by spun form)",
                    b.spun, a.spun, a.line
                ),
            );
        }
    }
}

/// log10 probability of a match key's words with no context.
pub fn log10_prob(lm: &LanguageModel, key: &str) -> f32 {
    let ids: Vec<Option<u32>> = key.split(' ').map(|w| lm.id(w)).collect();
    lm.phrase([None, None], &ids, [None, None])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<String> {
        lint(
            &[("t.tsv".to_string(), text.to_string())],
            LanguageModel::builtin(),
        )
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    #[test]
    fn clean_file_has_no_findings() {
        assert_eq!(
            run("final 12 months\tlast year\nstated\tsaid\tclass=ambiguous\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn syntax_errors_are_all_reported() {
        assert_eq!(
            run("bad\nfinal 12 months\tlast year\n> ok\nx\ty\tbogus\n"),
            vec![
                "t.tsv:1:1: error: expected `spun<TAB>original[<TAB>options]`, found no tab",
                "t.tsv:4:5: error: unknown option `bogus`: expected class=, left=, right=, not_left=, not_right=, prior=, report or case=exact",
            ]
        );
    }

    #[test]
    fn duplicates_conflicts_cycles_and_chains() {
        assert_eq!(
            run("final 12 months\tlast year\nFinal 12 months\tlast year\n"),
            vec!["t.tsv:2:1: error: duplicate entry: `Final 12 months` is already on line 1"]
        );
        assert_eq!(
            run("wibble\twobble\nwibble\twubble\nwibble\twubble\tright=x\n"),
            vec!["t.tsv:2:1: error: `wibble` also has a different original on line 1 and neither has context to choose: list alternatives on one line (`a|b`) or add left=/right="]
        );
        assert_eq!(
            run("wibble\twobble\nwobble\twibble\n"),
            vec![
                "t.tsv:1:1: error: cycle: `wibble` → `wobble` here and `wobble` → `wibble` on line 2",
                "t.tsv:2:1: error: cycle: `wobble` → `wibble` here and `wibble` → `wobble` on line 1",
            ]
        );
        assert_eq!(
            run("wibble\twobble\nwobble\twubble\n"),
            vec!["t.tsv:1:1: error: chain: the original `wobble` is the spun form of line 2, so cleaning twice would change it again"]
        );
        assert_eq!(
            run("wibble\twobble\nwobble\twubble\treport\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn redundant_ordinary_and_order_warnings() {
        assert_eq!(
            run("gleeb\tglob\ngleeb zorp\tglob zorp\nzorp gleeb\tzorp glob\n"),
            vec![
                "t.tsv:2:1: warning: redundant: `gleeb` on line 1 already repairs `gleeb zorp` this way",
                "t.tsv:3:1: warning: redundant: `gleeb` on line 1 already repairs `zorp gleeb` this way",
            ]
        );
        let out = run("the\ta\n");
        assert_eq!(out.len(), 1);
        assert!(
            out[0].starts_with(
                "t.tsv:1:1: warning: ordinary English: give it class=ambiguous or context"
            ),
            "{out:?}"
        );
        assert_eq!(
            run("zorp\tglob\ngleeb\tglob\n"),
            vec!["t.tsv:2:1: warning: out of order: `gleeb` sorts before `zorp` on line 1 (keep entries sorted case-insensitively by spun form)"]
        );
    }

    /// The shipped dictionaries: no errors, sorted, no duplicates; the news
    /// dictionary has no warning at all.
    #[test]
    fn shipped_dictionaries_are_clean() {
        let dicts = vec![
            ("news.tsv".to_string(), crate::dict::NEWS.to_string()),
            ("science.tsv".to_string(), crate::packs::SCIENCE.to_string()),
        ];
        let findings = lint(&dicts, LanguageModel::builtin());
        let bad: Vec<String> = findings
            .iter()
            .filter(|f| {
                f.severity == Severity::Error
                    || f.file == "news.tsv"
                    || f.message.starts_with("out of order")
            })
            .map(ToString::to_string)
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
