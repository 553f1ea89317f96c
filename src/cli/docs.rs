//! The work on one document or one JSON Lines record. It runs on a worker
//! thread and renders everything the main thread will write for it, so that
//! writing stays in input order and costs the main thread little.

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
}

/// The rendered results for one document or record.
#[derive(Debug, Default)]
pub struct DocOut {
    /// Output bytes (cleaned document, or record line with its line ending),
    /// in `Mode::Clean`; `None` when there is nothing to write.
    pub data: Option<Vec<u8>>,
    /// For standard output: the diff or the check line.
    pub stdout: String,
    /// Report lines.
    pub report: String,
    /// Messages for standard error, each line complete.
    pub stderr: String,
    /// Something went wrong (exit status 2).
    pub failed: bool,
    /// The document counts as spun.
    pub spun: bool,
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
    fn render_common(
        &self,
        out: &mut DocOut,
        source: &str,
        edits: &[Edit],
        suggestions: &[Edit],
        spin: &SpinScore,
    ) {
        out.spun = spin.is_spun();
        if self.report {
            for edit in edits {
                json_line(
                    &mut out.report,
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
                        &mut out.report,
                        &ReportLine {
                            source,
                            edit,
                            applied: false,
                        },
                    );
                }
            }
        }
    }

    fn check_line(&self, out: &mut DocOut, source: &str, spin: &SpinScore, edits: usize) {
        json_line(
            &mut out.stdout,
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
        let c = self.cleaner.clean_bytes(bytes);
        let mut out = DocOut::default();
        if let Some(first) = c.invalid_utf8.first() {
            out.stderr = format!("despin: warning: {name}: invalid UTF-8 at byte {first}");
            if c.invalid_utf8.len() > 1 {
                out.stderr += &format!(" (and {} more)", c.invalid_utf8.len() - 1);
            }
            out.stderr.push('\n');
        }
        self.render_common(&mut out, name, &c.edits, &c.suggestions, &c.spin);
        match self.mode {
            Mode::Check => self.check_line(&mut out, name, &c.spin, c.edits.len()),
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

    /// Cleans one JSON Lines record. `line` excludes the `\n`; `newline`
    /// says whether it had one.
    pub fn record(&self, name: &str, line_no: usize, line: &[u8], newline: bool) -> DocOut {
        let mut out = DocOut::default();
        let with_ending = |mut bytes: Vec<u8>| {
            if newline {
                bytes.push(b'\n');
            }
            Some(bytes)
        };
        // Blank lines are not records: pass them through silently.
        if line.iter().all(u8::is_ascii_whitespace) {
            if self.mode == Mode::Clean {
                out.data = with_ending(line.to_vec());
            }
            return out;
        }
        let r = clean_record(&self.cleaner, line, &self.field);
        let located = format!("{name}:{line_no}");
        let (value, cleaned) = match r.outcome {
            Outcome::Cleaned { value, cleaned } => (value, cleaned),
            Outcome::Verbatim(reason) => {
                out.stderr = format!("{located}: {reason}\n");
                out.failed = true;
                if self.mode == Mode::Clean {
                    out.data = with_ending(line.to_vec());
                }
                return out;
            }
        };
        self.render_common(
            &mut out,
            &located,
            &cleaned.edits,
            &cleaned.suggestions,
            &cleaned.spin,
        );
        match self.mode {
            Mode::Check => {
                let source = r.id.as_deref().unwrap_or(&located);
                self.check_line(&mut out, source, &cleaned.spin, cleaned.edits.len());
            }
            Mode::Diff if cleaned.changed() => {
                let text = self.cleaner.options().normalization.apply(&value);
                out.stdout = format!(
                    "--- {located}\n{}",
                    checked_word_diff(&text, &cleaned.edits)
                );
            }
            Mode::Diff => {}
            Mode::Clean => out.data = with_ending(r.line),
        }
        out
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
