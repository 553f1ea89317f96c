//! The run's writing side: results in input order, from the pipeline
//! (`pipeline.rs`) that reads and cleans ahead of it, to standard output,
//! the files under `-o DIR` and the report; then the `--stats` line.

use super::compress::{rename, Compression, Encoder};
use super::docs::{Counts, DocOut, Job, Mode};
use super::inputs::{Input, Outputs, Source};
use super::pipeline::{Item, Pipeline};
use super::progress::{stats_line, Meter};
use super::signal::interrupted;
use super::staged::Staged;
use anyhow::{Context, Result};
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Standard output was closed by its reader (`| head`): stop quietly.
#[derive(Debug)]
pub struct StdoutClosed;

impl fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("standard output closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// Ctrl-C stopped the run: exit 130.
#[derive(Debug)]
pub struct Interrupted {
    finished: usize,
    inputs: usize,
    records: u64,
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "interrupted; {} of {} inputs finished ({} records written)",
            self.finished, self.inputs, self.records
        )
    }
}

impl std::error::Error for Interrupted {}

fn stdout_error(e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        anyhow::Error::new(StdoutClosed)
    } else {
        anyhow::Error::new(e).context("writing to standard output")
    }
}

/// How the run shows itself and compresses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// `--compress`: the compression of standard output and of every file
    /// under `-o` (by default, standard output is plain and each file keeps
    /// its input's compression).
    pub compress: Option<Compression>,
    /// `--quiet`: no progress bar.
    pub quiet: bool,
    /// `--stats`: print the summary line at the end.
    pub stats: bool,
}

/// The output file of a JSON Lines input.
struct FileOut {
    path: PathBuf,
    w: Encoder<BufWriter<File>>,
    /// The temporary file `w` writes, and another handle on it.
    staged: Staged,
    handle: File,
    /// While nothing is written: the compression whose empty stream to
    /// write at the end (the data comes compressed by pieces).
    empty: Option<Compression>,
}

/// Where a document's output bytes go.
enum Dest<'w> {
    Nowhere,
    Stdout,
    File(&'w mut FileOut),
}

/// The writer's side of a compression: `(encoder's, by pieces)`, see
/// [`Compression::by_pieces`].
fn split(c: Compression) -> (Compression, Compression) {
    if c.by_pieces() {
        (Compression::None, c)
    } else {
        (c, Compression::None)
    }
}

/// Writes the results, in order, and keeps the exit status.
pub struct Runner {
    job: Arc<Job>,
    settings: Settings,
    /// `-o DIR` when writing cleaned documents there.
    outputs: Option<Outputs>,
    stdout: Encoder<BufWriter<StdoutLock<'static>>>,
    /// While no data is written to standard output: the compression whose
    /// empty stream to write at the end.
    stdout_empty: Option<Compression>,
    report: Option<(PathBuf, BufWriter<File>)>,
    meter: Option<Arc<Meter>>,
    /// An error was reported: exit 2.
    pub failed: bool,
    /// What was done.
    pub counts: Counts,
    /// Inputs whose output is complete.
    finished: usize,
    /// Bytes of the documents done (decompressed).
    bytes: u64,
}

impl Runner {
    pub fn new(
        job: Arc<Job>,
        outputs: Option<Outputs>,
        report: Option<(PathBuf, BufWriter<File>)>,
        settings: Settings,
    ) -> Result<Self> {
        if let Some(Some(suffix)) = outputs.as_ref().and_then(|o| o.in_place.as_ref()) {
            // NAME+"" is NAME: making the backup would delete the original.
            anyhow::ensure!(
                !suffix.is_empty(),
                "`--backup` needs a SUFFIX: an empty one names the backup as the file itself"
            );
        }
        let stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let (encoder, pieces) = split(match (job.mode, outputs.is_some()) {
            (Mode::Clean, false) => settings.compress.unwrap_or_default(),
            _ => Compression::None,
        });
        let stdout = encoder.writer(stdout).context("starting the compressor")?;
        Ok(Runner {
            job,
            settings,
            outputs,
            stdout,
            stdout_empty: Some(pieces).filter(|&c| c != Compression::None),
            report,
            meter: None,
            failed: false,
            counts: Counts::default(),
            finished: 0,
            bytes: 0,
        })
    }

    /// The compression of input `input`'s cleaned data where it is
    /// written.
    fn data_compression(&self, input: &Input) -> Compression {
        match (self.job.mode, &self.outputs) {
            (Mode::Clean, Some(_)) => self.settings.compress.unwrap_or(input.compression),
            (Mode::Clean, None) => self.settings.compress.unwrap_or_default(),
            _ => Compression::None,
        }
    }

    /// A spun document was seen.
    pub fn spun(&self) -> bool {
        self.counts.spun > 0
    }

    /// Reports a per-document error and carries on.
    pub fn error(&mut self, name: impl fmt::Display, e: impl fmt::Display) {
        let message = format!("despin: {name}: {e}\n");
        self.to_stderr(message.as_bytes());
        self.failed = true;
    }

    fn to_stderr(&self, bytes: &[u8]) {
        let write = || {
            let _ = io::stderr().write_all(bytes);
        };
        match &self.meter {
            Some(meter) => meter.suspend(write),
            None => write(),
        }
    }

    /// Processes every input, then flushes; prints the `--stats` line
    /// (also when standard output was closed early).
    pub fn run(&mut self, mut inputs: Vec<Input>) -> Result<()> {
        if let Some(outputs) = &self.outputs {
            inputs.retain(|i| !outputs.is_backup(i));
        }
        if let Some(to) = self.settings.compress {
            for input in &mut inputs {
                input.rel = rename(&input.rel, input.compression, to);
            }
        }
        let total = inputs
            .iter()
            .map(|i| match i.source {
                Source::File(_) => Some(i.len),
                Source::Stdin => None,
            })
            .sum::<Option<u64>>();
        let show = !self.settings.quiet && io::stderr().is_terminal();
        let meter = Arc::new(Meter::new(show, total));
        self.meter = Some(meter.clone());
        let pieces = inputs
            .iter()
            .map(|i| split(self.data_compression(i)).1)
            .collect();
        let inputs: Arc<[Input]> = inputs.into();
        let pipeline = Pipeline::start(self.job.clone(), inputs.clone(), pieces, meter.clone());
        let result = self.write_items(&pipeline, &inputs);
        meter.finish();
        if result.is_ok() {
            pipeline.finish();
        } else {
            drop(pipeline);
        }
        let result = result.and_then(|()| self.flush());
        let stopped = matches!(&result, Err(e) if e.is::<StdoutClosed>());
        if self.settings.stats && (result.is_ok() || stopped) {
            let line = stats_line(&self.counts, self.bytes, meter.elapsed());
            let _ = writeln!(io::stderr(), "{line}");
        }
        result
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(c) = self.stdout_empty.take() {
            self.stdout.write_all(&c.whole(&[])).map_err(stdout_error)?;
        }
        self.stdout.finish().map_err(stdout_error)?;
        if let Some((path, w)) = &mut self.report {
            w.flush().with_context(|| path.display().to_string())?;
        }
        Ok(())
    }

    /// Writes every item's results in order.
    fn write_items(&mut self, pipeline: &Pipeline, inputs: &[Input]) -> Result<()> {
        // The open output of the JSON Lines input being written.
        let mut file: Option<FileOut> = None;
        // The input whose remaining items are dropped (its output failed).
        let mut dropping = None;
        // The input whose `End` is to come (JSON Lines, or a text document
        // passed through in pieces).
        let mut begun = None;
        let stop = |s: &Runner| Interrupted {
            finished: s.finished,
            inputs: inputs.len(),
            records: s.counts.documents,
        };
        while let Some(item) = pipeline.next() {
            if interrupted() {
                // In-flight work is dropped; `file`'s temporary file with it.
                return Err(stop(self).into());
            }
            match item {
                Item::Begin(i) => {
                    dropping = None;
                    begun = Some(i);
                    match self.open_output(&inputs[i]) {
                        Ok(f) => file = f,
                        Err(e) => {
                            self.error(&inputs[i].name, e);
                            dropping = Some(i);
                            pipeline.abandon(i);
                        }
                    }
                }
                Item::Out {
                    input,
                    bytes,
                    stored,
                    result,
                } => {
                    let out = match result.recv() {
                        Ok(Ok(out)) => out,
                        Ok(Err(panic)) => std::panic::resume_unwind(panic),
                        Err(_) => anyhow::bail!("a worker thread stopped"),
                    };
                    if dropping != Some(input) {
                        self.bytes += bytes;
                        if begun == Some(input) {
                            let mut dest = match &mut file {
                                Some(f) => Dest::File(f),
                                None if self.job.mode == Mode::Clean => Dest::Stdout,
                                None => Dest::Nowhere,
                            };
                            if !self.emit(out, &mut dest)? {
                                file = None;
                                dropping = Some(input);
                                pipeline.abandon(input);
                            }
                        } else {
                            self.text_out(&inputs[input], out)?;
                        }
                    }
                    pipeline.written(bytes);
                    if let Some(meter) = &self.meter {
                        meter.written(self.counts.documents, stored);
                    }
                }
                Item::Error(i, e) => {
                    if dropping != Some(i) {
                        self.error(&inputs[i].name, e);
                    }
                }
                Item::End => {
                    if let Some(mut f) = file.take() {
                        let empty = f.empty.map(|c| c.whole(&[])).unwrap_or_default();
                        let done = f.w.write_all(&empty).and_then(|()| f.w.finish());
                        drop(f.w);
                        match done.and_then(|()| f.staged.commit(f.handle)) {
                            Ok(()) => self.finished += 1,
                            Err(e) => self.error(f.path.display(), e),
                        }
                    } else if dropping.is_none() {
                        self.finished += 1;
                    }
                    dropping = None;
                    begun = None;
                }
            }
        }
        if interrupted() {
            return Err(stop(self).into());
        }
        Ok(())
    }

    /// The output file of a JSON Lines input under `-o DIR`, created.
    fn open_output(&mut self, input: &Input) -> Result<Option<FileOut>, String> {
        let (encoder, pieces) = split(self.data_compression(input));
        let Some(outputs) = self
            .outputs
            .as_mut()
            .filter(|_| self.job.mode == Mode::Clean)
        else {
            return Ok(None);
        };
        let path = outputs.prepare(input)?;
        let opened = outputs.stage(&path).and_then(|(staged, f)| {
            let handle = f.try_clone()?;
            let w = encoder.writer(BufWriter::with_capacity(1 << 16, f))?;
            Ok((staged, handle, w))
        });
        match opened {
            Ok((staged, handle, w)) => Ok(Some(FileOut {
                path,
                w,
                staged,
                handle,
                empty: Some(pieces).filter(|&c| c != Compression::None),
            })),
            Err(e) => Err(output_error(input, &path, e)),
        }
    }

    fn text_out(&mut self, input: &Input, mut out: DocOut) -> Result<()> {
        // Data compressed by pieces comes compressed.
        let compression = split(self.data_compression(input)).0;
        let Some(outputs) = &mut self.outputs else {
            self.emit(out, &mut Dest::Stdout)?;
            self.finished += 1;
            return Ok(());
        };
        let data = out.data.take();
        let written = data.map(|data| {
            outputs.prepare(input).and_then(|path| {
                write_file(outputs, &path, &data, compression)
                    .map_err(|e| output_error(input, &path, e))
            })
        });
        self.emit(out, &mut Dest::Nowhere)?;
        match written {
            Some(Err(e)) => self.error(&input.name, e),
            _ => self.finished += 1,
        }
        Ok(())
    }

    /// Writes one result. `Ok(false)` if its output file failed (reported).
    fn emit(&mut self, out: DocOut, dest: &mut Dest) -> Result<bool> {
        if !out.stderr.is_empty() {
            self.to_stderr(out.stderr.as_bytes());
        }
        self.failed |= out.failed;
        self.counts += out.counts;
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
                Dest::Stdout => {
                    self.stdout.write_all(&data).map_err(stdout_error)?;
                    self.stdout_empty = None;
                }
                Dest::File(f) => {
                    if let Err(e) = f.w.write_all(&data) {
                        self.error(f.path.display(), e);
                        return Ok(false);
                    }
                    f.empty = None;
                }
            }
        }
        Ok(true)
    }
}

/// The message, reported under `input`'s name, for an error writing its
/// output `path`: the path comes first unless it is the input itself
/// (`--in-place`), which would name the file twice.
fn output_error(input: &Input, path: &Path, e: impl fmt::Display) -> String {
    match &input.source {
        Source::File(p) if p == path => e.to_string(),
        _ => format!("{}: {e}", path.display()),
    }
}

/// Writes one whole document to `path`, through a staged file.
fn write_file(
    outputs: &Outputs,
    path: &Path,
    data: &[u8],
    compression: Compression,
) -> io::Result<()> {
    let (staged, file) = outputs.stage(path)?;
    let handle = file.try_clone()?;
    let mut w = compression.writer(BufWriter::with_capacity(1 << 16, file))?;
    w.write_all(data)?;
    w.finish()?;
    drop(w);
    staged.commit(handle)
}
