//! Turning PATH arguments into a list of documents, and choosing where each
//! one's output goes.

use super::args::Format;
use super::compress::Compression;
use std::collections::HashSet;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};
use walkdir::WalkDir;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// One document (a text file, or a JSON Lines file of records).
#[derive(Debug, Clone)]
pub struct Input {
    pub source: Source,
    /// The name used in messages and reports: the path as reached, or `-`.
    pub name: String,
    /// Read as JSON Lines.
    pub jsonl: bool,
    /// Compressed as its extension says (`.gz`, `.zst`).
    pub compression: Compression,
    /// The output path relative to `-o DIR`.
    pub rel: PathBuf,
    /// Size in bytes as stored (compressed), when known: for progress.
    pub len: u64,
    /// Identity of the file, to refuse overwriting an input.
    pub id: Option<FileId>,
    /// Found by walking a directory, not named on the command line.
    pub walked: bool,
}

impl Input {
    fn file(path: PathBuf, rel: PathBuf, meta: &Metadata, format: Format, walked: bool) -> Input {
        let compression = Compression::of_path(&path);
        Input {
            name: path.display().to_string(),
            jsonl: is_jsonl(&compression.strip(&path), format),
            compression,
            source: Source::File(path),
            rel,
            len: meta.len(),
            id: file_id(meta),
            walked,
        }
    }

    pub fn stdin(format: Format) -> Input {
        Input {
            source: Source::Stdin,
            name: "-".to_string(),
            jsonl: format == Format::Jsonl,
            compression: Compression::None,
            rel: PathBuf::new(),
            len: 0,
            id: None,
            walked: false,
        }
    }
}

fn is_jsonl(path: &Path, format: Format) -> bool {
    match format {
        Format::Text => false,
        Format::Jsonl => true,
        Format::Auto => path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson")),
    }
}

/// Device and inode where the platform has them.
pub type FileId = (u64, u64);

#[cfg(unix)]
pub fn file_id(meta: &Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
pub fn file_id(_meta: &Metadata) -> Option<FileId> {
    None
}

/// True if `path` is `-` (standard input).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Expands the PATH arguments into documents, in argument order, each
/// directory walked recursively in sorted order without hidden entries and
/// without `skip` (the output directory, canonicalised). Paths that cannot
/// be read are returned as `(name, error)` in `errors`, in order of discovery.
pub fn resolve(
    paths: &[PathBuf],
    format: Format,
    skip: Option<&Path>,
    errors: &mut Vec<(String, io::Error)>,
) -> Vec<Input> {
    let mut inputs = Vec::new();
    if paths.is_empty() {
        inputs.push(Input::stdin(format));
    }
    for path in paths {
        if is_stdin(path) {
            inputs.push(Input::stdin(format));
            continue;
        }
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                errors.push((path.display().to_string(), e));
                continue;
            }
        };
        if !meta.is_dir() {
            inputs.push(Input::file(
                path.clone(),
                normal_part(path),
                &meta,
                format,
                false,
            ));
            continue;
        }
        if skip.is_some_and(|s| is_same_dir(path, s)) {
            errors.push((
                path.display().to_string(),
                io::Error::other("is the output directory"),
            ));
            continue;
        }
        let walk = WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(is_hidden(e.file_name())
                        || (e.file_type().is_dir()
                            && skip.is_some_and(|s| is_same_dir(e.path(), s))))
            });
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let name = e.path().unwrap_or(path).display().to_string();
                    let err = match e.into_io_error() {
                        Some(io) => io,
                        None => io::Error::other("file system loop"),
                    };
                    errors.push((name, err));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    let err = e
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("unreadable"));
                    errors.push((entry.path().display().to_string(), err));
                    continue;
                }
            };
            let rel = entry
                .path()
                .strip_prefix(path)
                .map(normal_part)
                .unwrap_or_else(|_| normal_part(entry.path()));
            inputs.push(Input::file(
                entry.path().to_path_buf(),
                rel,
                &meta,
                format,
                true,
            ));
        }
    }
    inputs
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn is_same_dir(dir: &Path, canonical: &Path) -> bool {
    fs::canonicalize(dir).is_ok_and(|c| c == canonical)
}

/// The normal components of `path` (root, prefix, `.` and `..` dropped):
/// a relative path that cannot leave the directory it is joined to.
pub fn normal_part(path: &Path) -> PathBuf {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Chooses output paths under `out_dir` and refuses unsafe ones: two inputs
/// with the same output, an output that is one of the inputs, an output
/// reached through a symbolic link.
pub struct Outputs {
    dir: PathBuf,
    taken: HashSet<PathBuf>,
    input_ids: HashSet<FileId>,
    /// `--in-place`, and its `--backup` suffix.
    pub in_place: Option<Option<String>>,
}

impl Outputs {
    pub fn new(dir: PathBuf, inputs: &[Input]) -> Outputs {
        Outputs {
            dir,
            taken: HashSet::new(),
            input_ids: inputs.iter().filter_map(|i| i.id).collect(),
            in_place: None,
        }
    }

    /// Every input rewritten in place (`backup`: keep the original as
    /// NAME+SUFFIX).
    pub fn in_place(backup: Option<String>) -> Outputs {
        Outputs {
            dir: PathBuf::new(),
            taken: HashSet::new(),
            input_ids: HashSet::new(),
            in_place: Some(backup),
        }
    }

    /// Whether `input` is an earlier run's backup, to be left alone: with
    /// `--in-place --backup SUFFIX`, a file found by walking a directory
    /// whose name is longer than SUFFIX and ends with it. Cleaning it would
    /// make NAME+SUFFIX+SUFFIX at every run and rewrite the very copy the
    /// user kept; a file named on the command line is cleaned whatever its
    /// name, as asked.
    pub fn is_backup(&self, input: &Input) -> bool {
        let Some(Some(suffix)) = &self.in_place else {
            return false;
        };
        let Source::File(path) = &input.source else {
            return false;
        };
        let name = path.file_name().unwrap_or_default().as_encoded_bytes();
        input.walked && name.len() > suffix.len() && name.ends_with(suffix.as_bytes())
    }

    /// A staged (temporary) file for output path `path`.
    pub fn stage(&self, path: &Path) -> io::Result<(super::staged::Staged, fs::File)> {
        let backup = self.in_place.as_ref().and_then(|b| b.as_deref());
        super::staged::Staged::create(path, self.in_place.is_some(), backup)
    }

    /// The output path for `input`, its parent directories created.
    pub fn prepare(&mut self, input: &Input) -> Result<PathBuf, String> {
        if self.in_place.is_some() {
            return match &input.source {
                Source::File(path) if self.taken.insert(path.clone()) => Ok(path.clone()),
                Source::File(_) => Err("given twice; rewritten once".to_string()),
                Source::Stdin => Err("standard input cannot be rewritten in place".to_string()),
            };
        }
        if input.rel.as_os_str().is_empty() {
            return Err("no file name to write under the output directory".to_string());
        }
        let out = self.dir.join(&input.rel);
        if !self.taken.insert(out.clone()) {
            return Err(format!(
                "output {} is also the output of an earlier input",
                out.display()
            ));
        }
        // Every existing component below the output directory must be a
        // real directory (or, last, a regular file), so that nothing is
        // written outside it.
        let mut p = self.dir.clone();
        let n = input.rel.components().count();
        for (i, c) in input.rel.components().enumerate() {
            p.push(c);
            match fs::symlink_metadata(&p) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(format!(
                        "refusing to write through the symbolic link {}",
                        p.display()
                    ))
                }
                Ok(m) if i + 1 == n => {
                    let is_input = match file_id(&m) {
                        Some(id) => self.input_ids.contains(&id),
                        None => matches!(
                            (&input.source, fs::canonicalize(&p)),
                            (Source::File(src), Ok(c)) if fs::canonicalize(src).is_ok_and(|s| s == c)
                        ),
                    };
                    if is_input {
                        return Err(format!("refusing to overwrite the input {}", p.display()));
                    }
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => break,
                Err(e) => return Err(format!("{}: {e}", p.display())),
            }
        }
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_part_keeps_only_names() {
        assert_eq!(normal_part(Path::new("a/b.txt")), PathBuf::from("a/b.txt"));
        assert_eq!(
            normal_part(Path::new("/x/../y/./z.txt")),
            PathBuf::from("x/y/z.txt")
        );
        assert_eq!(normal_part(Path::new("../../z")), PathBuf::from("z"));
    }

    #[test]
    fn extensions_choose_jsonl() {
        assert!(is_jsonl(Path::new("a.jsonl"), Format::Auto));
        assert!(is_jsonl(Path::new("a.NDJSON"), Format::Auto));
        assert!(!is_jsonl(Path::new("a.json"), Format::Auto));
        assert!(is_jsonl(Path::new("a.txt"), Format::Jsonl));
        assert!(!is_jsonl(Path::new("a.jsonl"), Format::Text));
    }

    #[test]
    fn compressed_files_are_known_by_the_extension_under_it() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.jsonl.gz", "b.ndjson.zst", "c.txt.gz", "d.gz"] {
            fs::write(dir.path().join(name), "").unwrap();
        }
        let inputs = resolve(
            &[dir.path().to_path_buf()],
            Format::Auto,
            None,
            &mut Vec::new(),
        );
        let got: Vec<_> = inputs
            .iter()
            .map(|i| (i.rel.to_str().unwrap(), i.jsonl, i.compression))
            .collect();
        let (gz, zst) = (Compression::Gz, Compression::Zst);
        assert_eq!(
            got,
            [
                ("a.jsonl.gz", true, gz),
                ("b.ndjson.zst", true, zst),
                ("c.txt.gz", false, gz),
                ("d.gz", false, gz)
            ]
        );
    }
}
