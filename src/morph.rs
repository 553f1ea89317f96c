//! Just enough English inflection to carry a suffix from a spun word to its
//! original: "workplaces" is "workplace" plus a plural, so its repair is
//! "office" plus a plural, "offices"; "conveyed" is "convey" plus a past, so
//! "bring" plus a past, "brought". Irregular forms come from a small table of common verbs and
//! nouns; anything the rules cannot inflect with confidence is refused
//! (`None`), and the caller then leaves the word alone.

/// An inflection carried from a spun word to its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// Plural noun or third-person verb: -s, -es, -ies.
    S,
    /// Past tense or participle: -ed.
    Ed,
    /// Present participle: -ing.
    Ing,
}

/// Irregular verbs: base, past, present participle when not regular.
const IRREGULAR_VERBS: &[(&str, &str)] = &[
    ("be", "was"),
    ("become", "became"),
    ("begin", "began"),
    ("break", "broke"),
    ("bring", "brought"),
    ("build", "built"),
    ("buy", "bought"),
    ("catch", "caught"),
    ("choose", "chose"),
    ("come", "came"),
    ("cut", "cut"),
    ("do", "did"),
    ("draw", "drew"),
    ("drive", "drove"),
    ("eat", "ate"),
    ("fall", "fell"),
    ("feel", "felt"),
    ("fight", "fought"),
    ("find", "found"),
    ("fly", "flew"),
    ("forget", "forgot"),
    ("get", "got"),
    ("give", "gave"),
    ("go", "went"),
    ("grow", "grew"),
    ("have", "had"),
    ("hear", "heard"),
    ("hide", "hid"),
    ("hit", "hit"),
    ("hold", "held"),
    ("hurt", "hurt"),
    ("keep", "kept"),
    ("know", "knew"),
    ("lay", "laid"),
    ("lead", "led"),
    ("leave", "left"),
    ("lend", "lent"),
    ("let", "let"),
    ("lie", "lay"),
    ("lose", "lost"),
    ("make", "made"),
    ("mean", "meant"),
    ("meet", "met"),
    ("pay", "paid"),
    ("put", "put"),
    ("quit", "quit"),
    ("read", "read"),
    ("ride", "rode"),
    ("ring", "rang"),
    ("rise", "rose"),
    ("run", "ran"),
    ("say", "said"),
    ("see", "saw"),
    ("seek", "sought"),
    ("sell", "sold"),
    ("send", "sent"),
    ("set", "set"),
    ("shake", "shook"),
    ("shoot", "shot"),
    ("show", "showed"),
    ("shut", "shut"),
    ("sing", "sang"),
    ("sit", "sat"),
    ("sleep", "slept"),
    ("speak", "spoke"),
    ("spend", "spent"),
    ("stand", "stood"),
    ("steal", "stole"),
    ("strike", "struck"),
    ("swear", "swore"),
    ("take", "took"),
    ("teach", "taught"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "threw"),
    ("understand", "understood"),
    ("wake", "woke"),
    ("wear", "wore"),
    ("win", "won"),
    ("write", "wrote"),
];

/// The base of an irregular past form ("told" → "tell").
pub fn irregular_past_base(word: &str) -> Option<&'static str> {
    IRREGULAR_VERBS
        .iter()
        .find(|(_, past)| *past == word)
        .map(|(base, _)| *base)
}

/// Irregular plurals.
const IRREGULAR_NOUNS: &[(&str, &str)] = &[
    ("child", "children"),
    ("foot", "feet"),
    ("man", "men"),
    ("mouse", "mice"),
    ("person", "people"),
    ("tooth", "teeth"),
    ("woman", "women"),
];

/// Splits an inflected lower-case word into candidate bases, each with the
/// suffix that was removed. Several bases are possible ("used" → "use" or
/// "us"); the caller keeps the first one its dictionary knows.
pub fn strip(word: &str) -> Vec<(String, Suffix)> {
    let mut out = Vec::new();
    for_each_base(word, |b, s| {
        out.push((b.to_string(), s));
        false
    });
    out
}

/// [`strip`] without allocating a list: calls `f` with each candidate base,
/// in the same order, until it returns true (and then returns true). Every
/// word of every document passes through here, most of them with no suffix
/// at all.
pub fn for_each_base(word: &str, mut f: impl FnMut(&str, Suffix) -> bool) -> bool {
    let last = word.as_bytes().last().copied().unwrap_or(0);
    if !matches!(last, b's' | b'd' | b'g') {
        return false;
    }
    if word.chars().count() < 4 || !word.chars().all(|c| c.is_alphabetic()) {
        return false;
    }
    let mut buf = String::with_capacity(word.len() + 1);
    let mut call = |base: &str, extra: &str, suffix: Suffix| {
        buf.clear();
        buf.push_str(base);
        buf.push_str(extra);
        buf.chars().count() >= 2 && f(&buf, suffix)
    };
    if let Some(b) = word.strip_suffix("ies") {
        if call(b, "y", Suffix::S) {
            return true;
        }
    }
    if let Some(b) = word.strip_suffix("es") {
        if call(b, "", Suffix::S) {
            return true;
        }
    }
    if let Some(b) = word.strip_suffix('s') {
        if !b.ends_with('s') && call(b, "", Suffix::S) {
            return true;
        }
    }
    if let Some(b) = word.strip_suffix("ied") {
        if call(b, "y", Suffix::Ed) {
            return true;
        }
    }
    for (ending, suffix) in [("ed", Suffix::Ed), ("ing", Suffix::Ing)] {
        if let Some(b) = word.strip_suffix(ending) {
            if call(b, "", suffix) || call(b, "e", suffix) {
                return true;
            }
            if let Some(un) = undouble(b) {
                if call(un, "", suffix) {
                    return true;
                }
            }
        }
    }
    false
}

/// "stopp" → "stop": a doubled final consonant left by -ed or -ing.
fn undouble(b: &str) -> Option<&str> {
    let bytes = b.as_bytes();
    let n = bytes.len();
    // ASCII only: two equal trailing bytes may also be the continuation
    // bytes of one character ("も" is E3 82 82), which must not be split.
    (n >= 3
        && bytes[n - 1].is_ascii()
        && bytes[n - 1] == bytes[n - 2]
        && !b"aeiousl".contains(&bytes[n - 1]))
    .then(|| &b[..n - 1])
}

fn is_vowel(c: u8) -> bool {
    b"aeiou".contains(&c)
}

/// Inflects a base word (lower case, one word) with `suffix`, or `None` when
/// the rules are not sure (multi-word phrases, non-ASCII, consonant doubling
/// that depends on stress).
pub fn inflect(base: &str, suffix: Suffix) -> Option<String> {
    if base.is_empty() || !base.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let bytes = base.as_bytes();
    let last = bytes[bytes.len() - 1];
    let before_last = bytes.len().checked_sub(2).map(|i| bytes[i]);
    match suffix {
        Suffix::S => {
            if let Some(&(_, plural)) = IRREGULAR_NOUNS.iter().find(|(b, _)| *b == base) {
                return Some(plural.to_string());
            }
            if last == b'y' && before_last.is_some_and(|c| !is_vowel(c)) {
                Some(format!("{}ies", &base[..base.len() - 1]))
            } else if base.ends_with('s')
                || base.ends_with('x')
                || base.ends_with('z')
                || base.ends_with("ch")
                || base.ends_with("sh")
            {
                Some(format!("{base}es"))
            } else {
                Some(format!("{base}s"))
            }
        }
        Suffix::Ed => {
            if let Some(&(_, past)) = IRREGULAR_VERBS.iter().find(|(b, _)| *b == base) {
                return Some(past.to_string());
            }
            if needs_doubling(bytes) {
                return None;
            }
            if last == b'e' {
                Some(format!("{base}d"))
            } else if last == b'y' && before_last.is_some_and(|c| !is_vowel(c)) {
                Some(format!("{}ied", &base[..base.len() - 1]))
            } else {
                Some(format!("{base}ed"))
            }
        }
        Suffix::Ing => {
            if needs_doubling(bytes) {
                return None;
            }
            if let Some(stem) = base.strip_suffix("ie") {
                Some(format!("{stem}ying"))
            } else if last == b'e' && !base.ends_with("ee") && base.len() > 2 {
                Some(format!("{}ing", &base[..base.len() - 1]))
            } else {
                Some(format!("{base}ing"))
            }
        }
    }
}

/// A final consonant-vowel-consonant ("stop", "admit") may double before a
/// vowel suffix, depending on stress we cannot see; such words are refused.
fn needs_doubling(b: &[u8]) -> bool {
    let n = b.len();
    n >= 3
        && !is_vowel(b[n - 1])
        && !b"wxy".contains(&b[n - 1])
        && is_vowel(b[n - 2])
        && !is_vowel(b[n - 3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflects_regular_and_irregular_forms() {
        let cases = [
            ("office", Suffix::S, Some("offices")),
            ("city", Suffix::S, Some("cities")),
            ("day", Suffix::S, Some("days")),
            ("church", Suffix::S, Some("churches")),
            ("child", Suffix::S, Some("children")),
            ("continue", Suffix::Ed, Some("continued")),
            ("claim", Suffix::Ed, Some("claimed")),
            ("bring", Suffix::Ed, Some("brought")),
            ("tell", Suffix::Ed, Some("told")),
            ("carry", Suffix::Ed, Some("carried")),
            ("continue", Suffix::Ing, Some("continuing")),
            ("die", Suffix::Ing, Some("dying")),
            ("see", Suffix::Ing, Some("seeing")),
            ("stop", Suffix::Ed, None),
            ("admit", Suffix::Ing, None),
            ("last year", Suffix::S, None),
        ];
        for (base, suffix, want) in cases {
            assert_eq!(inflect(base, suffix).as_deref(), want, "{base} {suffix:?}");
        }
    }

    #[test]
    fn strips_to_candidate_bases() {
        let bases = |w: &str| strip(w).into_iter().map(|(b, _)| b).collect::<Vec<_>>();
        assert!(bases("workplaces").contains(&"workplace".to_string()));
        assert!(bases("agencies").contains(&"agency".to_string()));
        assert!(bases("proceeded").contains(&"proceed".to_string()));
        assert!(bases("declared").contains(&"declare".to_string()));
        assert!(bases("stopping").contains(&"stop".to_string()));
        assert!(bases("boss").is_empty() || !bases("boss").contains(&"bos".to_string()));
        assert!(bases("yes").is_empty());
    }

    #[test]
    fn never_splits_a_character() {
        // "も" ends in two equal bytes (E3 82 82); it used to be "undoubled"
        // in the middle of the character, a panic.
        assert_eq!(
            strip("abもed"),
            vec![
                ("abも".to_string(), Suffix::Ed),
                ("abもe".to_string(), Suffix::Ed)
            ]
        );
        assert_eq!(strip("abもing").len(), 2);
    }
}
