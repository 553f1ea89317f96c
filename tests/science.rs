//! The science pack on paper abstracts written for this test: tortured with
//! the pack's own pairs, then repaired by `Cleaner::with_science`.

use despin::eval;
use despin::packs::{self, looks_scientific};
use despin::{Cleaner, Dictionary, Options};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Abstracts and the expected phrases in each that get tortured.
const ABSTRACTS: &[(&str, &[&str])] = &[
    (
        "We study how artificial intelligence can support triage in rural clinics. A \
         random forest and a support vector machine were trained on 4,200 patient records, \
         and the proposed approach reached an accuracy of 91% on the test set. Results \
         suggest that simple models remain competitive when data are scarce.",
        &[
            "artificial intelligence",
            "random forest",
            "support vector machine",
            "test set",
        ],
    ),
    (
        "This paper presents a method for image recognition in low light. Feature \
         extraction is performed by a convolutional neural network pretrained on a large \
         dataset, followed by feature selection with a genetic algorithm. Experiments on \
         three benchmarks show significant gains over the state of the art.",
        &[
            "image recognition",
            "convolutional neural network",
            "feature selection",
            "genetic algorithm",
            "state of the art",
        ],
    ),
    (
        "The specific surface area of activated carbon samples was measured before and \
         after treatment with folic acid. Analysis of the isotherms indicates that the \
         surface area increased by 38%, and the heat transfer coefficient of the packed \
         bed improved accordingly. We discuss the parameters that control this effect.",
        &["surface area", "folic acid", "heat transfer"],
    ),
    (
        "Data mining of hospital records can reveal early signs of breast cancer. We \
         combine logistic regression with a decision tree and evaluate the model on a \
         held-out training set split. The proposed system identifies 87% of cases, a \
         significant improvement over the baseline (p < 0.01).",
        &[
            "data mining",
            "breast cancer",
            "logistic regression",
            "decision tree",
            "training set",
        ],
    ),
    (
        "Deep learning has changed how speech recognition systems are built. We propose \
         a lightweight architecture trained with reinforcement learning that lowers the \
         mean square error of the acoustic model by 12%. The method runs on a single \
         processor and its performance is reported in Table 2.",
        &[
            "deep learning",
            "speech recognition",
            "reinforcement learning",
            "mean square error",
        ],
    ),
    (
        "The internet of things produces big data at a rate that strains existing \
         pipelines. We describe an algorithm that schedules cloud computing jobs for a \
         wireless sensor network and evaluate its energy consumption in simulation. \
         Results show that the approach halves latency compared with earlier work.",
        &[
            "internet of things",
            "big data",
            "cloud computing",
            "wireless sensor network",
            "energy consumption",
        ],
    ),
    (
        "Natural language processing tools are rarely evaluated on regional dialects. \
         We collect a corpus of 60,000 sentences and compare a neural network with a \
         machine learning baseline built on word counts. The analysis shows that both \
         models lose accuracy on rare spellings, as noted by Smith et al. in earlier work.",
        &[
            "natural language processing",
            "neural network",
            "machine learning",
        ],
    ),
    (
        "We examine how global warming affects demand for renewable energy in coastal \
         regions. A linear regression over twenty years of data links higher summer \
         temperatures to increased installation of solar panels. The model explains 64% \
         of the variance, and the hypothesis of no effect is rejected.",
        &["global warming", "renewable energy", "linear regression"],
    ),
    (
        "Principal component analysis is applied to spectra of 300 soil samples to reduce \
         their dimension before classification. A loss function that penalises rare \
         classes is then minimised with particle swarm optimization. The proposed method \
         is validated by cross-validation and compared with two approaches from the \
         literature.",
        &[
            "principal component analysis",
            "loss function",
            "particle swarm optimization",
            "cross-validation",
        ],
    ),
    (
        "Climate change alters the flowering time of alpine plants. We fit a model to \
         observations from 45 sites and find that warmer springs advance flowering by \
         four days per degree. Deep learning was not needed: a simple regression on \
         temperature performs as well as the more complex methods (Fig. 3).",
        &["climate change", "deep learning"],
    ),
];

fn science() -> Dictionary {
    packs::pack("science").expect("the science pack exists")
}

/// Repairable tortured forms of each expected phrase, in file order.
fn tortured_forms(pack: &Dictionary) -> HashMap<String, Vec<String>> {
    let mut forms: HashMap<String, Vec<String>> = HashMap::new();
    for e in &pack.entries {
        if !e.report_only && e.originals.len() == 1 && e.left.is_empty() && e.right.is_empty() {
            forms
                .entry(e.originals[0].clone())
                .or_default()
                .push(e.spun.clone());
        }
    }
    forms
}

/// Each abstract with its phrases replaced by tortured forms, taking a
/// different form of a phrase each time it is used.
fn torture(pack: &Dictionary) -> Vec<String> {
    let forms = tortured_forms(pack);
    let mut used: HashMap<String, usize> = HashMap::new();
    ABSTRACTS
        .iter()
        .map(|(text, phrases)| {
            let mut out = text.to_string();
            for p in *phrases {
                let lower = p.to_lowercase();
                let options = forms
                    .get(&lower)
                    .unwrap_or_else(|| panic!("no tortured form of `{p}` in the pack"));
                let n = used.entry(lower.clone()).or_default();
                let form = &options[(*n * 7) % options.len()];
                *n += 1;
                // Also a capitalised phrase at a sentence start.
                let cap = capitalize(p);
                assert!(
                    out.contains(p) || out.contains(&cap),
                    "`{p}` is not in its abstract"
                );
                out = out.replace(p, form).replace(&cap, &capitalize(form));
            }
            out
        })
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn cleaner() -> Cleaner {
    Cleaner::with_science(Dictionary::builtin(), science(), Options::default())
}

#[test]
fn tortured_abstracts_are_repaired() {
    let pack = science();
    let cleaner = cleaner();
    let tortured = torture(&pack);
    let mut total = eval::Counts::default();
    for ((original, _), spun) in ABSTRACTS.iter().zip(&tortured) {
        assert_ne!(spun, original);
        assert!(looks_scientific(spun), "not scientific: {spun}");
        let repaired = cleaner.clean(spun).text;
        let counts = eval::score_text(spun, &repaired, original);
        if counts.broken > 0 || counts.wrong_change > 0 || counts.missed > 0 {
            eprintln!("spun:     {spun}\nrepaired: {repaired}\noriginal: {original}\n");
        }
        total += counts;
    }
    let s = eval::summary(&total);
    eprintln!(
        "science abstracts: precision {:?} recall {:?} ({} fixed, {} broken, {} wrong, {} missed)",
        s.precision, s.recall, total.fixed, total.broken, total.wrong_change, total.missed
    );
    assert!(s.precision.unwrap_or(0.0) >= 0.98, "{s:?}");
    assert!(s.recall.unwrap_or(0.0) >= 0.95, "{s:?}");
}

#[test]
fn clean_abstracts_are_untouched() {
    let cleaner = cleaner();
    for (text, _) in ABSTRACTS {
        assert!(looks_scientific(text), "not scientific: {text}");
        let out = cleaner.clean(text);
        assert_eq!(out.text, *text, "{:?}", out.edits);
        assert!(out.edits.is_empty());
    }
}

#[test]
fn news_does_not_look_scientific() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("examples/spun-news.txt")).unwrap();
    assert!(!looks_scientific(&example));
    let dev = root.join("../shared/data/dev");
    let Ok(dirs) = std::fs::read_dir(dev.join("original")) else {
        println!("skipped: {} not found", dev.display());
        return;
    };
    let mut n = 0;
    for entry in dirs {
        let name = entry.unwrap().file_name();
        for kind in ["original", "spun"] {
            let path = dev.join(kind).join(&name);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            assert!(
                !looks_scientific(&text),
                "{} looks scientific",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n > 0);
}

/// A repair must never produce a form that another entry repairs again,
/// within the pack or together with the news dictionary.
#[test]
fn science_pack_has_no_chains() {
    let mut d = Dictionary::builtin();
    d.extend(science());
    let chains = d.chains();
    assert!(chains.is_empty(), "{chains:#?}");
}

#[test]
fn science_pack_is_sorted_and_large() {
    let pack = science();
    assert!(pack.len() >= 7000, "{}", pack.len());
    let keys: Vec<(String, &str)> = pack
        .entries
        .iter()
        .map(|e| (e.spun.to_lowercase(), e.spun.as_str()))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "not sorted or not unique"
    );
    let distinct: HashSet<&str> = pack.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(distinct.len(), pack.len(), "duplicate keys");
    assert!(packs::SCIENCE.contains("CC BY 4.0"));
}
