//! `jsonl::lines` on any bytes: re-joining the records with `\n` where
//! flagged gives back the input, there is one record per `\n` plus one for
//! a last line without one, and reading the same bytes in blocks of any
//! sizes (splitting each block at its last newline and carrying the rest
//! over, as a streaming reader does) yields the same records.
#![no_main]

use despin::jsonl::lines;
use libfuzzer_sys::fuzz_target;

/// Input: one byte `n` (taken modulo 16), then `n` block sizes (one byte
/// each, 1..=256, used in turn), then the data.
fn split_input(data: &[u8]) -> (Vec<usize>, &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return (Vec::new(), data);
    };
    let n = (n as usize % 16).min(rest.len());
    let (sizes, data) = rest.split_at(n);
    (sizes.iter().map(|&s| s as usize + 1).collect(), data)
}

/// The records of `data` read in blocks of `sizes` (in turn), carrying
/// the bytes after each block's last newline over to the next block.
fn streamed(data: &[u8], sizes: &[usize]) -> Vec<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut carry: Vec<u8> = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < data.len() {
        let size = if sizes.is_empty() {
            4096
        } else {
            sizes[k % sizes.len()]
        };
        k += 1;
        let block = &data[pos..(pos + size).min(data.len())];
        pos += block.len();
        match block.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                carry.extend_from_slice(&block[..=last]);
                for (record, newline) in lines(&carry) {
                    assert!(newline, "a complete block's record ends in a newline");
                    out.push((record.to_vec(), newline));
                }
                carry.clear();
                carry.extend_from_slice(&block[last + 1..]);
            }
            None => carry.extend_from_slice(block),
        }
    }
    out.extend(lines(&carry).map(|(r, n)| (r.to_vec(), n)));
    out
}

fuzz_target!(|input: &[u8]| {
    let (sizes, data) = split_input(input);
    let records: Vec<(&[u8], bool)> = lines(data).collect();

    let mut joined = Vec::with_capacity(data.len());
    for (i, (record, newline)) in records.iter().enumerate() {
        assert!(!record.contains(&b'\n'));
        assert!(
            *newline || i + 1 == records.len(),
            "only the last record may lack a newline"
        );
        joined.extend_from_slice(record);
        if *newline {
            joined.push(b'\n');
        }
    }
    assert_eq!(joined, data);

    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let unterminated = usize::from(!data.is_empty() && !data.ends_with(b"\n"));
    assert_eq!(records.len(), newlines + unterminated);

    let owned: Vec<(Vec<u8>, bool)> = records.iter().map(|(r, n)| (r.to_vec(), *n)).collect();
    assert_eq!(streamed(data, &sizes), owned);
});
