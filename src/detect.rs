//! Stage 3: find candidate spun forms in a tokenised text.
//!
//! Exact matching first: every spun form of the dictionary, as a sequence
//! of folded tokens (lower-cased, so "In  Opposition\nto" matches "in
//! opposition to"), goes into one trie of words. Each token of the text is
//! looked up once in the trie's vocabulary, and from every token the trie
//! is walked along the following ones: every match starts and ends on token
//! boundaries by construction. Among the matches, the longest leftmost one
//! wins.
//!
//! Then similarity, spent only on what exact matching left: a word that is a
//! regular inflection of a one-word entry ("workplaces" for "workplace"), and
//! a phrase whose words all match an entry but one, which is a near-miss
//! spelling of the entry's word ("principle street" for "principal street").

use crate::dict::{match_key, push_folded, Class, Dictionary, NUMBER};
use crate::fxhash::{FxHashMap, WordMap, WordSketch};
use crate::morph::{self, Suffix};
use crate::token::{Folded, Kind, Token};
use std::collections::HashMap;
use std::ops::Range;

/// Minimum normalised Damerau-Levenshtein similarity for a near-miss word in
/// a phrase. 0.75 admits two edits in a nine-letter word ("principle" for
/// "principal") but not "stated" for "states" in a short phrase.
pub const FUZZY_MIN_SIMILARITY: f64 = 0.75;
/// Words shorter than this are never matched approximately: short words are
/// too close to other real words.
pub const FUZZY_MIN_LEN: usize = 5;
/// Minimum letters in the exact word that anchors an approximate phrase.
pub const FUZZY_MIN_ANCHOR: usize = 4;
/// Confidence factor for a candidate found through an inflection.
pub const INFLECTED_FACTOR: f32 = 0.95;

/// How a candidate was found. Reports show it as `"exact"`, `"inflected"`
/// or `"fuzzy"`; a fuzzy match's similarity is part of its confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MatchHow {
    /// The spun form as written in the dictionary.
    Exact,
    /// An inflection of a one-word entry.
    Inflected,
    /// A phrase with one misspelt word; the similarity of that word.
    Fuzzy(f32),
    /// No dictionary entry: the inverse thesaurus lists the originals.
    Thesaurus,
}

impl MatchHow {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            MatchHow::Exact => "exact",
            MatchHow::Inflected => "inflected",
            MatchHow::Fuzzy(_) => "fuzzy",
            MatchHow::Thesaurus => "thesaurus",
        }
    }
}

impl serde::Serialize for MatchHow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A place where a dictionary entry may apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Token indices covered.
    pub tokens: Range<usize>,
    /// Entry indices in the dictionary, each a possible explanation.
    pub entries: Vec<usize>,
    /// Replacement texts (dictionary case, inflected where needed), one per
    /// alternative original; parallel to nothing, most likely first.
    pub replacements: Vec<String>,
    /// Index into `entries` of the entry each replacement comes from.
    pub replacement_entry: Vec<usize>,
    /// Per replacement: every entry offering it is report-only, so it may
    /// be suggested but is never the one applied ("throughout" → "during"
    /// is reported, "throughout" → "across" applies in its contexts).
    pub suggest_only: Vec<bool>,
    /// How the match was made.
    pub how: MatchHow,
    /// Strongest class among the entries.
    pub class: Class,
    /// Any covered token lies inside a quotation.
    pub in_quote: bool,
    /// Capitalised in mid-sentence ("Evening Standard"): probably part of
    /// a name, which a spinner's swap is less likely to have touched.
    pub capitalized_mid_sentence: bool,
    /// The first covered token starts a sentence.
    pub sentence_start: bool,
    /// Every entry is report-only: never applied, and no evidence of spin.
    pub report_only: bool,
    /// Each entry's class and `prior=` (if set), for the decision.
    pub entry_priors: Vec<(Class, Option<f32>)>,
    /// Language-model preference for each replacement over the spun form
    /// (log10; see [`crate::context`]); empty when no model is used.
    pub lm: Vec<f32>,
}

/// Bits in [`Matcher::may_inflect`]'s set (8 KiB).
const BASE_PREFIX_BITS: usize = 1 << 16;
/// Longest prefix [`Matcher::may_inflect`] tests.
const BASE_PREFIX_LEN: usize = 3;

/// Where a prefix of a word lands in the set of [`BASE_PREFIX_BITS`] bits;
/// the length is part of the hash, so "wo" and "wor" do not share bits.
fn base_prefix_hash(prefix: &[u8]) -> usize {
    let mut h = prefix.len() as u32;
    for &b in prefix {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// A token the trie does not know.
const NO_WORD: u32 = u32::MAX;
/// No node, or no pattern ending at a node.
const NONE: u32 = u32::MAX;

/// The dictionary's keys as a trie of words. Matching works on tokens, so
/// a key matches exactly where its tokens are the text's tokens, and the
/// cost is one vocabulary lookup a token plus a short walk from the tokens
/// that start a key: an Aho-Corasick automaton over the folded bytes cost
/// four times as much, in an overlapping search whose matches were then
/// kept only on token boundaries.
#[derive(Debug, Clone, Default)]
struct Trie {
    /// Every word of every key, to its id.
    vocab: WordMap<Box<str>>,
    /// The vocabulary as a sketch: most words of a text are in no key,
    /// and most of those fail this one bit test.
    sketch: WordSketch,
    /// By word id: the node a key starting with that word leads to.
    roots: Vec<u32>,
    /// By node: the pattern that ends there (or `NONE`) and its children,
    /// (word id, node), few per node.
    nodes: Vec<(u32, Vec<(u32, u32)>)>,
}

impl Trie {
    /// The trie of `patterns` (keys: folded tokens joined by single spaces).
    fn new(patterns: &[&str]) -> Trie {
        let mut t = Trie::default();
        for (p, key) in patterns.iter().enumerate() {
            let mut node = NONE;
            for word in key.split(' ') {
                let next = t.vocab.len() as u32;
                let id = t.vocab.get_or_insert(word.into(), next);
                if id == next {
                    t.sketch.insert(word);
                }
                if id as usize == t.roots.len() {
                    t.roots.push(NONE);
                }
                let child = if node == NONE {
                    t.roots[id as usize]
                } else {
                    let kids = &t.nodes[node as usize].1;
                    kids.iter().find(|k| k.0 == id).map_or(NONE, |k| k.1)
                };
                node = if child != NONE {
                    child
                } else {
                    let new = t.nodes.len() as u32;
                    t.nodes.push((NONE, Vec::new()));
                    if node == NONE {
                        t.roots[id as usize] = new;
                    } else {
                        t.nodes[node as usize].1.push((id, new));
                    }
                    new
                };
            }
            if node != NONE {
                t.nodes[node as usize].0 = p as u32;
            }
        }
        t
    }

    /// Number of distinct words.
    fn words(&self) -> usize {
        self.roots.len()
    }

    /// The id of a folded word, if some key has it.
    fn id(&self, word: &str) -> Option<u32> {
        if !self.sketch.may_contain(word) {
            return None;
        }
        self.vocab.get(word)
    }

    /// Calls `f(length, pattern)` for every key that the word ids `ids`
    /// start with, shortest first.
    fn matches(&self, ids: &[u32], mut f: impl FnMut(usize, usize)) {
        let Some(&first) = ids.first() else {
            return;
        };
        let mut node = match self.roots.get(first as usize) {
            Some(&n) if n != NONE => n,
            _ => return,
        };
        let mut len = 1;
        loop {
            let (pattern, kids) = &self.nodes[node as usize];
            if *pattern != NONE {
                f(len, *pattern as usize);
            }
            let Some(&id) = ids.get(len) else {
                return;
            };
            match kids.iter().find(|k| k.0 == id) {
                Some(k) => node = k.1,
                None => return,
            }
            len += 1;
        }
    }
}

/// The compiled dictionary.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The keys, token by token.
    trie: Trie,
    /// Entry indices per pattern (distinct key).
    groups: Vec<Vec<usize>>,
    /// Per pattern: some entry of it comes from a source past the first
    /// `fuzzy_sources` (a pack added for some documents only).
    secondary: Vec<bool>,
    /// One-word keys to their pattern, for inflected lookups.
    single: FxHashMap<String, usize>,
    /// A Bloom-like bit set of the first 1 to [`BASE_PREFIX_LEN`] bytes of
    /// every one-word key: see [`Matcher::may_inflect`].
    base_prefixes: Vec<u64>,
    /// For approximate phrase matching, by the trie's id of an anchor word
    /// (every anchor is a word of a key): (entry, anchor position in the
    /// phrase, position of the word allowed to differ).
    anchors: Vec<Vec<(usize, usize, usize)>>,
    /// Lower-case words of each entry, for approximate matching.
    entry_words: Vec<Vec<String>>,
    /// For each entry, whether each token of its spun form is written in
    /// lower case (a capital in the text there marks a name).
    entry_lower: Vec<Vec<bool>>,
    /// For each entry marked `exact_case`, the tokens of its spun form as
    /// written: the text must show exactly these.
    entry_exact: Vec<Option<Vec<String>>>,
    /// Tokens in the longest key: how far from a token a match that
    /// covers it can start (see [`Matcher::find_near`]).
    longest: usize,
    /// For each entry, its originals as a candidate offers them: without
    /// the capital of a sentence start when the spun form has one too
    /// ("Extra than → More than"), computed once here.
    entry_originals: Vec<Vec<String>>,
    /// For each entry, how reports name it: `spun → original|original`,
    /// and `FILE:LINE`. Formatted once here, not once per edit.
    labels: Vec<(String, String)>,
}

impl Matcher {
    /// Compiles a dictionary.
    pub fn new(dict: &Dictionary) -> Matcher {
        Matcher::with_fuzzy_sources(dict, dict.sources.len())
    }

    /// Like [`Matcher::new`], with approximate phrase matching only for
    /// entries from the first `fuzzy_sources` sources. A large pack of
    /// exact fingerprints (the science pack's tortured phrases) would
    /// otherwise put hundreds of phrases behind every common word
    /// ("learning", "network") and halve the speed on scientific text.
    pub fn with_fuzzy_sources(dict: &Dictionary, fuzzy_sources: usize) -> Matcher {
        let mut by_key: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, e) in dict.entries.iter().enumerate() {
            let p = *by_key.entry(e.key.as_str()).or_insert_with(|| {
                patterns.push(e.key.as_str());
                groups.push(Vec::new());
                patterns.len() - 1
            });
            groups[p].push(i);
        }
        let trie = Trie::new(&patterns);
        let secondary = groups
            .iter()
            .map(|g| g.iter().any(|&e| dict.entries[e].source >= fuzzy_sources))
            .collect();
        let single: FxHashMap<String, usize> = by_key
            .iter()
            .filter(|(k, _)| !k.contains(' '))
            .map(|(k, &p)| (k.to_string(), p))
            .collect();
        let mut base_prefixes = vec![0u64; BASE_PREFIX_BITS / 64];
        for key in single.keys() {
            let key = key.as_bytes();
            for n in 1..=BASE_PREFIX_LEN.min(key.len()) {
                let h = base_prefix_hash(&key[..n]);
                base_prefixes[h / 64] |= 1 << (h % 64);
            }
        }
        let entry_words: Vec<Vec<String>> = dict
            .entries
            .iter()
            .map(|e| e.key.split(' ').map(str::to_string).collect())
            .collect();
        let mut entry_lower = Vec::with_capacity(dict.entries.len());
        let mut entry_exact = Vec::with_capacity(dict.entries.len());
        for e in &dict.entries {
            let tokens = crate::token::tokenize(&e.spun);
            entry_lower.push(
                tokens
                    .iter()
                    .map(|t| t.case == crate::token::Case::Lower)
                    .collect(),
            );
            entry_exact.push(
                e.exact_case
                    .then(|| tokens.iter().map(|t| t.text(&e.spun).to_string()).collect()),
            );
        }
        let mut anchors: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); trie.words()];
        for (i, words) in entry_words.iter().enumerate() {
            // Only fingerprints: a near-miss of an ordinary phrase is too
            // often another ordinary phrase.
            if words.len() < 2
                || dict.entries[i].exact_case
                || dict.entries[i].class != Class::Fingerprint
                || dict.entries[i].source >= fuzzy_sources
            {
                continue;
            }
            for (k, w) in words.iter().enumerate() {
                if w.chars().count() < FUZZY_MIN_LEN {
                    continue;
                }
                // Anchor on the longest other word: rarer, so fewer lookups
                // hit; and it must be a content word, or "the nation's" would
                // find "the national".
                let Some((a, anchor)) = words
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .max_by_key(|(_, w)| w.len())
                else {
                    continue;
                };
                if anchor.chars().filter(|c| c.is_alphabetic()).count() < FUZZY_MIN_ANCHOR {
                    continue;
                }
                let id = trie.id(anchor).expect("an anchor is a word of a key");
                anchors[id as usize].push((i, a, k));
            }
        }
        let entry_originals = dict
            .entries
            .iter()
            .map(|entry| {
                // "Extra than → More than": when both sides start with a
                // capital, the capital is the entry's position in a
                // sentence, not part of the word; the rewriter puts it back
                // where the text has one.
                let positional = !entry.exact_case
                    && crate::token::Case::of(entry.spun.split(' ').next().unwrap_or(""))
                        == crate::token::Case::Title;
                entry
                    .originals
                    .iter()
                    .map(|original| {
                        if positional
                            && crate::token::Case::of(original.split(' ').next().unwrap_or(""))
                                == crate::token::Case::Title
                        {
                            decapitalize(original)
                        } else {
                            original.clone()
                        }
                    })
                    .collect()
            })
            .collect();
        let longest = entry_words.iter().map(Vec::len).max().unwrap_or(0);
        Matcher {
            trie,
            longest,
            entry_originals,
            groups,
            secondary,
            single,
            base_prefixes,
            anchors,
            entry_words,
            entry_lower,
            entry_exact,
            labels: dict
                .entries
                .iter()
                .map(|e| {
                    (
                        format!("{} → {}", e.spun, e.originals.join("|")),
                        dict.location(e),
                    )
                })
                .collect(),
        }
    }

    /// How reports name entry `e`: `spun → originals` and `FILE:LINE`.
    pub fn label(&self, e: usize) -> (&str, &str) {
        let (entry, location) = &self.labels[e];
        (entry, location)
    }

    /// Finds the candidates in `text`, left to right, not overlapping.
    pub fn find(&self, dict: &Dictionary, text: &str, tokens: &[Token]) -> Vec<Candidate> {
        self.find_folded(dict, text, tokens, &Folded::new(text, tokens))
    }

    /// [`Matcher::find`] with the tokens already folded.
    pub fn find_folded(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
    ) -> Vec<Candidate> {
        self.find_noting(dict, text, tokens, folded, &mut false)
    }

    /// [`Matcher::find_folded`], and sets `secondary` if any key with an
    /// entry from a source past the first `fuzzy_sources` (see
    /// [`Matcher::with_fuzzy_sources`]) matched, exactly or as the base of
    /// an inflection, whether or not it became a candidate. If none did,
    /// the candidates are the ones a matcher of the first sources alone
    /// would find: the same matches, entries, numbering and labels.
    pub fn find_noting(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        secondary: &mut bool,
    ) -> Vec<Candidate> {
        self.find_in(dict, text, tokens, folded, None, secondary)
    }

    /// The candidates [`Matcher::find_noting`] would find that overlap one
    /// of `zones` (token ranges, sorted, not overlapping), looking only
    /// near them: a later pass of the cleaner re-examines just the words
    /// around its repairs. Matches starting more than the longest key
    /// before a zone cannot reach it, so nothing farther is read; where
    /// chains of overlapping matches run into a zone from beyond that
    /// reach, the leftmost-longest choice can differ from a whole-text
    /// search's.
    pub fn find_near(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        zones: &[Range<usize>],
        secondary: &mut bool,
    ) -> Vec<Candidate> {
        let mut found = self.find_in(dict, text, tokens, folded, Some(zones), secondary);
        found.retain(|c| overlaps(zones, &c.tokens));
        found
    }

    /// Token ranges to search for matches overlapping `zones`: each zone
    /// widened by the longest key on both sides, merged.
    fn reach(&self, zones: &[Range<usize>], len: usize) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::with_capacity(zones.len());
        for z in zones {
            let r = z.start.saturating_sub(self.longest)..(z.end + self.longest).min(len);
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        out
    }

    /// Candidates in the whole text (`zones` None), or near `zones` (the
    /// caller keeps those overlapping them).
    fn find_in(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        zones: Option<&[Range<usize>]>,
        secondary: &mut bool,
    ) -> Vec<Candidate> {
        let reach = match zones {
            Some(z) => self.reach(z, tokens.len()),
            None => std::iter::once(0..tokens.len()).collect(),
        };
        // Each token's word id, looked up once: the trie walk and the
        // anchors of approximate matching both use it. Out of reach, no
        // word: nothing there is read.
        let ids: Vec<u32> = if zones.is_none() {
            (0..tokens.len())
                .map(|j| self.trie.id(folded.word(j)).unwrap_or(NO_WORD))
                .collect()
        } else {
            let mut ids = vec![NO_WORD; tokens.len()];
            for j in reach.iter().flat_map(Range::clone) {
                ids[j] = self.trie.id(folded.word(j)).unwrap_or(NO_WORD);
            }
            ids
        };

        // Exact matches (on token boundaries by construction), longest
        // leftmost first.
        let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (first, end, pattern)
        for first in reach.iter().flat_map(Range::clone) {
            self.trie.matches(&ids[first..], |len, p| {
                *secondary |= self.secondary[p];
                found.push((first, first + len, p));
            });
        }
        if let Some(zones) = zones {
            found.retain(|&(first, end, _)| overlaps(zones, &(first..end)));
        }
        found.sort_by_key(|&(first, end, _)| (first, std::cmp::Reverse(end)));

        let mut out: Vec<Candidate> = Vec::new();
        let mut covered_to = 0;
        for (first, end, p) in found {
            if first < covered_to {
                continue;
            }
            let entries: Vec<usize> = self.groups[p]
                .iter()
                .copied()
                .filter(|&e| self.applies(dict, e, text, tokens, folded, first, end))
                .filter(|&e| !looks_like_name(&self.entry_lower[e], &tokens[first..end]))
                .collect();
            if let Some(c) =
                self.candidate(dict, tokens, first..end, entries, MatchHow::Exact, None)
            {
                covered_to = end;
                out.push(c);
            }
        }

        // Similarity on what is left: approximate phrases, then inflections.
        let mut covered = vec![false; tokens.len()];
        for c in &out {
            covered[c.tokens.clone()].iter_mut().for_each(|x| *x = true);
        }
        let before = out.len();
        for j in reach.iter().flat_map(Range::clone) {
            if covered[j] {
                continue;
            }
            if let Some(c) = self.fuzzy_phrase(dict, text, tokens, folded, &ids, &covered, j) {
                covered[c.tokens.clone()].iter_mut().for_each(|x| *x = true);
                out.push(c);
            }
        }
        let singles = match zones {
            Some(z) => z.to_vec(),
            None => reach.clone(),
        };
        for j in singles.into_iter().flatten() {
            if covered[j] || tokens[j].kind != Kind::Word {
                continue;
            }
            if let Some(c) = self.inflected(dict, text, tokens, folded, j, secondary) {
                out.push(c);
            }
        }
        if out.len() > before {
            out.sort_by_key(|c| c.tokens.start);
        }
        out
    }

    /// Builds a candidate from the entries that apply, or `None` if none does.
    fn candidate(
        &self,
        dict: &Dictionary,
        tokens: &[Token],
        range: Range<usize>,
        entries: Vec<usize>,
        how: MatchHow,
        suffix: Option<Suffix>,
    ) -> Option<Candidate> {
        let mut replacements = Vec::new();
        let mut replacement_entry = Vec::new();
        let mut suggest_only = Vec::new();
        for (slot, &e) in entries.iter().enumerate() {
            let report_only = dict.entries[e].report_only;
            for original in &self.entry_originals[e] {
                let text = match suffix {
                    None => Some(original.clone()),
                    Some(s) => morph::inflect(original, s),
                };
                if let Some(t) = text {
                    // "More than" and "more than" are one original: case is the
                    // rewriter's business.
                    match replacements
                        .iter()
                        .position(|r: &String| same_but_case(r, &t))
                    {
                        Some(i) => suggest_only[i] &= report_only,
                        None => {
                            replacements.push(t);
                            replacement_entry.push(slot);
                            suggest_only.push(report_only);
                        }
                    }
                }
            }
        }
        if replacements.is_empty() {
            return None;
        }
        let class = demote(how, entries.iter().map(|&e| dict.entries[e].class).max()?);
        Some(Candidate {
            in_quote: tokens[range.clone()].iter().any(|t| t.in_quote),
            capitalized_mid_sentence: !tokens[range.start].sentence_start
                && matches!(
                    tokens[range.start].case,
                    crate::token::Case::Title | crate::token::Case::Upper
                ),
            sentence_start: tokens[range.start].sentence_start,
            report_only: entries.iter().all(|&e| dict.entries[e].report_only),
            entry_priors: entries
                .iter()
                .filter(|&&e| {
                    !dict.entries[e].report_only
                        || entries.iter().all(|&e| dict.entries[e].report_only)
                })
                .map(|&e| (demote(how, dict.entries[e].class), dict.entries[e].prior))
                .collect(),
            lm: Vec::new(),
            tokens: range,
            entries,
            replacements,
            replacement_entry,
            suggest_only,
            how,
            class,
        })
    }

    /// Whether entry `e` applies to tokens `first..end`: its exact case, if
    /// it asks for it, and its context conditions.
    #[allow(clippy::too_many_arguments)]
    fn applies(
        &self,
        dict: &Dictionary,
        e: usize,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        first: usize,
        end: usize,
    ) -> bool {
        let entry = &dict.entries[e];
        if let Some(wanted) = &self.entry_exact[e] {
            let written = tokens[first..end].iter().map(|t| t.text(text));
            if !written.eq(wanted.iter().map(String::as_str)) {
                return false;
            }
        }
        let in_list = |j: Option<usize>, words: &[String]| {
            j.is_some_and(|j| {
                if tokens[j].kind == Kind::Number && words.iter().any(|w| w == NUMBER) {
                    return true;
                }
                let w = folded.word(j);
                words.iter().any(|x| x == w)
            })
        };
        let prev = first.checked_sub(1);
        let next = (end < tokens.len()).then_some(end);
        (entry.left.is_empty() || in_list(prev, &entry.left))
            && (entry.right.is_empty() || in_list(next, &entry.right))
            && !in_list(prev, &entry.not_left)
            && !in_list(next, &entry.not_right)
    }

    /// False when no base [`morph::for_each_base`] finds in `word` can be a
    /// one-word key. A base keeps all of the word but its last three bytes
    /// at most, so its first `min(3, len - 3)` bytes are the word's: one
    /// bit test turns away nearly every word, where looking up its bases
    /// took a few hashes each (this runs for every word of every document).
    fn may_inflect(&self, word: &str) -> bool {
        let b = word.as_bytes();
        if b.len() < 4 {
            // Too short to have a suffix and a base: for_each_base says no.
            return false;
        }
        let h = base_prefix_hash(&b[..BASE_PREFIX_LEN.min(b.len() - 3)]);
        self.base_prefixes[h / 64] & (1 << (h % 64)) != 0
    }

    fn inflected(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        i: usize,
        secondary: &mut bool,
    ) -> Option<Candidate> {
        let word = folded.word(i);
        if !self.may_inflect(word) {
            return None;
        }
        let mut found = None;
        morph::for_each_base(word, |base, suffix| {
            let Some(&p) = self.single.get(base) else {
                return false;
            };
            *secondary |= self.secondary[p];
            // Ordinary words inflect into other ordinary words ("navies"):
            // only entries that are at least unusual are inflected.
            let entries: Vec<usize> = self.groups[p]
                .iter()
                .copied()
                .filter(|&e| dict.entries[e].class != Class::Ambiguous)
                .filter(|&e| self.applies(dict, e, text, tokens, folded, i, i + 1))
                .filter(|&e| !looks_like_name(&self.entry_lower[e], &tokens[i..i + 1]))
                .collect();
            if let Some(c) = self.candidate(
                dict,
                tokens,
                i..i + 1,
                entries,
                MatchHow::Inflected,
                Some(suffix),
            ) {
                found = Some(c);
                return true;
            }
            false
        });
        found
    }

    /// The longest entry that matches around anchor token `j` with exactly
    /// one word misspelt, over tokens not yet covered.
    #[allow(clippy::too_many_arguments)]
    fn fuzzy_phrase(
        &self,
        dict: &Dictionary,
        text: &str,
        tokens: &[Token],
        folded: &Folded,
        ids: &[u32],
        covered: &[bool],
        j: usize,
    ) -> Option<Candidate> {
        let word_at = |j: usize| folded.word(j);
        let anchors = self.anchors.get(ids[j] as usize)?;
        if anchors.is_empty() {
            return None;
        }
        let mut best: Option<Candidate> = None;
        for &(e, a, k) in anchors {
            let words = &self.entry_words[e];
            let Some(first) = j.checked_sub(a) else {
                continue;
            };
            let end = first + words.len();
            if end > tokens.len() || covered[first..end].iter().any(|&c| c) {
                continue;
            }
            if best.as_ref().is_some_and(|b| b.tokens.len() >= words.len()) {
                continue;
            }
            // Exact words first: they are cheap and usually fail.
            if !words
                .iter()
                .enumerate()
                .all(|(n, w)| n == k || word_at(first + n) == w)
            {
                continue;
            }
            let (t, w) = (word_at(first + k), words[k].as_str());
            // Not a misspelling: the same word, a short one, or one word
            // inside the other ("electric"/"electrical",
            // "campaigns"/"campaign"), which is inflection, not a typo.
            if t == w || t.chars().count() < FUZZY_MIN_LEN || t.starts_with(w) || w.starts_with(t) {
                continue;
            }
            // Cheap bounds before the edit distance: the same first letter,
            // and a length difference the similarity threshold allows (the
            // distance is at least the difference in length).
            let (tl, wl) = (t.chars().count(), w.chars().count());
            if t.chars().next() != w.chars().next()
                || (tl.abs_diff(wl) as f64) > (1.0 - FUZZY_MIN_SIMILARITY) * tl.max(wl) as f64
            {
                continue;
            }
            let sim = strsim::normalized_damerau_levenshtein(t, w);
            let ok = sim >= FUZZY_MIN_SIMILARITY
                // A near-miss that already reads as an original is no
                // misspelling of the spun form ("logistic regression" next
                // to the entry "logistic retrogression").
                && !dict.entries[e].originals.iter().any(|o| {
                    let mut written = String::new();
                    for (n, tok) in tokens[first..end].iter().enumerate() {
                        if n > 0 {
                            written.push(' ');
                        }
                        push_folded(&mut written, tok.text(text));
                    }
                    match_key(o).0 == written
                });
            if ok
                && self.applies(dict, e, text, tokens, folded, first, end)
                && !looks_like_name(&self.entry_lower[e], &tokens[first..end])
            {
                best = self.candidate(
                    dict,
                    tokens,
                    first..end,
                    vec![e],
                    MatchHow::Fuzzy(sim as f32),
                    None,
                );
            }
        }
        best
    }
}

/// True if the text capitalises, in mid-sentence, a word the entry writes in
/// lower case: "on House Democrats" is a name, not a spun "on house". A span
/// written all in capitals (a shouted headline) is not a name.
fn looks_like_name(lower: &[bool], tokens: &[Token]) -> bool {
    use crate::token::Case;
    if tokens
        .iter()
        .all(|t| matches!(t.case, Case::Upper | Case::None))
        && tokens.len() > 1
    {
        return false;
    }
    tokens
        .iter()
        .zip(lower)
        .enumerate()
        .any(|(i, (t, &lower))| {
            lower
                && matches!(t.case, Case::Title | Case::Upper | Case::Mixed)
                && !(i == 0 && t.sentence_start)
        })
}

/// Words more frequent than this (log10 unigram) are never thesaurus
/// candidates: function words are what spinners leave alone.
pub const THESAURUS_MAX_LOG10: f32 = -2.3;

/// Candidates from the inverse thesaurus for the words no other candidate
/// covers: lower-case words (or a capital only for a sentence start) that
/// the model knows and that are not among the most frequent.
pub fn thesaurus_candidates(
    thesaurus: &crate::thesaurus::Thesaurus,
    lm: &crate::lm::LanguageModel,
    text: &str,
    tokens: &[Token],
    covered: &[Candidate],
) -> Vec<Candidate> {
    use crate::token::Case;
    let mut taken = vec![false; tokens.len()];
    for c in covered {
        taken[c.tokens.clone()].iter_mut().for_each(|x| *x = true);
    }
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if taken[i]
            || t.kind != Kind::Word
            || !(t.case == Case::Lower || (t.case == Case::Title && t.sentence_start))
        {
            continue;
        }
        word.clear();
        push_folded(&mut word, t.text(text));
        if word.len() < 3 || lm.unigram(lm.id(&word)) > THESAURUS_MAX_LOG10 {
            continue;
        }
        let originals = thesaurus.originals(&word);
        if originals.is_empty() {
            continue;
        }
        out.push(Candidate {
            tokens: i..i + 1,
            entries: Vec::new(),
            replacement_entry: vec![0; originals.len()],
            suggest_only: vec![false; originals.len()],
            replacements: originals,
            how: MatchHow::Thesaurus,
            class: Class::Ambiguous,
            in_quote: t.in_quote,
            capitalized_mid_sentence: false,
            sentence_start: t.sentence_start,
            report_only: false,
            entry_priors: vec![(Class::Ambiguous, None)],
            lm: Vec::new(),
        });
    }
    out
}

/// Checks an entry's case and context conditions at tokens `first..end`.
/// An inflection or a near-miss is a guess about the entry, not the entry:
/// it needs one level more evidence ("finals" is not a spun "final").
fn demote(how: MatchHow, class: Class) -> Class {
    match (how, class) {
        (MatchHow::Exact, c) => c,
        (_, Class::Fingerprint) => Class::Unusual,
        (_, _) => Class::Ambiguous,
    }
}

/// `a` and `b` are equal once lower-cased (`str::to_lowercase`, without
/// allocating for ASCII).
fn same_but_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn decapitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether token range `r` overlaps one of `zones`.
pub fn overlaps(zones: &[Range<usize>], r: &Range<usize>) -> bool {
    zones.iter().any(|z| r.start < z.end && z.start < r.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn find(dict: &str, text: &str) -> Vec<(String, String, MatchHow)> {
        let d = Dictionary::parse("t", dict).unwrap();
        let m = Matcher::new(&d);
        let tokens = tokenize(text);
        m.find(&d, text, &tokens)
            .into_iter()
            .map(|c| {
                let span = tokens[c.tokens.start].span.start..tokens[c.tokens.end - 1].span.end;
                (text[span].to_string(), c.replacements.join("|"), c.how)
            })
            .collect()
    }

    fn s(a: &str, b: &str, h: MatchHow) -> (String, String, MatchHow) {
        (a.to_string(), b.to_string(), h)
    }

    #[test]
    fn longest_match_on_word_boundaries_case_insensitive() {
        let dict = "final\tlast\nfinal 12 months\tlast year\nwithin the\tin the\n";
        assert_eq!(
            find(
                dict,
                "In August FINAL 12\nMONTHS, the finale within themes within the"
            ),
            vec![
                s("FINAL 12\nMONTHS", "last year", MatchHow::Exact),
                s("within the", "in the", MatchHow::Exact)
            ]
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one zone is a list of one
    fn near_zones_finds_what_overlaps_them_and_nothing_else() {
        // Exact words and phrases and a near-miss, inside or outside
        // the zone.
        let dict = "final 12 months\tlast year\ninstructed\ttold\n\
                    counterfeit consciousness\tartificial intelligence\n";
        let d = Dictionary::parse("t", dict).unwrap();
        let m = Matcher::new(&d);
        let text = "They instructed us final 12 months on counterfeit conciousness, \
                    and instructed them on final 12 months.";
        let (tokens, folded) = crate::token::tokenize_folded(text);
        let spans = |cs: Vec<Candidate>| -> Vec<Range<usize>> {
            cs.into_iter().map(|c| c.tokens).collect()
        };
        let all = spans(m.find(&d, text, &tokens));
        // instructed 1..2, final 12 months 3..6, counterfeit conciousness
        // 7..9, instructed 11..12, final 12 months 14..17.
        assert_eq!(all, vec![1..2, 3..6, 7..9, 11..12, 14..17]);
        let near = |zones: &[Range<usize>]| {
            spans(m.find_near(&d, text, &tokens, &folded, zones, &mut false))
        };
        // A zone holding the last word of a phrase finds the whole phrase.
        assert_eq!(near(&[5..6]), vec![3..6]);
        assert_eq!(near(&[8..12]), vec![7..9, 11..12]);
        assert_eq!(near(&[0..1, 9..11]), Vec::<Range<usize>>::new());
        assert_eq!(near(&[0..tokens.len()]), all);
    }

    #[test]
    fn context_options_and_exact_case() {
        let dict = "instructed\ttold\tright=afp|reporters\nFb\tFacebook\tcase=exact\n\
                    primary\tfirst\tnot_right=school\nround\taround\tright=#num not_left=all\n";
        assert_eq!(
            find(
                dict,
                "instructed AFP; instructed the jury; on Fb, fb; primary school, primary child"
            ),
            vec![
                s("instructed", "told", MatchHow::Exact),
                s("Fb", "Facebook", MatchHow::Exact),
                s("primary", "first", MatchHow::Exact)
            ]
        );
        assert_eq!(
            find(dict, "round 600, round the clock, all round 5"),
            vec![s("round", "around", MatchHow::Exact)]
        );
    }

    #[test]
    fn alternatives_from_several_lines_and_columns() {
        let dict = "through\tduring|via\nthrough\tacross\n";
        assert_eq!(
            find(dict, "through"),
            vec![s("through", "during|via|across", MatchHow::Exact)]
        );
    }

    #[test]
    fn inflected_variants_carry_the_suffix() {
        let dict = "workplace\toffice\nconvey\tbring\nproceed\tcontinue\n";
        assert_eq!(
            find(dict, "workplaces conveyed proceeding"),
            vec![
                s("workplaces", "offices", MatchHow::Inflected),
                s("conveyed", "brought", MatchHow::Inflected),
                s("proceeding", "continuing", MatchHow::Inflected)
            ]
        );
    }

    #[test]
    fn positional_capitals_are_dropped_from_originals() {
        let dict = "Extra than\tMore than\nProtection Ministry\tDefense Ministry\nFb\tFacebook\tcase=exact\n";
        assert_eq!(
            find(dict, "extra than Protection Ministry Fb"),
            vec![
                s("extra than", "more than", MatchHow::Exact),
                s("Protection Ministry", "defense Ministry", MatchHow::Exact),
                s("Fb", "Facebook", MatchHow::Exact)
            ]
        );
    }

    #[test]
    fn inflected_matches_are_one_class_weaker() {
        let d = Dictionary::parse("t", "final\tlast\nstated\tsaid\tclass=unusual\n").unwrap();
        let text = "finals states";
        let tokens = tokenize(text);
        let c = Matcher::new(&d).find(&d, text, &tokens);
        assert_eq!(
            c.iter().map(|c| c.class).collect::<Vec<_>>(),
            vec![Class::Unusual]
        );
        assert_eq!(c[0].replacements, vec!["lasts"]);
    }

    #[test]
    fn misspelt_phrase_word_within_threshold() {
        let dict = "principal street\tmain road\n";
        let found = find(dict, "the principle street and the principals streets");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].0.as_str(), found[0].1.as_str()),
            ("principle street", "main road")
        );
        match found[0].2 {
            MatchHow::Fuzzy(sim) => assert!((sim - 0.7778).abs() < 1e-3, "{sim}"),
            other => panic!("{other:?}"),
        }
        // Below the threshold: "practical" is not "principal".
        assert!(find(dict, "practical street").is_empty());
        // A near-miss that already reads as the original is not a candidate.
        assert!(find(
            "logistic retrogression\tlogistic regression\n",
            "logistic regression"
        )
        .is_empty());
        // A word inside the other is an inflection, not a misspelling.
        assert!(find(
            "electrical vehicles\telectric vehicles\n",
            "electric vehicles"
        )
        .is_empty());
        assert!(find("marketing campaign\tcampaign\n", "marketing campaigns").is_empty());
        // Function words do not anchor; only fingerprints match approximately.
        assert!(find("the nation's\tthe country's\n", "the national").is_empty());
        assert!(find(
            "principal street\tmain road\tclass=unusual\n",
            "principle street"
        )
        .is_empty());
        // Short words never match approximately.
        assert!(find(
            "large navy offensive\twide military offensive\n",
            "large navi offensive"
        )
        .is_empty());
        assert_eq!(
            find(
                "large navy offensive\twide military offensive\n",
                "largge navy offensive"
            )
            .len(),
            1
        );
    }

    #[test]
    fn approximate_matching_can_be_limited_to_the_first_sources() {
        let mut d = Dictionary::parse("a", "final 12 months\tlast year\n").unwrap();
        d.extend(Dictionary::parse("b", "principal street\tmain road\n").unwrap());
        let text = "the principle street";
        let tokens = tokenize(text);
        assert_eq!(Matcher::new(&d).find(&d, text, &tokens).len(), 1);
        assert!(Matcher::with_fuzzy_sources(&d, 1)
            .find(&d, text, &tokens)
            .is_empty());
    }

    #[test]
    fn capitals_in_mid_sentence_mark_names() {
        let dict = "on house\tat home\nfinal 12 months\tlast year\nProtection Ministry\tDefense Ministry\n";
        assert!(find(dict, "pressure on House Democrats, voted on House Bill 12").is_empty());
        assert_eq!(
            find(
                dict,
                "Final 12 months. FINAL 12 MONTHS. He was on house, the Protection Ministry"
            ),
            vec![
                s("Final 12 months", "last year", MatchHow::Exact),
                s("FINAL 12 MONTHS", "last year", MatchHow::Exact),
                s("on house", "at home", MatchHow::Exact),
                s("Protection Ministry", "defense Ministry", MatchHow::Exact)
            ]
        );
        assert!(find(dict, "the Final 12 Months tour").is_empty());
    }

    #[test]
    fn quotes_are_marked() {
        let d = Dictionary::parse("t", "stated\tsaid\n").unwrap();
        let text = "he stated “it was stated”";
        let tokens = tokenize(text);
        let c = Matcher::new(&d).find(&d, text, &tokens);
        assert_eq!(
            c.iter().map(|c| c.in_quote).collect::<Vec<_>>(),
            vec![false, true]
        );
    }
}
