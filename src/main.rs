//! The `despin` command line: files, directories, JSON Lines, threads and
//! reports around the library's [`despin::Cleaner`].
//!
//! Exit status: 0 on success, 1 when `check` finds a spun document, 2 on any
//! error (an error wins over 1). A closed standard output is not an error.

mod cli {
    pub mod args;
    pub mod compress;
    pub mod config;
    pub mod dict;
    pub mod docs;
    pub mod eval;
    pub mod inputs;
    pub mod pipeline;
    pub mod progress;
    pub mod run;
    pub mod signal;
    pub mod staged;
}

use anyhow::{bail, Context, Result};
use clap::Parser;
use cli::args::{Cli, Command};
use cli::config::setup;
use cli::docs::{Job, Mode};
use cli::inputs::{file_id, is_stdin, resolve, Outputs};
use cli::run::{Interrupted, Runner, Settings, StdoutClosed};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Cleaning makes many small, short-lived allocations per document (tokens,
/// candidates, replacement strings) on every thread; mimalloc's per-thread
/// free lists serve them in a fraction of glibc malloc's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, the same
/// in mimalloc 2 and 3; the sys crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // By default mimalloc gives freed memory back to the kernel after 10 ms;
    // a run allocates and frees the same few megabytes per chunk of records,
    // so the kernel then zeroes the same (huge) pages again and again: 8% of
    // a run's time on clean news went to that. Kept, the memory is reused;
    // the peak is what it was.
    // SAFETY: sets a process-wide option; mimalloc allows it at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "despin: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let (common, mode, output, compress, in_place) = match cli.command {
        Command::Clean(a) => {
            let mode = if a.diff { Mode::Diff } else { Mode::Clean };
            let in_place = a.in_place.then_some(a.backup);
            (a.common, mode, a.output, a.compress, in_place)
        }
        Command::Check(a) => (a.common, Mode::Check, None, None, None),
        Command::Eval(a) => {
            thread_pool(a.threads)?;
            return cli::eval::run(&a, || setup(&a.cleaner));
        }
        Command::Dict(d) => return cli::dict::run(&d),
    };
    // `--diff` writes nothing to `-o`.
    let output = output.filter(|_| mode == Mode::Clean);
    if in_place.is_some() {
        if common.paths.is_empty() || common.paths.iter().any(|p| is_stdin(p)) {
            bail!("`--in-place` needs files or directories: standard input has no file to rewrite");
        }
    } else if mode == Mode::Clean {
        check_destination(&common.paths, output.as_ref())?;
    }
    thread_pool(common.threads)?;
    let setup = setup(&common.cleaner)?;
    let options = despin::Options {
        suggestions: common.suggestions,
        ..setup.options
    };
    let job = Arc::new(Job {
        cleaner: setup.cleaner(options),
        field: common.field.clone(),
        mode,
        report: common.report.is_some(),
        suggestions: common.suggestions,
        max_doc_bytes: common.max_doc_bytes,
    });

    // Created before the inputs are listed so that it is not one of them.
    let report = match &common.report {
        Some(path) => {
            let file = File::create(path).with_context(|| path.display().to_string())?;
            let id = file.metadata().ok().as_ref().and_then(file_id);
            Some((path.clone(), BufWriter::new(file), id))
        }
        None => None,
    };
    let report_id = report.as_ref().and_then(|r| r.2);

    let skip = output.as_ref().and_then(|d| std::fs::canonicalize(d).ok());
    let mut errors = Vec::new();
    let mut inputs = resolve(&common.paths, common.format, skip.as_deref(), &mut errors);
    inputs.retain(|i| report_id.is_none() || i.id != report_id);
    let outputs = match in_place {
        Some(backup) => Some(Outputs::in_place(backup)),
        None => output.map(|dir| Outputs::new(dir, &inputs)),
    };
    let report = report.map(|(path, w, _)| (path, w));
    let settings = Settings {
        compress,
        quiet: common.quiet,
        stats: common.stats,
    };
    cli::signal::install();
    let mut runner = Runner::new(job, outputs, report, settings)?;
    for (name, e) in errors {
        runner.error(name, e);
    }
    match runner.run(inputs) {
        Ok(()) => {}
        Err(e) if e.is::<StdoutClosed>() => {}
        Err(e) if e.is::<Interrupted>() => {
            let _ = writeln!(std::io::stderr(), "despin: {e}");
            return Ok(ExitCode::from(130));
        }
        Err(e) => return Err(e),
    }
    Ok(if runner.failed {
        ExitCode::from(2)
    } else if mode == Mode::Check && runner.spun() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Cleaned documents go to standard output only for standard input or one
/// file; anything else needs `-o DIR`, which takes no standard input.
fn check_destination(paths: &[PathBuf], output: Option<&PathBuf>) -> Result<()> {
    if let Some(dir) = output.filter(|d| d.exists() && !d.is_dir()) {
        bail!("{}: the output (`-o`) is not a directory", dir.display());
    }
    match output {
        None if paths.len() > 1 || paths.iter().any(|p| p.is_dir()) => bail!(
            "several files or a directory need an output directory: add `-o DIR` \
             (or use `--diff` or `check`)"
        ),
        Some(_) if paths.is_empty() || paths.iter().any(|p| is_stdin(p)) => bail!(
            "standard input cannot be written to an output directory: \
             drop `-o` to write it to standard output"
        ),
        _ => Ok(()),
    }
}

/// `-j N`: the global rayon pool gets N threads.
fn thread_pool(threads: Option<usize>) -> Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the thread pool")?;
    }
    Ok(())
}
