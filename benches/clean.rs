//! Throughput of the cleaner on realistic text, in bytes per second.
//!
//! The corpus is the development set (`../shared/data/dev`: spun articles
//! and their originals, plus the spun seed articles), repeated to about
//! 1 MB of each kind. Without `../shared` a few paragraphs written for this
//! file stand in, with spun forms from the built-in dictionary put into them.
//!
//! Measured separately, because they take different paths: spun text (many
//! candidates, decisions, splices) and clean text (the automaton finds
//! little), each as ~600 separate documents and as one 1 MB document; and
//! tokenisation alone.
//!
//! Before anything is timed the results are checked (right edits, clean
//! text untouched, quality against the originals), so a fast wrong answer
//! fails the run instead of looking good.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use despin::dict::Class;
use despin::eval;
use despin::token::tokenize;
use despin::{Cleaned, Cleaner, Dictionary, Options};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const TARGET_BYTES: usize = 1_000_000;

/// Documents of one kind: the distinct ones, and the ~1 MB corpus made by
/// repeating them.
struct Corpus {
    distinct: Vec<String>,
    docs: Vec<String>,
    joined: String,
}

impl Corpus {
    fn new(distinct: Vec<String>) -> Corpus {
        assert!(!distinct.is_empty());
        let mut docs = Vec::new();
        let mut bytes = 0;
        while bytes < TARGET_BYTES {
            for d in &distinct {
                bytes += d.len() + 2;
                docs.push(d.clone());
            }
        }
        let joined = docs.join("\n\n");
        Corpus {
            distinct,
            docs,
            joined,
        }
    }

    fn bytes(&self) -> u64 {
        self.joined.len() as u64
    }
}

/// Spun documents, clean documents, and (spun, original) pairs to score.
fn load() -> (Vec<String>, Vec<String>, Vec<(String, String)>) {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let dev = shared.join("data/dev");
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if let Ok(entries) = std::fs::read_dir(dev.join("original")) {
        let mut names: Vec<_> = entries.map(|e| e.unwrap().file_name()).collect();
        names.sort();
        let mut spun = Vec::new();
        let mut clean = Vec::new();
        let mut pairs = Vec::new();
        for name in names {
            let s = read(&dev.join("spun").join(&name));
            let o = read(&dev.join("original").join(&name));
            spun.push(s.clone());
            clean.push(o.clone());
            pairs.push((s, o));
        }
        if let Ok(entries) = std::fs::read_dir(shared.join("seeds")) {
            let mut seeds: Vec<_> = entries
                .map(|e| e.unwrap().path())
                .filter(|p| !p.to_string_lossy().ends_with(".reference.txt"))
                .collect();
            seeds.sort();
            spun.extend(seeds.iter().map(|p| read(p)));
        }
        eprintln!(
            "corpus: {} spun and {} clean documents from {}",
            spun.len(),
            clean.len(),
            shared.display()
        );
        return (spun, clean, pairs);
    }
    eprintln!(
        "corpus: {} not found; using the built-in paragraphs",
        dev.display()
    );
    let clean: Vec<String> = FALLBACK.iter().map(|s| s.to_string()).collect();
    // Spun stand-ins: each paragraph with fingerprint spun forms of the
    // built-in dictionary worked into it.
    let dict = Dictionary::builtin();
    let forms: Vec<&str> = dict
        .entries
        .iter()
        .filter(|e| e.class == Class::Fingerprint && !e.report_only && e.left.is_empty())
        .map(|e| e.spun.as_str())
        .collect();
    assert!(
        !forms.is_empty(),
        "the built-in dictionary has fingerprints"
    );
    let spun = clean
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut doc = String::new();
            for (k, sentence) in p.split(". ").enumerate() {
                doc.push_str(sentence);
                doc.push_str(", ");
                doc.push_str(forms[(i * 7 + k) % forms.len()]);
                doc.push_str(". ");
            }
            doc
        })
        .collect();
    (spun, clean, Vec::new())
}

/// Our own prose, used when the development set is not there.
const FALLBACK: &[&str] = &[
    "The harbour board met on Monday to discuss the new ferry timetable. Crossings to the \
     island will run every forty minutes from May, up from once an hour. Fishermen asked that \
     the early boat keep its slot at half past five. The board agreed to look at the request \
     before the summer season begins.\n\nA survey of passengers found that most travel for \
     work rather than leisure. Many said delays in winter had cost them wages. The operator \
     blamed old engines and promised two new vessels within three years.",
    "Students at the technical college staged a short walkout on Thursday over rising fees. \
     About two hundred people gathered outside the main building with hand-painted signs. \
     The principal met a group of them in the afternoon and said she understood their anger. \
     She added that the college had little room to move while its grant stayed frozen.\n\n\
     Union officials said they would ballot members on further action next week. The \
     education minister's office did not respond to a request for comment.",
    "Heavy snow closed the mountain pass for the third time this month, stranding dozens of \
     lorries on either side. Police urged drivers to avoid the route until ploughs had \
     cleared it. Hotels in the valley reported a rush of bookings from travellers who could \
     not go on.\n\nForecasters expect milder air by the weekend, though more snow may fall on \
     higher ground. Farmers said the late cold had already damaged early crops.",
    "The city museum reopened its east wing after a two-year restoration that uncovered \
     painted ceilings hidden under later plaster. Visitors queued from early morning. A \
     curator said the team had found the designs by accident while fixing a leak. Experts \
     believe the paintings date from the late eighteenth century.\n\nEntry to the new rooms \
     is free until the end of the year, after which the usual ticket price will apply.",
];

fn cleaner() -> Cleaner {
    Cleaner::new(Dictionary::builtin(), Options::default())
}

/// `text` with the edits' replacements put over their spans.
fn splice_edits(text: &str, out: &Cleaned) -> String {
    let mut s = String::new();
    let mut pos = 0;
    for e in &out.edits {
        assert_eq!(&text[e.start..e.end], e.from, "edit span holds its `from`");
        s.push_str(&text[pos..e.start]);
        s.push_str(&e.to);
        pos = e.end;
    }
    s.push_str(&text[pos..]);
    s
}

/// Checks, once, that the cleaner gives the right answers on the corpus.
fn check(cleaner: &Cleaner, spun: &Corpus, clean: &Corpus, pairs: &[(String, String)]) {
    // Spun documents: repaired, and the output is exactly the input with
    // the reported edits applied.
    let mut edits = 0;
    for doc in &spun.distinct {
        let out = cleaner.clean(doc);
        assert_eq!(splice_edits(doc, &out), out.text);
        edits += out.edits.len();
    }
    assert!(edits > 0, "no repairs on spun text");
    // Repeated documents are cleaned the same each time.
    let first = cleaner.clean(&spun.docs[0]);
    let again = cleaner.clean(&spun.docs[spun.distinct.len()]);
    assert_eq!(first, again);
    // Clean documents, one by one and as one text: untouched.
    for doc in &clean.distinct {
        let out = cleaner.clean(doc);
        assert!(out.edits.is_empty(), "edits on clean text: {:?}", out.edits);
        assert_eq!(&out.text, doc);
    }
    let out = cleaner.clean(&clean.joined);
    assert!(out.edits.is_empty() && out.text == clean.joined);
    // The spun corpus as one document: consistent edits, many of them.
    let out = cleaner.clean(&spun.joined);
    assert_eq!(splice_edits(&spun.joined, &out), out.text);
    assert!(out.edits.len() >= edits, "one big document loses repairs");
    // Quality: the repairs of the dev articles are mostly right.
    if !pairs.is_empty() {
        let total: eval::Counts = pairs
            .iter()
            .map(|(s, o)| eval::score_text(s, &cleaner.clean(s).text, o))
            .sum();
        let summary = eval::summary(&total);
        eprintln!(
            "check: dev precision {:?} recall {:?} ({} fixed, {} broken, {} wrong changes)",
            summary.precision, summary.recall, total.fixed, total.broken, total.wrong_change
        );
        assert!(
            summary.precision.unwrap_or(0.0) >= 0.8 && total.fixed > 0,
            "the cleaner's repairs of the dev set are wrong: {summary:?}"
        );
    }
    // Tokens of the joined text are the documents' tokens, in order.
    for corpus in [spun, clean] {
        let joined: Vec<&str> = tokenize(&corpus.joined)
            .iter()
            .map(|t| &corpus.joined[t.span.clone()])
            .collect();
        let separate: Vec<&str> = corpus
            .docs
            .iter()
            .flat_map(|d| {
                tokenize(d)
                    .into_iter()
                    .map(move |t| &d[t.span])
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(joined, separate);
    }
}

fn bench(c: &mut Criterion) {
    let (spun, clean, pairs) = load();
    let (spun, clean) = (Corpus::new(spun), Corpus::new(clean));
    let cleaner = cleaner();
    check(&cleaner, &spun, &clean, &pairs);

    let mut g = c.benchmark_group("clean");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, corpus) in [("spun", &spun), ("clean", &clean)] {
        g.throughput(Throughput::Bytes(corpus.bytes()));
        g.bench_function(format!("{name}/documents"), |b| {
            b.iter(|| {
                for d in &corpus.docs {
                    black_box(cleaner.clean(black_box(d)));
                }
            })
        });
        g.bench_function(format!("{name}/one_text"), |b| {
            b.iter(|| black_box(cleaner.clean(black_box(&corpus.joined))))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("tokenize");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, corpus) in [("spun", &spun), ("clean", &clean)] {
        g.throughput(Throughput::Bytes(corpus.bytes()));
        g.bench_function(name, |b| {
            b.iter(|| black_box(tokenize(black_box(&corpus.joined))))
        });
    }
    g.finish();
}

/// Paper abstracts written for this file, with tortured phrases from the
/// science pack in them (as a paper mill would write them).
const PAPERS: &[&str] = &[
    "We propose a counterfeit consciousness method for grading wheat kernels from \
     photographs. An irregular timberland and a bolster vector machine are trained on \
     3,100 labelled images, and the proposed approach reaches an accuracy of 94% on the \
     test arrangement. Results show that highlight extraction matters more than the \
     choice of model.",
    "The surface region of porous alumina samples was measured by nitrogen adsorption. \
     Analysis of the isotherms shows that the pore volume rises with calcination \
     temperature, and the warmth move coefficient of the packed bed follows it. We \
     discuss the parameters that control the effect and compare with Smith et al.",
    "Information mining of sensor logs can predict pump failures days in advance. We \
     combine calculated relapse with a choice tree and evaluate the model on a held-out \
     split of the data. The proposed system flags 83% of failures, a significant \
     improvement over the baseline (Fig. 4).",
    "Profound learning has reshaped how speech systems are built. We train a small \
     network with fortification learning that lowers the mean square blunder of the \
     acoustic model by 9%. The method runs on one processor and its performance is \
     given in Table 3.",
];

/// The cost of the science pack: `Cleaner::new` (news) against
/// `Cleaner::with_science` (news, and news plus science for documents that
/// look scientific) on the same ~1 MB: news documents (the pack adds only
/// the `looks_scientific` test), tortured paper abstracts (the pack finds
/// and repairs phrases `new` does not see) and the same abstracts repaired
/// (only the bigger automaton differs).
fn bench_science(c: &mut Criterion) {
    let (spun, _, _) = load();
    let news = Corpus::new(spun);
    let papers = Corpus::new(PAPERS.iter().map(|s| s.to_string()).collect());
    let plain = cleaner();
    let science = Cleaner::with_science(
        Dictionary::builtin(),
        despin::packs::pack("science").unwrap(),
        Options::default(),
    );
    // The pack must repair the papers and leave the news as `new` does.
    for d in &papers.distinct {
        assert!(despin::packs::looks_scientific(d));
        assert!(science.clean(d).edits.len() >= 2, "science pack: {d}");
    }
    for d in &news.distinct {
        assert_eq!(science.clean(d), plain.clean(d));
    }
    // The papers as repaired: scientific text with nothing to repair, where
    // the difference is the bigger automaton alone.
    let repaired = Corpus::new(
        papers
            .distinct
            .iter()
            .map(|d| science.clean(d).text)
            .collect(),
    );
    for d in &repaired.distinct {
        assert!(science.clean(d).edits.is_empty(), "{d}");
    }
    let mut g = c.benchmark_group("science_pack");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, corpus) in [
        ("news", &news),
        ("papers", &papers),
        ("papers_repaired", &repaired),
    ] {
        g.throughput(Throughput::Bytes(corpus.bytes()));
        for (which, cl) in [("new", &plain), ("with_science", &science)] {
            g.bench_function(format!("{name}/{which}"), |b| {
                b.iter(|| {
                    for d in &corpus.docs {
                        black_box(cl.clean(black_box(d)));
                    }
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench, bench_science);
criterion_main!(benches);
