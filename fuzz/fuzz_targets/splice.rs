//! `rewrite::try_splice` on any text with any splices: spans anywhere,
//! reversed, out of bounds, overlapping, inside characters, with huge
//! offsets. It never panics. On success the output is the text with each
//! splice's text put over its span and every other byte kept, in order; on
//! failure the error names the first bad splice and what is wrong with it,
//! and every splice before it is good.
#![no_main]

use despin::rewrite::{splice, try_splice, Splice, SpliceError};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Splices decoded from the front of the input, the text from the rest (its
/// longest valid UTF-8 prefix), so that mutating one splice leaves the
/// others and the text alone. Most spans are built relative to the end of
/// the previous one, so that valid sets are common.
fn decode(data: &[u8]) -> Result<(String, Vec<Splice>)> {
    let mut u = Unstructured::new(data);
    let n = u.int_in_range(0..=8u8)?;
    let mut raw = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let mode: u8 = u.arbitrary()?;
        let a: u16 = u.arbitrary()?;
        let b: u16 = u.arbitrary()?;
        let huge: u64 = if mode % 8 == 7 { u.arbitrary()? } else { 0 };
        let text: &str = u.arbitrary()?;
        raw.push((
            mode,
            a as usize,
            b as usize,
            huge as usize,
            text.to_string(),
        ));
    }
    let rest = u.take_rest();
    let text = match std::str::from_utf8(rest) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap(),
    }
    .to_string();
    let len = text.len();
    let mut prev_end = 0usize;
    let mut splices = Vec::with_capacity(raw.len());
    for (mode, a, b, huge, repl) in raw {
        let span = match mode % 8 {
            // Small gap and length after the previous splice: usually good.
            0..=2 => {
                let start = prev_end.saturating_add(a % 8);
                start..start.saturating_add(b % 16)
            }
            // As above, snapped to char boundaries inside the text: good
            // unless an earlier splice already ran off the end.
            3 | 4 => {
                let snap = |mut o: usize| {
                    o = o.min(len);
                    while !text.is_char_boundary(o) {
                        o -= 1;
                    }
                    o
                };
                let start = snap(prev_end.saturating_add(a % 8)).max(prev_end.min(len));
                start..snap(start + b % 16).max(start)
            }
            // Anywhere in or near the text.
            5 => a % (len + 4)..b % (len + 4),
            // Anywhere at all (16-bit).
            6 => a..b,
            // Huge offsets, near usize::MAX.
            _ => {
                let start = huge.wrapping_sub(a);
                start..start.wrapping_add(b)
            }
        };
        prev_end = span.end;
        splices.push(Splice { span, text: repl });
    }
    Ok((text, splices))
}

/// What is wrong with splice `index` given where the previous one ended,
/// straight from the documented contract, or `None` if it is good.
fn fault(text: &str, index: usize, s: &Splice, previous_end: usize) -> Option<SpliceError> {
    let (start, end) = (s.span.start, s.span.end);
    if start > end {
        Some(SpliceError::Reversed { index, start, end })
    } else if end > text.len() {
        Some(SpliceError::OutOfBounds {
            index,
            start,
            end,
            len: text.len(),
        })
    } else if start < previous_end {
        Some(SpliceError::Overlap {
            index,
            start,
            end,
            previous_end,
        })
    } else if !text.is_char_boundary(start) {
        Some(SpliceError::NotCharBoundary {
            index,
            offset: start,
        })
    } else if !text.is_char_boundary(end) {
        Some(SpliceError::NotCharBoundary { index, offset: end })
    } else {
        None
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok((text, splices)) = decode(data) else {
        return;
    };
    // The first bad splice, if any, by the contract.
    let mut expected = None;
    let mut previous_end = 0;
    for (i, s) in splices.iter().enumerate() {
        if let Some(e) = fault(&text, i, s, previous_end) {
            expected = Some(e);
            break;
        }
        previous_end = s.span.end;
    }
    match try_splice(&text, &splices) {
        Err(e) => {
            assert_eq!(Some(&e), expected.as_ref(), "{splices:?} on {text:?}");
            let index = match e {
                SpliceError::Reversed { index, .. }
                | SpliceError::OutOfBounds { index, .. }
                | SpliceError::Overlap { index, .. }
                | SpliceError::NotCharBoundary { index, .. } => index,
            };
            assert!(!e.to_string().is_empty());
            // Everything before the bad splice applies.
            assert!(try_splice(&text, &splices[..index]).is_ok());
        }
        Ok(out) => {
            assert_eq!(expected, None, "{splices:?} on {text:?}");
            assert_eq!(out, splice(&text, &splices));
            let (t, o) = (text.as_bytes(), out.as_bytes());
            assert!(std::str::from_utf8(o).is_ok());
            // Walk both: kept bytes equal, each splice's text in its place.
            let (mut tp, mut op) = (0, 0);
            for s in &splices {
                let keep = s.span.start - tp;
                assert_eq!(
                    &o[op..op + keep],
                    &t[tp..s.span.start],
                    "bytes before {s:?}"
                );
                op += keep;
                assert_eq!(&o[op..op + s.text.len()], s.text.as_bytes(), "{s:?}");
                op += s.text.len();
                tp = s.span.end;
            }
            assert_eq!(&o[op..], &t[tp..], "bytes after the last splice");
        }
    }
});
