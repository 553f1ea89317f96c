//! Throughput of each stage of the pipeline, in bytes per second, on the
//! development articles (`../shared/data/dev`: 20 spun news articles and
//! their 20 originals, one document each).
//!
//! Every stage runs over the same documents, so the stage times add up and
//! can be set against the end-to-end clean. Each stage's input is made
//! once, before timing, by the stages before it; each iteration checks its
//! own output against a result computed once beforehand (token counts,
//! candidate counts, repairs decided, spliced text, JSON lines, cleaned
//! text), so a fast wrong answer fails the run instead of looking good.
//!
//! `cargo bench --bench stages` (add `-- --quick` for a short run).

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use despin::context;
use despin::detect::{Candidate, Matcher};
use despin::jsonl::{clean_record, Outcome};
use despin::lm::LanguageModel;
use despin::rewrite::{splice, Splice};
use despin::token::{tokenize, Kind, Token};
use despin::{Cleaner, Decider, Dictionary, Edit, Options, SpinScore};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// One development article, with what every stage makes of it.
struct Doc {
    text: String,
    spun: bool,
    tokens: Vec<Token>,
    /// Candidates as the matcher finds them.
    found: Vec<Candidate>,
    /// The same with the language model's and the document's evidence.
    scored: Vec<Candidate>,
    spin: SpinScore,
    applied: usize,
    /// The end-to-end edits, as splices, and the cleaned text.
    splices: Vec<Splice>,
    cleaned: String,
    /// The document as a JSON Lines record, and as cleaned.
    line: Vec<u8>,
    cleaned_line: Vec<u8>,
}

/// Stops the run: the stage benchmarks need the development articles.
fn missing(path: &Path, e: std::io::Error) -> ! {
    panic!(
        "{}: {e}\nthe stage benchmarks need the development articles of ../shared/data/dev",
        path.display()
    )
}

/// The spun and original articles of `../shared/data/dev`, by file name.
fn load_dev() -> Vec<(String, bool)> {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dev");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| missing(p, e));
    let spun_dir = dev.join("spun");
    let mut names: Vec<_> = std::fs::read_dir(&spun_dir)
        .unwrap_or_else(|e| missing(&spun_dir, e))
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut docs = Vec::new();
    for name in names {
        docs.push((read(&spun_dir.join(&name)), true));
        docs.push((read(&dev.join("original").join(&name)), false));
    }
    assert!(docs.len() >= 2, "no articles in {}", spun_dir.display());
    docs
}

/// Fills in the language model's preference for every candidate, as
/// `Cleaner` does (which skips candidates whose prior is below 0.01: here
/// every candidate is scored).
fn score_context(lm: &LanguageModel, text: &str, tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates.iter_mut() {
        c.lm = context::deltas(lm, text, tokens, c.tokens.clone(), &c.replacements);
    }
}

fn decide(decider: &Decider, doc: &Doc) -> usize {
    decider
        .decide(&doc.scored, &doc.spin, |c| c.report_only)
        .iter()
        .filter(|d| d.apply)
        .count()
}

/// Runs every stage once on every article and keeps the results.
fn prepare(dict: &Dictionary, matcher: &Matcher, cleaner: &Cleaner) -> Vec<Doc> {
    let lm = LanguageModel::builtin();
    let decider = Options::default().decider;
    let docs: Vec<Doc> = load_dev()
        .into_iter()
        .enumerate()
        .map(|(id, (text, spun))| {
            let tokens = tokenize(&text);
            let found = matcher.find(dict, &text, &tokens);
            let words = tokens.iter().filter(|t| t.kind != Kind::Punct).count();
            let spin = SpinScore::of(&found, words);
            let mut scored = found.clone();
            score_context(lm, &text, &tokens, &mut scored);
            let out = cleaner.clean(&text);
            let splices: Vec<Splice> = out.edits.iter().map(Edit::splice).collect();
            let record = serde_json::json!({"id": id, "source": "dev", "text": text});
            let line = serde_json::to_vec(&record).unwrap();
            let cleaned_line = clean_record(cleaner, &line, "text").line;
            let mut doc = Doc {
                text,
                spun,
                tokens,
                found,
                scored,
                spin,
                applied: 0,
                splices,
                cleaned: out.text,
                line,
                cleaned_line,
            };
            doc.applied = decide(&decider, &doc);
            doc
        })
        .collect();
    // What the results must look like: spun articles repaired, originals
    // untouched, the edits reproducing the cleaned text.
    for d in &docs {
        assert_eq!(splice(&d.text, &d.splices), d.cleaned);
        if d.spun {
            assert!(d.spin.is_spun() && d.applied > 0 && d.cleaned != d.text);
            assert_ne!(d.cleaned_line, d.line);
        } else {
            assert!(!d.spin.is_spun() && d.splices.is_empty() && d.cleaned == d.text);
            assert_eq!(d.cleaned_line, d.line);
        }
    }
    docs
}

/// A benchmark group measured in bytes per second of `bytes`.
fn group<'c>(c: &'c mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(bytes as u64));
    g
}

fn stages(c: &mut Criterion) {
    let dict = Dictionary::builtin();
    let matcher = Matcher::new(&dict);
    let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
    let decider = Options::default().decider;
    let lm = LanguageModel::builtin();
    let docs = prepare(&dict, &matcher, &cleaner);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let line_bytes: usize = docs.iter().map(|d| d.line.len()).sum();
    let count = |f: fn(&Doc) -> usize| docs.iter().map(f).sum::<usize>();
    eprintln!(
        "stages: {} articles, {bytes} bytes, {} tokens, {} candidates, {} repairs decided, {} edits",
        docs.len(),
        count(|d| d.tokens.len()),
        count(|d| d.found.len()),
        count(|d| d.applied),
        count(|d| d.splices.len()),
    );

    let mut g = group(c, "tokenize", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                assert_eq!(tokenize(black_box(&d.text)).len(), d.tokens.len());
            }
        })
    });
    g.finish();

    let mut g = group(c, "match", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                let found = matcher.find(&dict, black_box(&d.text), &d.tokens);
                assert_eq!(found.len(), d.found.len());
            }
        })
    });
    g.finish();

    // Not a stage of its own in the library, but where `decide` gets its
    // evidence: the language model.
    let mut g = group(c, "context", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                let mut found = d.found.clone();
                score_context(lm, black_box(&d.text), &d.tokens, &mut found);
                assert_eq!(found.len(), d.scored.len());
            }
        })
    });
    g.finish();

    let mut g = group(c, "decide", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                assert_eq!(decide(&decider, black_box(d)), d.applied);
            }
        })
    });
    g.finish();

    let mut g = group(c, "rewrite", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                assert_eq!(splice(black_box(&d.text), &d.splices), d.cleaned);
            }
        })
    });
    g.finish();

    let mut g = group(c, "json", line_bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                let record = clean_record(&cleaner, black_box(&d.line), "text");
                assert!(matches!(record.outcome, Outcome::Cleaned { .. }));
                assert_eq!(record.line, d.cleaned_line);
            }
        })
    });
    g.finish();

    let mut g = group(c, "clean", bytes);
    g.bench_function("dev", |b| {
        b.iter(|| {
            for d in &docs {
                let out = cleaner.clean(black_box(&d.text));
                assert_eq!(out.edits.len(), d.splices.len());
                assert_eq!(out.text, d.cleaned);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
