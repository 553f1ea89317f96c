//! Phrase dictionaries: the spinner's swaps, written the other way round.
//!
//! A dictionary is a UTF-8 TSV file people edit by hand, one entry a line:
//!
//! ```text
//! # comment
//! spun<TAB>original[<TAB>options]
//! ```
//!
//! `original` may list alternatives, `during|via`, most likely first.
//! Options are space-separated:
//!
//! * `class=fingerprint` (the default): the spun form is not ordinary English
//!   ("final 12 months"), so it is repaired wherever it appears;
//! * `class=unusual`: grammatical but odd in news ("within the"): repaired
//!   in documents that show some sign of spinning;
//! * `class=ambiguous`: ordinary English ("stated", "nation"): repaired only
//!   in documents that are clearly spun;
//! * `left=w1|w2`, `right=w1|w2`: the entry applies only after (before) one
//!   of these words; `#num` stands for any number;
//! * `not_left=w1|w2`, `not_right=w1|w2`: the entry does not apply after
//!   (before) one of these words ("primary" is not "first" before "school");
//! * `prior=P` (0 < P < 1): how often, in a spun document, this form is a
//!   swap rather than the author's word; the class gives the default
//!   (fingerprint 0.98, unusual 0.9, ambiguous 0.8). Ordinary words a
//!   spinner produces only sometimes ("on" for "at") get a low prior and are
//!   repaired only where the context clearly prefers the original;
//! * `report`: never repaired, only reported;
//! * `case=exact`: matched case-sensitively ("Fb" but not "fb").
//!
//! The default class is `fingerprint` so that the two-column form a user
//! adds always takes effect, as `extend-words` does in typos.
//!
//! Lines directly after an entry may hold examples, checked by
//! `despin dict test`:
//!
//! ```text
//! instructed AFP<TAB>told AFP
//! > He instructed AFP on Monday.
//! > She instructed AFP. => She told AFP.
//! = The court instructed jurors.
//! ```
//!
//! `> TEXT` must be changed (into `EXPECTED` when ` => EXPECTED` follows),
//! `= TEXT` must be left alone. A blank or comment line ends the entry, so
//! an example line anywhere else is an error.

use crate::token::{tokenize, Kind};

/// The shipped news dictionary, embedded at build time.
pub const NEWS: &str = include_str!("../dictionaries/news.tsv");

/// How safe it is to repair a spun form without further evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Ordinary English; needs a clearly spun document.
    Ambiguous,
    /// Grammatical but unusual; needs some sign of spinning.
    Unusual,
    /// Near-certain sign of a spinner.
    Fingerprint,
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
        match s {
            "fingerprint" => Some(Class::Fingerprint),
            "unusual" => Some(Class::Unusual),
            "ambiguous" => Some(Class::Ambiguous),
            _ => None,
        }
    }
}

/// One dictionary line.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The spun form as written in the file, in NFC: the form of the text
    /// it is matched against (`case=exact` compares these very bytes).
    pub spun: String,
    /// Lower-case words of the spun form joined by single spaces: what the
    /// matcher looks for.
    pub key: String,
    /// Number of tokens in the spun form.
    pub len: usize,
    /// Candidate originals, most likely first.
    pub originals: Vec<String>,
    /// How safe the entry is without context.
    pub class: Class,
    /// Required previous word (lower case), if any.
    pub left: Vec<String>,
    /// Required next word (lower case), if any.
    pub right: Vec<String>,
    /// Previous words that rule the entry out.
    pub not_left: Vec<String>,
    /// Next words that rule the entry out.
    pub not_right: Vec<String>,
    /// Report, never repair.
    pub report_only: bool,
    /// Match case-sensitively.
    pub exact_case: bool,
    /// Probability that an occurrence in a spun document is a swap, if set.
    pub prior: Option<f32>,
    /// Index into [`Dictionary::sources`].
    pub source: usize,
    /// 1-based line in the source file.
    pub line: usize,
    /// `> TEXT [=> EXPECTED]` examples: text the entry must change (into
    /// `EXPECTED`, when given).
    pub tests: Vec<(String, Option<String>)>,
    /// `= TEXT` examples: text that must be left alone.
    pub allows: Vec<String>,
}

/// A parse error, displayed as `FILE:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}:{column}: {message}")]
pub struct DictError {
    /// The file (or built-in name) the line came from.
    pub source_name: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A set of entries from one or more sources.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Names of the files the entries came from.
    pub sources: Vec<String>,
}

impl Dictionary {
    /// The dictionaries shipped in the binary.
    pub fn builtin() -> Dictionary {
        Dictionary::parse("<builtin>/news.tsv", NEWS).expect("the shipped dictionary parses")
    }

    /// Parses one dictionary file. `source_name` is used in errors and reports.
    pub fn parse(source_name: &str, text: &str) -> Result<Dictionary, DictError> {
        let (dict, mut errors) = Dictionary::parse_lenient(source_name, text);
        if errors.is_empty() {
            Ok(dict)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// Parses one dictionary file, skipping broken lines: the entries that
    /// parse and every error, in line order (for `despin dict lint`).
    pub fn parse_lenient(source_name: &str, text: &str) -> (Dictionary, Vec<DictError>) {
        let mut dict = Dictionary {
            entries: Vec::new(),
            sources: vec![source_name.to_string()],
        };
        let mut errors = Vec::new();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Whether the previous line was an entry or one of its examples
        // (`Some(true)`), or a broken entry (`Some(false)`, its examples are
        // skipped silently).
        let mut open: Option<bool> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let error = |column: usize, message: String| DictError {
                source_name: source_name.to_string(),
                line: line_no,
                column,
                message,
            };
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                open = None;
                continue;
            }
            if let Some(kind) = example_kind(line) {
                match open {
                    None => errors.push(error(
                        1,
                        format!(
                            "example line (`{kind} `) outside an entry: put it directly after the entry it tests"
                        ),
                    )),
                    Some(false) => {}
                    Some(true) => {
                        let entry = dict.entries.last_mut().expect("an open entry");
                        if let Err((col, message)) = parse_example(line, entry) {
                            errors.push(error(col, message));
                        }
                    }
                }
                continue;
            }
            match parse_line(line) {
                Ok(entry) => {
                    dict.entries.push(Entry {
                        source: 0,
                        line: line_no,
                        ..entry
                    });
                    open = Some(true);
                }
                Err((col, message)) => {
                    errors.push(error(col, message));
                    open = Some(false);
                }
            }
        }
        (dict, errors)
    }

    /// Adds another dictionary's entries after this one's. Later entries for
    /// the same spun form are alternatives, not replacements.
    pub fn extend(&mut self, other: Dictionary) {
        let offset = self.sources.len();
        self.sources.extend(other.sources);
        self.entries
            .extend(other.entries.into_iter().map(|e| Entry {
                source: e.source + offset,
                ..e
            }));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Chains, as `FILE:LINE: spun -> original`: repairs whose original is
    /// the spun form of another repair (report-only entries never repair).
    /// A spinner makes one pass, so a chain would make cleaning twice change
    /// the text again; shipped dictionaries have none.
    pub fn chains(&self) -> Vec<String> {
        let spun: std::collections::HashSet<&str> = self
            .entries
            .iter()
            .filter(|e| !e.report_only)
            .map(|e| e.key.as_str())
            .collect();
        self.entries
            .iter()
            .filter(|e| !e.report_only)
            .flat_map(|e| e.originals.iter().map(move |o| (e, o)))
            .filter(|(_, o)| spun.contains(match_key(o).0.as_str()))
            .map(|(e, o)| format!("{}: {} -> {o}", self.location(e), e.spun))
            .collect()
    }

    /// `FILE:LINE` of an entry, for reports.
    pub fn location(&self, entry: &Entry) -> String {
        format!("{}:{}", self.sources[entry.source], entry.line)
    }
}

/// The longest spun form or original an entry may have, in bytes.
///
/// Real entries are phrases of a few words: the longest shipped spun form
/// is 100 bytes (a twelve-word tortured phrase in the science pack) and
/// `despin dict learn` aligns at most five words. 500 bytes (some 80 words,
/// a long sentence) leaves room for any phrase a spinner swaps whole.
///
/// A limit is needed because an over-long line is not harmless data:
/// `dict lint`'s redundancy check is quadratic in the words of an entry
/// (382 s for a 1 MB entry), and when the matcher was an Aho-Corasick DFA
/// its build was quadratic too (one entry of repeated `word `: 10 KB took
/// 0.7 s, 100 KB 68 s, 1 MB over 12 minutes, before a document was read). Originals
/// are held to the same limit: they are spliced into the text and scored
/// by the language model at every match, and no phrase-sized swap needs
/// more.
pub const MAX_FORM_BYTES: usize = 500;

/// In a context list, stands for any number token.
pub const NUMBER: &str = "#num";

/// Lower-cases the word and punctuation tokens of `s` and joins them with
/// single spaces, folding curly apostrophes: the form both the dictionary and
/// the text are matched in.
///
/// `s` is put in NFC first, because that is what the text has gone through
/// before it is tokenised and folded ([`crate::normalize`], on by default):
/// a key must be folded exactly as the same words in a text are, or an
/// entry copied from a text in decomposed form ("cafe" + U+0301) would
/// never match that very text. Punctuation needs nothing special: `c++`,
/// `c#` and `.net` are tokenised one mark a token on both sides and match
/// as written.
pub fn match_key(s: &str) -> (String, usize) {
    let s = &*nfc(s);
    let tokens = tokenize(s);
    let mut key = String::with_capacity(s.len());
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        push_folded(&mut key, t.text(s));
    }
    (key, tokens.len())
}

/// `s` in Unicode NFC, borrowed when it already is (nearly always).
fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// Appends `word` lower-cased with curly apostrophes folded to `'`.
pub(crate) fn push_folded(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if c == '\u{2019}' {
            out.push('\'');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Column (1-based, in chars) where field `n` of a tab-separated line starts.
fn field_column(line: &str, n: usize) -> usize {
    let mut col = 1;
    let mut field = 0;
    for c in line.chars() {
        if field == n {
            return col;
        }
        if c == '\t' {
            field += 1;
        }
        col += 1;
    }
    col
}

/// `>` or `=` if the line is an example (the marker then a space, or
/// nothing).
fn example_kind(line: &str) -> Option<char> {
    let mut chars = line.chars();
    let kind = chars.next().filter(|c| *c == '>' || *c == '=')?;
    match chars.next() {
        None | Some(' ') => Some(kind),
        _ => None,
    }
}

/// Adds the example on `line` to `entry`.
fn parse_example(line: &str, entry: &mut Entry) -> Result<(), (usize, String)> {
    let kind = &line[..1];
    let body = line[1..].trim();
    if body.is_empty() {
        return Err((1, format!("empty example after `{kind}`")));
    }
    if kind == "=" {
        entry.allows.push(body.to_string());
        return Ok(());
    }
    match body.split_once(" =>") {
        Some((text, expected)) => {
            let (text, expected) = (text.trim(), expected.trim());
            if text.is_empty() || expected.is_empty() {
                return Err((1, "expected `> TEXT => EXPECTED`".into()));
            }
            entry
                .tests
                .push((text.to_string(), Some(expected.to_string())));
        }
        None => entry.tests.push((body.to_string(), None)),
    }
    Ok(())
}

/// The error for a spun form or original over [`MAX_FORM_BYTES`].
fn too_long(what: &str, len: usize) -> String {
    format!(
        "{what} of {len} bytes is too long (at most {MAX_FORM_BYTES}): an entry is a phrase of a few words"
    )
}

fn parse_line(line: &str) -> Result<Entry, (usize, String)> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() < 2 {
        return Err((
            1,
            "expected `spun<TAB>original[<TAB>options]`, found no tab".into(),
        ));
    }
    if fields.len() > 3 {
        return Err((
            field_column(line, 3),
            "too many fields: options go in the third field, separated by spaces".into(),
        ));
    }
    let spun = fields[0].trim();
    if spun.is_empty() {
        return Err((1, "empty spun form".into()));
    }
    if spun.len() > MAX_FORM_BYTES {
        return Err((1, too_long("spun form", spun.len())));
    }
    let spun = &*nfc(spun);
    let (key, len) = match_key(spun);
    if !tokenize(spun).iter().any(|t| t.kind != Kind::Punct) {
        return Err((1, format!("spun form `{spun}` has no word in it")));
    }
    let mut offset = 0;
    for alternative in fields[1].split('|') {
        if alternative.trim().len() > MAX_FORM_BYTES {
            let col = field_column(line, 1) + fields[1][..offset].chars().count();
            return Err((col, too_long("original", alternative.trim().len())));
        }
        offset += alternative.len() + 1;
    }
    let originals: Vec<String> = fields[1].split('|').map(|s| s.trim().to_string()).collect();
    if originals.iter().any(String::is_empty) {
        return Err((field_column(line, 1), "empty original".into()));
    }
    if originals.iter().any(|o| match_key(o).0 == key) {
        return Err((
            field_column(line, 1),
            format!("`{spun}` is its own original"),
        ));
    }
    let mut entry = Entry {
        spun: spun.to_string(),
        key,
        len,
        originals,
        class: Class::Fingerprint,
        left: Vec::new(),
        right: Vec::new(),
        not_left: Vec::new(),
        not_right: Vec::new(),
        report_only: false,
        exact_case: false,
        prior: None,
        source: 0,
        line: 0,
        tests: Vec::new(),
        allows: Vec::new(),
    };
    if let Some(options) = fields.get(2) {
        let base = field_column(line, 2);
        let mut offset = 0;
        for opt in options.split(' ') {
            let col = base + options[..offset].chars().count();
            offset += opt.len() + 1;
            if opt.is_empty() {
                continue;
            }
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (opt, None),
            };
            match (name, value) {
                ("class", Some(v)) => {
                    entry.class = Class::parse(v).ok_or_else(|| {
                        (
                            col,
                            format!(
                                "unknown class `{v}`: expected fingerprint, unusual or ambiguous"
                            ),
                        )
                    })?
                }
                ("left" | "right" | "not_left" | "not_right", Some(v)) => {
                    let words: Vec<String> = v
                        .split('|')
                        .map(|w| if w == NUMBER { w.to_string() } else { match_key(w).0 })
                        .collect();
                    if words.iter().any(|w| w.is_empty() || w.contains(' ')) {
                        return Err((col, format!("`{name}=` takes single words separated by `|`")));
                    }
                    match name {
                        "left" => entry.left = words,
                        "right" => entry.right = words,
                        "not_left" => entry.not_left = words,
                        _ => entry.not_right = words,
                    }
                }
                ("prior", Some(v)) => {
                    entry.prior = Some(
                        v.parse::<f32>()
                            .ok()
                            .filter(|p| *p > 0.0 && *p < 1.0)
                            .ok_or_else(|| (col, format!("`prior={v}`: expected a number between 0 and 1")))?,
                    )
                }
                ("report", None) => entry.report_only = true,
                ("case", Some("exact")) => entry.exact_case = true,
                _ => {
                    return Err((
                        col,
                        format!(
                            "unknown option `{opt}`: expected class=, left=, right=, not_left=, not_right=, prior=, report or case=exact"
                        ),
                    ))
                }
            }
        }
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_two_and_three_column_lines() {
        let d = Dictionary::parse(
            "t.tsv",
            "# c\n\nfinal 12 months\tlast year\nstated\tsaid\tclass=ambiguous\nthrough\tduring|via\tclass=ambiguous right=the|a\n",
        )
        .unwrap();
        assert_eq!(d.len(), 3);
        let e = &d.entries[0];
        assert_eq!(
            (e.key.as_str(), e.len, e.class),
            ("final 12 months", 3, Class::Fingerprint)
        );
        assert_eq!(e.originals, vec!["last year"]);
        assert_eq!(e.line, 3);
        assert_eq!(d.entries[1].class, Class::Ambiguous);
        assert_eq!(d.entries[2].originals, vec!["during", "via"]);
        assert_eq!(d.entries[2].right, vec!["the", "a"]);
        assert_eq!(d.location(&d.entries[2]), "t.tsv:5");
    }

    #[test]
    fn keys_fold_case_space_and_apostrophes() {
        assert_eq!(
            match_key("One  Another’s"),
            ("one another's".to_string(), 2)
        );
        assert_eq!(match_key("don't,"), ("don't ,".to_string(), 2));
        // Decomposed accents compose, as the text's do (NFC).
        assert_eq!(
            match_key("Cafe\u{301} Society"),
            ("caf\u{e9} society".to_string(), 2)
        );
        assert_eq!(match_key("C++ .NET"), ("c + + . net".to_string(), 5));
        let d = Dictionary::parse("t.tsv", "Cafe\u{301}\tcoffee\tcase=exact\n").unwrap();
        assert_eq!(d.entries[0].spun, "Caf\u{e9}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = |text: &str| Dictionary::parse("u.tsv", text).unwrap_err().to_string();
        assert_eq!(
            err("ok\tfine\nno tab here\n"),
            "u.tsv:2:1: expected `spun<TAB>original[<TAB>options]`, found no tab"
        );
        assert_eq!(
            err("a\tb\tclass=sure\n"),
            "u.tsv:1:5: unknown class `sure`: expected fingerprint, unusual or ambiguous"
        );
        assert_eq!(
            err("a\tb\treport bogus\n"),
            "u.tsv:1:12: unknown option `bogus`: expected class=, left=, right=, not_left=, not_right=, prior=, report or case=exact"
        );
        assert_eq!(err("x\t\n"), "u.tsv:1:3: empty original");
        assert_eq!(
            err("a\tb\tprior=1.5\n"),
            "u.tsv:1:5: `prior=1.5`: expected a number between 0 and 1"
        );
        assert_eq!(err("\ty\n"), "u.tsv:1:1: empty spun form");
        assert_eq!(err("Said\tsaid\n"), "u.tsv:1:6: `Said` is its own original");
        assert_eq!(
            err("a\tb\tc\td\n"),
            "u.tsv:1:7: too many fields: options go in the third field, separated by spaces"
        );
        assert_eq!(
            err("...\tb\n"),
            "u.tsv:1:1: spun form `...` has no word in it"
        );
        let long = "w ".repeat(250) + "w";
        assert_eq!(
            err(&format!("ok\tfine\n{long}\tx\n")),
            "u.tsv:2:1: spun form of 501 bytes is too long (at most 500): an entry is a phrase of a few words"
        );
        assert_eq!(
            err(&format!("a\tb|{long}\n")),
            "u.tsv:1:5: original of 501 bytes is too long (at most 500): an entry is a phrase of a few words"
        );
        // Exactly at the limit is allowed.
        let (w, x) = ("w".repeat(MAX_FORM_BYTES), "x".repeat(MAX_FORM_BYTES));
        assert!(Dictionary::parse("u.tsv", &format!("{w}\tb|{x}\n")).is_ok());
        assert_eq!(
            err("a\tb\tleft=x y\n"),
            "u.tsv:1:12: unknown option `y`: expected class=, left=, right=, not_left=, not_right=, prior=, report or case=exact"
        );
    }

    #[test]
    fn examples_follow_their_entry() {
        let d = Dictionary::parse(
            "t.tsv",
            "a\tb\n> x a y\n> an a => an b\n= A is fine\n\nc\td\n",
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(
            d.entries[0].tests,
            vec![
                ("x a y".to_string(), None),
                ("an a".to_string(), Some("an b".to_string()))
            ]
        );
        assert_eq!(d.entries[0].allows, vec!["A is fine"]);
        assert!(d.entries[1].tests.is_empty() && d.entries[1].allows.is_empty());
        let err = |text: &str| Dictionary::parse("u.tsv", text).unwrap_err().to_string();
        assert_eq!(
            err("> orphan\n"),
            "u.tsv:1:1: example line (`> `) outside an entry: put it directly after the entry it tests"
        );
        assert_eq!(
            err("a\tb\n# c\n= x\n"),
            "u.tsv:3:1: example line (`= `) outside an entry: put it directly after the entry it tests"
        );
        assert_eq!(err("a\tb\n>\n"), "u.tsv:2:1: empty example after `>`");
        assert_eq!(
            err("a\tb\n> x => \n"),
            "u.tsv:2:1: expected `> TEXT => EXPECTED`"
        );
    }

    #[test]
    fn lenient_parsing_reports_every_error() {
        let (d, errors) = Dictionary::parse_lenient("u.tsv", "bad\n> x\na\tb\nc\n");
        assert_eq!(d.len(), 1);
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "u.tsv:1:1: expected `spun<TAB>original[<TAB>options]`, found no tab",
                "u.tsv:4:1: expected `spun<TAB>original[<TAB>options]`, found no tab",
            ]
        );
    }

    #[test]
    fn builtin_parses_and_is_not_empty() {
        assert!(!Dictionary::builtin().is_empty());
    }

    /// A spinner makes one pass, so a repair must not produce another
    /// entry's spun form: cleaning twice would then change the text again.
    #[test]
    fn builtin_has_no_chains() {
        let chains = Dictionary::builtin().chains();
        assert!(chains.is_empty(), "{chains:#?}");
        let d = Dictionary::parse("t", "a\tb\nb\tc\nc\td\treport\n").unwrap();
        assert_eq!(d.chains(), vec!["t:1: a -> b"]);
    }

    #[test]
    fn extend_keeps_sources_apart() {
        let mut a = Dictionary::parse("a.tsv", "x\ty\n").unwrap();
        a.extend(Dictionary::parse("b.tsv", "\n\np\tq\n").unwrap());
        assert_eq!(a.location(&a.entries[1]), "b.tsv:3");
    }
}
