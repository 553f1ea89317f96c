//! The work on one document or one chunk of JSON Lines records. It runs on
//! a worker thread and renders everything the main thread will write for
//! it (a chunk's records into one buffer per stream), so that writing stays
//! in input order and costs the main thread little.

use despin::diff::word_diff;
use despin::jsonl::{clean_record, Outcome};
use despin::{CleanedBytes, Cleaner, Edit, SpinScore};
use serde::Serialize;

/// What the run produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The cleaned documents.
    Clean,
    /// A word diff per changed document.
    Diff,
    /// A JSON line per document with its spin score.
    Check,
}

/// Everything a worker needs; shared by reference across threads.
pub struct Job {
    pub cleaner: Cleaner,
    pub field: String,
    pub mode: Mode,
    /// Render report lines.
    pub report: bool,
    /// Include suggestions in the report.
    pub suggestions: bool,
    /// `--max-doc-bytes`: larger documents and records pass through.
    pub max_doc_bytes: u64,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The start of a file looks like UTF-16 (or UTF-32): a byte order mark,
/// or NUL bytes at most even (or most odd) offsets and none at the others,
/// as ASCII text in UTF-16 has.
pub fn looks_utf16(start: &[u8]) -> bool {
    if start.starts_with(UTF8_BOM) {
        return false;
    }
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        return true;
    }
    let sample = &start[..start.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs == 0 {
        return false;
    }
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let most = |n: usize| n * 4 >= pairs * 3;
    (most(even) && odd == 0) || (most(odd) && even == 0)
}

/// The message for an input that looks like UTF-16.
pub const UTF16_MESSAGE: &str =
    "UTF-16 text is not supported; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)";

/// The message for a document or record over `--max-doc-bytes`; `at` is
/// `PATH` or `PATH:LINE`.
pub fn too_large(at: &str, len: u64, max: u64) -> String {
    format!(
        "despin: {at}: document of {len} bytes exceeds --max-doc-bytes {max}; \
         passed through unchanged\n"
    )
}

/// What was done, counted for `--stats`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Documents and records read (blank lines are not records).
    pub documents: u64,
    /// Of which spun.
    pub spun: u64,
    /// Edits made (in `check`: that would be made).
    pub edits: u64,
    /// Records passed through verbatim (malformed, or without the field).
    pub verbatim: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.documents += o.documents;
        self.spun += o.spun;
        self.edits += o.edits;
        self.verbatim += o.verbatim;
    }
}

/// The rendered results for one document, or for a run of consecutive
/// records (each stream in record order).
#[derive(Debug, Default)]
pub struct DocOut {
    /// Output bytes (cleaned document, or record lines with their line
    /// endings), in `Mode::Clean`; `None` when there is nothing to write.
    pub data: Option<Vec<u8>>,
    /// For standard output: the diff or the check line.
    pub stdout: String,
    /// Report lines.
    pub report: String,
    /// Messages for standard error, each line complete and in one form,
    /// `despin: PATH[:LINE]: message` (`message` starting `warning: ` when
    /// nothing failed), like ripgrep's `rg: PATH: message` and a
    /// compiler's `FILE:LINE:COL: warning: message`: a script can split
    /// every line the same way, and the line says which program spoke.
    pub stderr: String,
    /// Something went wrong (exit status 2).
    pub failed: bool,
    /// What was done.
    pub counts: Counts,
}

impl DocOut {
    fn count(&mut self, spin: &SpinScore, edits: usize) {
        self.counts.documents += 1;
        self.counts.spun += u64::from(spin.is_spun());
        self.counts.edits += edits as u64;
    }
}

#[derive(Serialize)]
struct ReportLine<'a> {
    source: &'a str,
    #[serde(flatten)]
    edit: &'a Edit,
    applied: bool,
}

#[derive(Serialize)]
struct CheckLine<'a> {
    source: &'a str,
    spun: bool,
    score: f64,
    edits: usize,
}

fn json_line<T: Serialize>(out: &mut String, value: &T) {
    // Plain structs of strings and numbers always serialise.
    if let Ok(s) = serde_json::to_string(value) {
        out.push_str(&s);
        out.push('\n');
    }
}

impl Job {
    fn render_report(&self, out: &mut String, source: &str, edits: &[Edit], suggestions: &[Edit]) {
        for edit in edits {
            json_line(
                out,
                &ReportLine {
                    source,
                    edit,
                    applied: true,
                },
            );
        }
        if self.suggestions {
            for edit in suggestions {
                json_line(
                    out,
                    &ReportLine {
                        source,
                        edit,
                        applied: false,
                    },
                );
            }
        }
    }

    /// Whether the report has lines for these edits and suggestions.
    fn reports(&self, edits: &[Edit], suggestions: &[Edit]) -> bool {
        self.report && !(edits.is_empty() && (!self.suggestions || suggestions.is_empty()))
    }

    fn check_line(&self, out: &mut String, source: &str, spin: &SpinScore, edits: usize) {
        json_line(
            out,
            &CheckLine {
                source,
                spun: spin.is_spun(),
                score: (f64::from(spin.score) * 1000.0).round() / 1000.0,
                edits,
            },
        );
    }

    /// Cleans one whole document that may hold invalid UTF-8.
    pub fn text(&self, name: &str, bytes: &[u8]) -> DocOut {
        let mut out = DocOut::default();
        if looks_utf16(bytes) {
            out.stderr = format!("despin: {name}: {UTF16_MESSAGE}\n");
            out.failed = true;
            return out;
        }
        if let Some(at) = memchr::memchr(0, bytes) {
            let what = if self.mode == Mode::Clean {
                out.data = Some(bytes.to_vec());
                "copied unchanged"
            } else {
                "skipped"
            };
            out.stderr = format!("despin: {name}: binary file (NUL byte at offset {at}), {what}\n");
            out.counts.documents += 1;
            out.counts.verbatim += 1;
            return out;
        }
        let c = self.cleaner.clean_bytes(bytes);
        if let Some(first) = c.invalid_utf8.first() {
            out.stderr = format!("despin: {name}: warning: invalid UTF-8 at byte {first}");
            if c.invalid_utf8.len() > 1 {
                out.stderr += &format!(" (and {} more)", c.invalid_utf8.len() - 1);
            }
            out.stderr.push('\n');
        }
        out.count(&c.spin, c.edits.len());
        if self.reports(&c.edits, &c.suggestions) {
            self.render_report(&mut out.report, name, &c.edits, &c.suggestions);
        }
        match self.mode {
            Mode::Check => self.check_line(&mut out.stdout, name, &c.spin, c.edits.len()),
            Mode::Diff if !c.edits.is_empty() => {
                out.stdout = format!("--- {name}\n{}", self.text_diff(bytes, &c));
            }
            Mode::Diff => {}
            Mode::Clean => out.data = Some(c.bytes),
        }
        out
    }

    fn text_diff(&self, bytes: &[u8], c: &CleanedBytes) -> String {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                checked_word_diff(&self.cleaner.options().normalization.apply(text), &c.edits)
            }
            Err(_) => {
                // Edit spans are input offsets here: keep the length of every
                // invalid byte with a one-byte stand-in.
                let mut text = String::with_capacity(bytes.len());
                for chunk in bytes.utf8_chunks() {
                    text.push_str(chunk.valid());
                    text.extend(std::iter::repeat('?').take(chunk.invalid().len()));
                }
                checked_word_diff(&text, &c.edits)
            }
        }
    }

    /// Cleans a run of JSON Lines records, the first on line `line_no`:
    /// every line of `bytes` (the last may lack its `\n`).
    pub fn records(&self, name: &str, line_no: usize, bytes: &[u8]) -> DocOut {
        let mut out = DocOut::default();
        if self.mode == Mode::Clean {
            // Room for the chunk's records, unless it is one huge record:
            // then the buffer is made after cleaning, not during.
            let room = if bytes.len() <= 4 << 20 {
                bytes.len() + bytes.len() / 16
            } else {
                0
            };
            out.data = Some(Vec::with_capacity(room));
        }
        let mut start = 0;
        let mut n = line_no;
        while start < bytes.len() {
            let (end, next) = match memchr::memchr(b'\n', &bytes[start..]) {
                Some(i) => (start + i, start + i + 1),
                None => (bytes.len(), bytes.len()),
            };
            self.record(&mut out, name, n, &bytes[start..end], next > end);
            n += 1;
            start = next;
        }
        out
    }

    /// Cleans one JSON Lines record into `out`. `line` excludes the `\n`;
    /// `newline` says whether it had one.
    fn record(&self, out: &mut DocOut, name: &str, line_no: usize, line: &[u8], newline: bool) {
        let write = |out: &mut DocOut, bytes: &[u8]| {
            if let Some(data) = &mut out.data {
                data.extend_from_slice(bytes);
                if newline {
                    data.push(b'\n');
                }
            }
        };
        // Blank lines are not records: pass them through silently.
        if line.iter().all(u8::is_ascii_whitespace) {
            write(out, line);
            return;
        }
        // `PATH:LINE`, rendered only when something needs it.
        let located = std::cell::OnceCell::new();
        let located = || located.get_or_init(|| format!("{name}:{line_no}")).as_str();
        if line.len() as u64 > self.max_doc_bytes {
            out.stderr += &too_large(located(), line.len() as u64, self.max_doc_bytes);
            out.failed = true;
            out.counts.documents += 1;
            out.counts.verbatim += 1;
            write(out, line);
            return;
        }
        // A byte order mark before the first record is kept, but not parsed.
        let bom = line_no == 1 && line.starts_with(UTF8_BOM);
        let r = if bom {
            let mut r = clean_record(&self.cleaner, &line[UTF8_BOM.len()..], &self.field);
            r.line.splice(0..0, UTF8_BOM.iter().copied());
            r
        } else {
            clean_record(&self.cleaner, line, &self.field)
        };
        let (value, cleaned) = match r.outcome {
            Outcome::Cleaned { value, cleaned } => (value, cleaned),
            Outcome::Verbatim(reason) => {
                out.stderr += "despin: ";
                out.stderr += located();
                out.stderr += ": ";
                out.stderr += &reason;
                out.stderr.push('\n');
                out.failed = true;
                out.counts.documents += 1;
                out.counts.verbatim += 1;
                write(out, line);
                return;
            }
        };
        out.count(&cleaned.spin, cleaned.edits.len());
        if self.reports(&cleaned.edits, &cleaned.suggestions) {
            self.render_report(
                &mut out.report,
                located(),
                &cleaned.edits,
                &cleaned.suggestions,
            );
        }
        match self.mode {
            Mode::Check => {
                let source = r.id.as_deref().unwrap_or_else(located);
                self.check_line(&mut out.stdout, source, &cleaned.spin, cleaned.edits.len());
            }
            Mode::Diff if cleaned.changed() => {
                let text = self.cleaner.options().normalization.apply(&value);
                out.stdout += "--- ";
                out.stdout += located();
                out.stdout.push('\n');
                out.stdout += &checked_word_diff(&text, &cleaned.edits);
            }
            Mode::Diff => {}
            // A huge record alone in its chunk: its line is the buffer.
            Mode::Clean if out.data.as_ref().is_some_and(|d| d.capacity() == 0) => {
                let mut line = r.line;
                if newline {
                    line.push(b'\n');
                }
                out.data = Some(line);
            }
            Mode::Clean => write(out, &r.line),
        }
    }
}

/// [`word_diff`] when the edit spans fit `text`; otherwise (which the
/// library should never produce) one `LINE: [-from-]{+to+}` line per edit
/// rather than a panic.
fn checked_word_diff(text: &str, edits: &[Edit]) -> String {
    let fits = edits.iter().all(|e| {
        e.start <= e.end
            && e.end <= text.len()
            && text.is_char_boundary(e.start)
            && text.is_char_boundary(e.end)
    }) && edits.windows(2).all(|w| w[0].end <= w[1].start);
    if fits {
        word_diff(text, edits)
    } else {
        edits
            .iter()
            .map(|e| format!("{}: [-{}-]{{+{}+}}\n", e.line, e.from, e.to))
            .collect()
    }
}
