//! The run: documents in input order, text files cleaned in parallel
//! batches, JSON Lines streamed in bounded batches of records cleaned in
//! parallel; everything written by the main thread, in input order.

use super::docs::{DocOut, Job, Mode};
use super::inputs::{Input, Outputs, Source};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, StdoutLock, Write};
use std::path::{Path, PathBuf};

/// Text files cleaned together, per worker thread.
const TEXT_BATCH_FILES_PER_THREAD: usize = 4;
/// Bytes of text files read together (a larger file makes a batch alone).
const TEXT_BATCH_BYTES: u64 = 64 << 20;
/// Records cleaned together.
const JSONL_BATCH_LINES: usize = 2048;
/// Bytes of records read together.
const JSONL_BATCH_BYTES: usize = 8 << 20;

/// Standard output was closed by its reader (`| head`): stop quietly.
#[derive(Debug)]
pub struct StdoutClosed;

impl fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("standard output closed")
    }
}

impl std::error::Error for StdoutClosed {}

fn stdout_error(e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(e).context("writing to standard output")
    }
}

/// Where a document's output bytes go.
enum Dest<'w> {
    Nowhere,
    Stdout,
    File(&'w Path, &'w mut BufWriter<File>),
}

/// Writes the results, in order, and keeps the exit status.
pub struct Runner<'a> {
    job: &'a Job,
    /// `-o DIR` when writing cleaned documents there.
    outputs: Option<Outputs>,
    stdout: BufWriter<StdoutLock<'static>>,
    report: Option<(PathBuf, BufWriter<File>)>,
    /// An error was reported: exit 2.
    pub failed: bool,
    /// A spun document was seen.
    pub spun: bool,
}

impl<'a> Runner<'a> {
    pub fn new(
        job: &'a Job,
        outputs: Option<Outputs>,
        report: Option<(PathBuf, BufWriter<File>)>,
    ) -> Self {
        Runner {
            job,
            outputs,
            stdout: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
            report,
            failed: false,
            spun: false,
        }
    }

    /// Reports a per-document error and carries on.
    pub fn error(&mut self, name: impl fmt::Display, e: impl fmt::Display) {
        let _ = writeln!(io::stderr(), "despin: {name}: {e}");
        self.failed = true;
    }

    /// Processes every input, then flushes.
    pub fn run(&mut self, inputs: &[Input]) -> Result<()> {
        let max_files = TEXT_BATCH_FILES_PER_THREAD * rayon::current_num_threads().max(1);
        let mut i = 0;
        while i < inputs.len() {
            if inputs[i].jsonl {
                self.jsonl(&inputs[i])?;
                i += 1;
                continue;
            }
            let mut j = i;
            let mut bytes = 0;
            while j < inputs.len()
                && !inputs[j].jsonl
                && j - i < max_files
                && (j == i || bytes + inputs[j].len <= TEXT_BATCH_BYTES)
            {
                bytes += inputs[j].len;
                j += 1;
            }
            let job = self.job;
            let outs: Vec<DocOut> = inputs[i..j]
                .par_iter()
                .map(|input| read_text(job, input))
                .collect();
            for (input, out) in inputs[i..j].iter().zip(outs) {
                self.text_out(input, out)?;
            }
            i = j;
        }
        self.stdout.flush().map_err(stdout_error)?;
        if let Some((path, w)) = &mut self.report {
            w.flush().with_context(|| path.display().to_string())?;
        }
        Ok(())
    }

    fn text_out(&mut self, input: &Input, mut out: DocOut) -> Result<()> {
        let Some(outputs) = &mut self.outputs else {
            self.emit(out, &mut Dest::Stdout)?;
            return Ok(());
        };
        let data = out.data.take();
        let written = data.map(|data| {
            outputs.prepare(input).and_then(|path| {
                fs::write(&path, data).map_err(|e| format!("{}: {e}", path.display()))
            })
        });
        self.emit(out, &mut Dest::Nowhere)?;
        if let Some(Err(e)) = written {
            self.error(&input.name, e);
        }
        Ok(())
    }

    /// Streams one JSON Lines input in bounded batches.
    fn jsonl(&mut self, input: &Input) -> Result<()> {
        let mut reader: Box<dyn BufRead> = match &input.source {
            Source::Stdin => Box::new(io::stdin().lock()),
            Source::File(path) => match File::open(path) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    self.error(&input.name, e);
                    return Ok(());
                }
            },
        };
        let mut file: Option<(PathBuf, BufWriter<File>)> = None;
        if self.job.mode == Mode::Clean {
            if let Some(outputs) = &mut self.outputs {
                let opened = outputs.prepare(input).and_then(|path| {
                    File::create(&path)
                        .map(|f| (path.clone(), BufWriter::with_capacity(1 << 16, f)))
                        .map_err(|e| format!("{}: {e}", path.display()))
                });
                match opened {
                    Ok(f) => file = Some(f),
                    Err(e) => {
                        self.error(&input.name, e);
                        return Ok(());
                    }
                }
            }
        }
        let to_stdout = self.job.mode == Mode::Clean && file.is_none();
        let mut line_no = 0;
        let mut done = false;
        while !done {
            let mut batch: Vec<(usize, Vec<u8>, bool)> = Vec::new();
            let mut bytes = 0;
            let mut read_error = None;
            while batch.len() < JSONL_BATCH_LINES && bytes < JSONL_BATCH_BYTES {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => {
                        done = true;
                        break;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        read_error = Some(e);
                        done = true;
                    }
                }
                if !buf.is_empty() {
                    let newline = buf.last() == Some(&b'\n');
                    if newline {
                        buf.pop();
                    }
                    line_no += 1;
                    bytes += buf.len();
                    batch.push((line_no, buf, newline));
                }
                if done {
                    break;
                }
            }
            let (job, name) = (self.job, &input.name);
            let outs: Vec<DocOut> = batch
                .par_iter()
                .map(|(n, line, newline)| job.record(name, *n, line, *newline))
                .collect();
            let mut dest = match &mut file {
                Some((path, w)) => Dest::File(path, w),
                None if to_stdout => Dest::Stdout,
                None => Dest::Nowhere,
            };
            for out in outs {
                if !self.emit(out, &mut dest)? {
                    return Ok(());
                }
            }
            if let Some(e) = read_error {
                self.error(&input.name, e);
            }
        }
        if let Some((path, mut w)) = file {
            if let Err(e) = w.flush() {
                self.error(path.display(), e);
            }
        }
        Ok(())
    }

    /// Writes one result. `Ok(false)` if its output file failed (reported).
    fn emit(&mut self, out: DocOut, dest: &mut Dest) -> Result<bool> {
        if !out.stderr.is_empty() {
            let _ = io::stderr().write_all(out.stderr.as_bytes());
        }
        self.failed |= out.failed;
        self.spun |= out.spun;
        if let Some((path, w)) = &mut self.report {
            w.write_all(out.report.as_bytes())
                .with_context(|| path.display().to_string())?;
        }
        self.stdout
            .write_all(out.stdout.as_bytes())
            .map_err(stdout_error)?;
        if let Some(data) = out.data {
            match dest {
                Dest::Nowhere => {}
                Dest::Stdout => self.stdout.write_all(&data).map_err(stdout_error)?,
                Dest::File(path, w) => {
                    if let Err(e) = w.write_all(&data) {
                        self.error(path.display(), e);
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

/// Reads and cleans one text document (on a worker thread).
fn read_text(job: &Job, input: &Input) -> DocOut {
    let bytes = match &input.source {
        Source::Stdin => {
            let mut buf = Vec::new();
            io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
        Source::File(path) => fs::read(path),
    };
    match bytes {
        Ok(bytes) => job.text(&input.name, &bytes),
        Err(e) => DocOut {
            stderr: format!("despin: {}: {e}\n", input.name),
            failed: true,
            ..DocOut::default()
        },
    }
}
