//! JSON Lines records: clean one string field, keep every other byte.
//!
//! A record is re-serialised only where the field's value changed: the rest
//! of the line (other fields, key order, number formats, escapes) is copied
//! byte for byte. A line that is not a JSON object, or lacks the field, or
//! whose field is not a string, is returned verbatim with a reason, so the
//! caller can write it in its place and carry on.

use crate::clean::{Cleaned, Cleaner};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// The outcome for one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The line to write (without its line ending).
    pub line: Vec<u8>,
    /// The record's `id` field (a string's value, or a number as written).
    pub id: Option<String>,
    /// What happened to the field.
    pub outcome: Outcome,
}

/// What happened to the field of one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The field was cleaned (perhaps without change).
    Cleaned {
        /// The field's value as read (edit spans refer to it after
        /// normalisation).
        value: String,
        /// The result.
        cleaned: Cleaned,
    },
    /// The line was passed through verbatim, for this reason.
    Verbatim(String),
}

impl Record {
    /// The cleaning result, if the field could be cleaned.
    pub fn cleaned(&self) -> Option<&Cleaned> {
        match &self.outcome {
            Outcome::Cleaned { cleaned, .. } => Some(cleaned),
            Outcome::Verbatim(_) => None,
        }
    }

    /// Why the line was passed through verbatim, if it was.
    pub fn error(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Cleaned { .. } => None,
            Outcome::Verbatim(reason) => Some(reason),
        }
    }
}

/// The fields of an object, in order, values unparsed.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Cleans field `field` of one JSON Lines record. `line` excludes the line
/// ending (a trailing `\r` is kept as part of the line and passed through).
pub fn clean_record(cleaner: &Cleaner, line: &[u8], field: &str) -> Record {
    let verbatim = |error: String| Record {
        line: line.to_vec(),
        id: None,
        outcome: Outcome::Verbatim(error),
    };
    let (body, cr) = match line.strip_suffix(b"\r") {
        Some(b) => (b, true),
        None => (line, false),
    };
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => return verbatim(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
    };
    let fields: Fields = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => return verbatim(format!("invalid JSON: {e}")),
    };
    let id = fields
        .0
        .iter()
        .rev()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| {
            serde_json::from_str::<String>(v.get()).unwrap_or_else(|_| v.get().to_string())
        });
    // The last occurrence wins, as in most JSON readers.
    let Some((_, raw)) = fields.0.iter().rev().find(|(k, _)| k == field) else {
        return Record {
            id,
            ..verbatim(format!("no field `{field}`"))
        };
    };
    let raw = raw.get();
    if !raw.starts_with('"') {
        return Record {
            id,
            ..verbatim(format!("field `{field}` is not a string"))
        };
    }
    let value: String = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => {
            return Record {
                id,
                ..verbatim(format!("field `{field}`: {e}"))
            }
        }
    };
    let cleaned = cleaner.clean(&value);
    let out = if cleaned.text == value {
        line.to_vec()
    } else {
        let start = raw.as_ptr() as usize - text.as_ptr() as usize;
        let end = start + raw.len();
        let encoded = serde_json::to_string(&cleaned.text).expect("a string serialises");
        let mut out = Vec::with_capacity(line.len() + encoded.len());
        out.extend_from_slice(&body[..start]);
        out.extend_from_slice(encoded.as_bytes());
        out.extend_from_slice(&body[end..]);
        if cr {
            out.push(b'\r');
        }
        out
    };
    Record {
        line: out,
        id,
        outcome: Outcome::Cleaned { value, cleaned },
    }
}

/// The records of JSON Lines input: each line without its `\n`, and
/// whether a `\n` followed it. A `\r` before the `\n` stays in the record
/// ([`clean_record`] passes it through); the last record may lack the
/// newline; empty input has no records, and `"\n"` is one empty record.
/// Re-joining the records with `\n` where flagged gives back the input.
/// Pure and allocation-free.
pub fn lines(bytes: &[u8]) -> Lines<'_> {
    Lines { rest: bytes }
}

/// The iterator returned by [`lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a [u8], bool);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = self.rest;
        Some(match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.rest = &rest[i + 1..];
                (&rest[..i], true)
            }
            None => {
                self.rest = &[];
                (rest, false)
            }
        })
    }
}

impl std::iter::FusedIterator for Lines<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dictionary, Options};

    fn cleaner() -> Cleaner {
        Cleaner::new(
            Dictionary::parse("t", "final 12 months\tlast year\n").unwrap(),
            Options::default(),
        )
    }

    fn run(line: &str) -> (String, Option<String>, Option<String>) {
        let r = clean_record(&cleaner(), line.as_bytes(), "text");
        let error = r.error().map(str::to_string);
        (String::from_utf8(r.line).unwrap(), r.id, error)
    }

    #[test]
    fn only_the_field_changes() {
        let line = r#"{"id": 7, "n": 1.50, "text": "in August final 12 months \u00e9", "z": "final 12 months"}"#;
        assert_eq!(
            run(line),
            (
                r#"{"id": 7, "n": 1.50, "text": "in August last year é", "z": "final 12 months"}"#
                    .to_string(),
                Some("7".to_string()),
                None
            )
        );
    }

    #[test]
    fn unchanged_records_are_byte_identical() {
        let line = "{\"text\":\"fine \\u00e9\",\"id\":\"a\"}\r";
        assert_eq!(run(line), (line.to_string(), Some("a".to_string()), None));
    }

    #[test]
    fn bad_records_come_back_verbatim_with_a_reason() {
        assert_eq!(
            run(r#"{"title": "x"}"#),
            (
                r#"{"title": "x"}"#.to_string(),
                None,
                Some("no field `text`".to_string())
            )
        );
        assert_eq!(
            run(r#"{"text": 3, "id": "b"}"#).2.as_deref(),
            Some("field `text` is not a string")
        );
        assert_eq!(
            run("[1, 2]").2.as_deref(),
            Some("invalid JSON: invalid type: sequence, expected a JSON object at line 1 column 0")
        );
        assert_eq!(
            run(r#"{"text": "a"#).2.as_deref(),
            Some("invalid JSON: EOF while parsing a string at line 1 column 11")
        );
        let r = clean_record(&cleaner(), b"{\"text\": \"\xff\"}", "text");
        assert_eq!(r.error(), Some("invalid UTF-8 at byte 10"));
        assert_eq!(r.line, b"{\"text\": \"\xff\"}");
    }

    #[test]
    fn lines_keep_every_byte() {
        fn all(b: &[u8]) -> Vec<(&[u8], bool)> {
            lines(b).collect()
        }
        assert!(all(b"").is_empty());
        assert_eq!(all(b"\n"), vec![(&b""[..], true)]);
        assert_eq!(all(b"a"), vec![(&b"a"[..], false)]);
        assert_eq!(
            all(b"a\r\n\nb"),
            vec![(&b"a\r"[..], true), (&b""[..], true), (&b"b"[..], false)]
        );
        assert_eq!(
            all(b"{}\n{}\r\n"),
            vec![(&b"{}"[..], true), (&b"{}\r"[..], true)]
        );
    }

    #[test]
    fn duplicate_keys_last_one_wins() {
        assert_eq!(
            run(r#"{"text": "final 12 months", "text": "final 12 months!"}"#).0,
            r#"{"text": "final 12 months", "text": "last year!"}"#
        );
    }
}
