//! The reading side of a run. One thread reads the inputs in order, JSON
//! Lines in large blocks cut at record boundaries (a record that crosses a
//! block's end is carried to the next block), and hands every text document
//! and every chunk of whole records to the rayon pool. The writer receives,
//! through a bounded queue, one item per piece of work in input order, each
//! with the channel its result will come on: it writes results in input
//! order while reading and cleaning go on. The bytes read but not yet
//! written are bounded by a budget, so memory stays flat whatever the size
//! of the input (a single document or record larger than the budget is
//! still read, alone).

use super::compress::Compression;
use super::docs::{looks_utf16, too_large, DocOut, Job, Mode, UTF16_MESSAGE};
use super::inputs::{Input, Source};
use super::progress::Meter;
use super::signal::interrupted;
use std::fs::File;
use std::io::{self, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

/// Bytes read at a time from a JSON Lines input; a longer record makes a
/// longer block. `DESPIN_BLOCK_BYTES` overrides it (for tests).
const BLOCK_BYTES: usize = 4 << 20;
/// Records are cleaned in chunks of about this many bytes.
const CHUNK_BYTES: usize = 128 << 10;
/// Bytes read and not yet written, at most.
const BUDGET_BYTES: u64 = 16 << 20;
/// Pieces of work read and not yet written, at most.
const QUEUE_ITEMS: usize = 1024;

/// The result of one piece of work: its output, or its panic.
pub type Outcome = thread::Result<DocOut>;

/// What the writer receives, in input order.
pub enum Item {
    /// JSON Lines input `.0` was opened: its `Out`s follow, then `End`
    /// (and perhaps an `Error` before it).
    Begin(usize),
    /// Input `input`'s text document, or its next chunk of records, of
    /// `bytes` bytes (to give back with [`Pipeline::written`]); `stored` is
    /// the progress once it is written: the inputs' bytes as stored up to
    /// its end.
    Out {
        input: usize,
        bytes: u64,
        stored: u64,
        result: Receiver<Outcome>,
    },
    /// Input `.0` could not be opened, or read further.
    Error(usize, io::Error),
    /// The end of the JSON Lines input that began last.
    End,
}

/// The writer's end of the pipeline.
pub struct Pipeline {
    items: Receiver<Item>,
    shared: Arc<Shared>,
    reader: Option<JoinHandle<()>>,
}

impl Pipeline {
    /// Starts reading `inputs` on a new thread. The output data of input
    /// `i` is compressed piece by piece in `pieces[i]` (see
    /// [`Compression::by_pieces`]).
    pub fn start(
        job: Arc<Job>,
        inputs: Arc<[Input]>,
        pieces: Vec<Compression>,
        meter: Arc<Meter>,
    ) -> Pipeline {
        let (tx, items) = sync_channel(QUEUE_ITEMS);
        let shared = Arc::new(Shared {
            budget: Mutex::new(Budget {
                left: BUDGET_BYTES,
                closed: false,
            }),
            freed: Condvar::new(),
            abandoned: AtomicUsize::new(0),
            pool: Mutex::new(Vec::new()),
        });
        let block = block_bytes();
        let reader = Reader {
            job,
            inputs,
            pieces,
            tx,
            shared: shared.clone(),
            meter,
            block,
            chunk: block.min(CHUNK_BYTES),
        };
        let reader = thread::Builder::new()
            .name("despin-reader".to_string())
            .spawn(move || reader.run())
            .expect("starting the reader thread");
        Pipeline {
            items,
            shared,
            reader: Some(reader),
        }
    }

    /// The next item, or `None` when every input has been read.
    pub fn next(&self) -> Option<Item> {
        self.items.recv().ok()
    }

    /// An `Out` item of `bytes` bytes was written: they leave the budget.
    pub fn written(&self, bytes: u64) {
        let mut b = self.shared.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.left += bytes.min(BUDGET_BYTES);
        self.shared.freed.notify_all();
    }

    /// Stops reading input `input` (its remaining items still come, up to
    /// its `End`).
    pub fn abandon(&self, input: usize) {
        self.shared.abandoned.store(input + 1, Ordering::Relaxed);
    }

    /// Waits for the reader thread once every item has been received.
    pub fn finish(mut self) {
        if let Some(reader) = self.reader.take() {
            if let Err(p) = reader.join() {
                panic::resume_unwind(p);
            }
        }
    }
}

impl Drop for Pipeline {
    /// A writer that stops early lets a waiting reader go (its next send
    /// fails, and it ends); the reader thread is not waited for.
    fn drop(&mut self) {
        let mut b = self.shared.budget.lock().unwrap_or_else(|e| e.into_inner());
        b.closed = true;
        self.shared.freed.notify_all();
    }
}

fn block_bytes() -> usize {
    std::env::var("DESPIN_BLOCK_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(BLOCK_BYTES)
}

struct Budget {
    left: u64,
    /// The writer is gone.
    closed: bool,
}

struct Shared {
    budget: Mutex<Budget>,
    freed: Condvar,
    /// One more than the input the writer no longer wants, or 0.
    abandoned: AtomicUsize,
    /// Block buffers to reuse.
    pool: Mutex<Vec<Vec<u8>>>,
}

impl Shared {
    /// A block buffer from the pool, or a new one.
    fn buffer(&self) -> Vec<u8> {
        self.pool
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default()
    }
}

/// The writer is gone: stop.
struct Gone;

/// Block buffers kept for reuse, at most: reading into pages already
/// faulted in is much cheaper than into fresh ones.
const POOL_BUFFERS: usize = 16;

/// A block of whole records (`bytes[..len]`), shared by its chunks. Its
/// buffer goes back to the pool when the last chunk is done with it.
struct Block {
    bytes: Vec<u8>,
    len: usize,
    shared: Arc<Shared>,
    /// Buffers up to twice this size are kept.
    keep: usize,
}

impl Drop for Block {
    fn drop(&mut self) {
        let bytes = std::mem::take(&mut self.bytes);
        if bytes.len() <= 2 * self.keep {
            let mut pool = self.shared.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < POOL_BUFFERS {
                pool.push(bytes);
            }
        }
    }
}

/// Makes `buf` at least `len` bytes long (new bytes zeroed, once per
/// buffer: a pooled buffer stays initialised).
fn fit(buf: &mut Vec<u8>, len: usize) {
    if buf.len() < len {
        buf.resize(len, 0);
    }
}

/// Reads until `buf` is full, the end of the input or an error; returns
/// the bytes read and the error.
fn read_fully(r: &mut dyn Read, buf: &mut [u8]) -> (usize, Option<io::Error>) {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

struct Reader {
    job: Arc<Job>,
    inputs: Arc<[Input]>,
    pieces: Vec<Compression>,
    tx: SyncSender<Item>,
    shared: Arc<Shared>,
    meter: Arc<Meter>,
    block: usize,
    chunk: usize,
}

/// Counts the bytes read from storage.
struct Counted<'m, R> {
    inner: R,
    meter: &'m Meter,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.stored(n as u64);
        Ok(n)
    }
}

impl Reader {
    fn run(self) {
        for (i, input) in self.inputs.iter().enumerate() {
            if interrupted() {
                return;
            }
            let done = if input.jsonl {
                self.jsonl(i, input)
            } else {
                self.text(i, input)
            };
            if done.is_err() {
                return;
            }
        }
    }

    fn send(&self, item: Item) -> Result<(), Gone> {
        self.tx.send(item).map_err(|_| Gone)
    }

    /// Waits until `bytes` fit the budget (more wait for the whole
    /// budget) and takes them.
    fn take_budget(&self, bytes: u64) -> Result<(), Gone> {
        let cost = bytes.min(BUDGET_BYTES);
        let mut b = self.shared.budget.lock().unwrap_or_else(|e| e.into_inner());
        while !b.closed && b.left < cost {
            b = self.shared.freed.wait(b).unwrap_or_else(|e| e.into_inner());
        }
        if b.closed {
            return Err(Gone);
        }
        b.left -= cost;
        Ok(())
    }

    /// Runs `work` on the pool (its output data compressed as a piece of
    /// the input's output) and queues its item for the writer. `bytes`:
    /// its size, `stored`: the inputs' bytes as stored up to its end.
    fn dispatch<F>(&self, input: usize, bytes: usize, stored: u64, work: F) -> Result<(), Gone>
    where
        F: FnOnce() -> DocOut + Send + 'static,
    {
        self.take_budget(bytes as u64)?;
        let (tx, result) = sync_channel(1);
        let pieces = self.pieces[input];
        rayon::spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let mut out = work();
                if let Some(data) = out.data.as_mut().filter(|_| pieces != Compression::None) {
                    *data = pieces.whole(data);
                }
                out
            }));
            let _ = tx.send(outcome);
        });
        self.send(Item::Out {
            input,
            bytes: bytes as u64,
            stored,
            result,
        })
    }

    /// Passes a document (`line`: a record, up to its `\n`) through
    /// unchanged, a block at a time, starting with `first`; the last piece
    /// carries the message. Returns what followed the record's `\n` in
    /// the last block read, and a read error.
    fn pass_through(
        &self,
        i: usize,
        at: &str,
        first: Vec<u8>,
        reader: &mut dyn Read,
        line: bool,
    ) -> Result<(Vec<u8>, Option<io::Error>), Gone> {
        let mut total = first.len() as u64;
        let mut piece = first;
        loop {
            let mut next = vec![0; self.block];
            let (n, error) = read_fully(reader, &mut next);
            next.truncate(n);
            let (rest, end) = match memchr::memchr(b'\n', &next).filter(|_| line) {
                Some(k) => {
                    total += k as u64;
                    (next.split_off(k + 1), true)
                }
                None => {
                    total += n as u64;
                    (Vec::new(), error.is_some() || n < self.block)
                }
            };
            // `piece` goes now, `next` after it (or, at the end, with it).
            let last = if end {
                piece.extend_from_slice(&next);
                true
            } else {
                false
            };
            let stored = self.meter.stored_bytes();
            let len = piece.len();
            let message = last.then(|| too_large(at, total, self.job.max_doc_bytes));
            let clean = self.job.mode == Mode::Clean;
            self.dispatch(i, len, stored, move || {
                let mut out = DocOut {
                    data: clean.then_some(piece),
                    ..DocOut::default()
                };
                if let Some(m) = message {
                    out.stderr = m;
                    out.failed = true;
                    out.counts.documents = 1;
                    out.counts.verbatim = 1;
                }
                out
            })?;
            if last {
                return Ok((rest, error));
            }
            piece = next;
        }
    }

    fn open<'m>(&'m self, input: &Input) -> io::Result<Box<dyn Read + 'm>> {
        let meter = &*self.meter;
        let stored: Box<dyn Read + 'm> = match &input.source {
            Source::Stdin => Box::new(Counted {
                inner: io::stdin().lock(),
                meter,
            }),
            Source::File(path) => Box::new(Counted {
                inner: File::open(path)?,
                meter,
            }),
        };
        input.compression.reader(stored)
    }

    /// Reads a whole text document and has it cleaned.
    fn text(&self, i: usize, input: &Input) -> Result<(), Gone> {
        let max = self.job.max_doc_bytes;
        let mut bytes = Vec::new();
        let mut reader = match self.open(input) {
            Ok(r) => r,
            Err(e) => return self.send(Item::Error(i, e)),
        };
        if input.compression == Compression::None {
            bytes.reserve_exact(usize::try_from(input.len.min(max + 1)).unwrap_or(0));
        }
        // At most one byte more than the cap.
        let read = (&mut reader).take(max + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            return self.send(Item::Error(i, e));
        }
        if bytes.len() as u64 > max {
            self.send(Item::Begin(i))?;
            let error = self
                .pass_through(i, &input.name, bytes, &mut reader, false)?
                .1;
            if let Some(e) = error {
                self.send(Item::Error(i, e))?;
            }
            return self.send(Item::End);
        }
        let (job, inputs, len) = (self.job.clone(), self.inputs.clone(), bytes.len());
        let done = self.meter.stored_bytes();
        self.dispatch(i, len, done, move || job.text(&inputs[i].name, &bytes))
    }

    /// Reads a JSON Lines input in blocks of whole records and has them
    /// cleaned in chunks.
    fn jsonl(&self, i: usize, input: &Input) -> Result<(), Gone> {
        let reader = match self.open(input) {
            Ok(r) => r,
            Err(e) => return self.send(Item::Error(i, e)),
        };
        // UTF-16 is refused before anything is written.
        let mut start = Vec::new();
        let mut reader = reader;
        if let Err(e) = (&mut reader).take(4096).read_to_end(&mut start) {
            return self.send(Item::Error(i, e));
        }
        if looks_utf16(&start) {
            return self.send(Item::Error(i, io::Error::other(UTF16_MESSAGE)));
        }
        let mut reader = io::Cursor::new(start).chain(reader);
        self.send(Item::Begin(i))?;
        let mut line_no = 1;
        // The start of a record that the last block cut.
        let mut carry: Vec<u8> = Vec::new();
        while self.shared.abandoned.load(Ordering::Relaxed) != i + 1 {
            if interrupted() {
                return Ok(());
            }
            let stored = self.meter.stored_bytes();
            let mut block = self.shared.buffer();
            let mut len = carry.len();
            // The carry is shorter than a block, so a pooled buffer of two
            // blocks never grows (a fresh one would, block after block).
            fit(&mut block, (len + self.block).max(2 * self.block));
            block[..len].copy_from_slice(&carry);
            carry.clear();
            let want = self.block;
            let (whole, error, long) = loop {
                let start = len;
                let (end, error) = read_fully(&mut reader, &mut block[start..start + want]);
                len += end;
                if error.is_some() || end < want {
                    break (true, error, false);
                }
                if let Some(k) = memchr::memrchr(b'\n', &block[start..len]) {
                    carry.extend_from_slice(&block[start + k + 1..len]);
                    len = start + k + 1;
                    break (false, None, false);
                }
                // The block is the start of one record: past the cap, it
                // is streamed through rather than held.
                if len as u64 > self.job.max_doc_bytes {
                    break (false, None, true);
                }
                // One record longer than the block: read on, a block at a
                // time (the buffer's capacity doubles, but only what is
                // read into is touched).
                fit(&mut block, len + want);
            };
            if long {
                block.truncate(len);
                let name = format!("{}:{line_no}", self.inputs[i].name);
                let (rest, error) = self.pass_through(i, &name, block, &mut reader, true)?;
                line_no += 1;
                carry = rest;
                if let Some(e) = error {
                    self.send(Item::Error(i, e))?;
                    break;
                }
                continue;
            }
            let block = Block {
                bytes: block,
                len,
                shared: self.shared.clone(),
                keep: self.block,
            };
            let stored = (stored, self.meter.stored_bytes());
            self.chunks(i, &mut line_no, block, stored)?;
            if let Some(e) = error {
                self.send(Item::Error(i, e))?;
            }
            if whole {
                break;
            }
        }
        self.send(Item::End)
    }

    /// Cuts `block` (whole records) into chunks of records and dispatches
    /// them; `line_no` is the line of the first record, then the next.
    /// `stored`: the bytes of the inputs read as stored before and after
    /// the block, for the progress bar.
    fn chunks(
        &self,
        i: usize,
        line_no: &mut usize,
        block: Block,
        stored: (u64, u64),
    ) -> Result<(), Gone> {
        let block = Arc::new(block);
        let len = block.len;
        let mut start = 0;
        while start < len {
            let end = if len - start <= self.chunk {
                len
            } else {
                let from = start + self.chunk - 1;
                memchr::memchr(b'\n', &block.bytes[from..len]).map_or(len, |k| from + k + 1)
            };
            let piece = &block.bytes[start..end];
            let lines = memchr::memchr_iter(b'\n', piece).count()
                + usize::from(piece.last() != Some(&b'\n'));
            let first = *line_no;
            *line_no += lines;
            let (job, inputs, block) = (self.job.clone(), self.inputs.clone(), block.clone());
            let done = stored.0 + ((stored.1 - stored.0) as f64 * end as f64 / len as f64) as u64;
            self.dispatch(i, end - start, done, move || {
                job.records(&inputs[i].name, first, &block.bytes[start..end])
            })?;
            start = end;
        }
        Ok(())
    }
}
