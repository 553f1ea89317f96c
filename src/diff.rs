//! A readable word diff, rendered from the edits themselves.
//!
//! The cleaner knows exactly what it changed, so the diff needs no diff
//! algorithm: each line with an edit is printed once, prefixed with its line
//! number, with `[-from-]{+to+}` at each edit, as `git diff --word-diff=plain`
//! does.

use crate::clean::Edit;

/// Renders the lines of `text` (the input, after normalisation) touched by
/// `edits` (sorted by start, not overlapping).
pub fn word_diff(text: &str, edits: &[Edit]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < edits.len() {
        let line_start = text[..edits[i].start].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[edits[i].start..]
            .find('\n')
            .map_or(text.len(), |p| edits[i].start + p);
        out.push_str(&format!("{}: ", edits[i].line));
        let mut pos = line_start;
        while i < edits.len() && edits[i].start < line_end {
            let e = &edits[i];
            out.push_str(&text[pos..e.start]);
            out.push_str(&format!("[-{}-]{{+{}+}}", e.from, e.to));
            pos = e.end;
            i += 1;
        }
        // An edit may span a line break; continue from where it ended.
        let end = text[pos..].find('\n').map_or(text.len(), |p| pos + p);
        out.push_str(text[pos..end].trim_end_matches('\r'));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Dictionary, Options};

    #[test]
    fn marks_each_edit_on_its_line() {
        let c = Cleaner::new(
            Dictionary::parse(
                "t",
                "final 12 months\tlast year\ninstructed AFP\ttold AFP\n",
            )
            .unwrap(),
            Options::default(),
        );
        let text =
            "Intro.\nIn August final 12 months, he instructed AFP.\nFine.\nfinal 12 months\n";
        let cleaned = c.clean(text);
        assert_eq!(
            word_diff(text, &cleaned.edits),
            "2: In August [-final 12 months-]{+last year+}, he [-instructed AFP-]{+told AFP+}.\n4: [-final 12 months-]{+last year+}\n"
        );
    }
}
