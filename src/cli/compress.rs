//! Compressed inputs and outputs: gzip (`.gz`) and Zstandard (`.zst`),
//! chosen by file extension, or forced for outputs with `--compress`.

use clap::ValueEnum;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Compression {
    /// Uncompressed.
    #[default]
    None,
    /// gzip (`.gz`).
    Gz,
    /// Zstandard (`.zst`).
    Zst,
}

impl Compression {
    /// The format a path's last extension names.
    pub fn of_path(path: &Path) -> Compression {
        match path.extension() {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gz,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zst,
            _ => Compression::None,
        }
    }

    /// The extension of the format, if it has one.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Gz => Some("gz"),
            Compression::Zst => Some("zst"),
        }
    }

    /// `path` without this format's extension: what the compressed data
    /// is (`a.jsonl` for `a.jsonl.gz`).
    pub fn strip(self, path: &Path) -> PathBuf {
        match self {
            Compression::None => path.to_path_buf(),
            _ => path.with_extension(""),
        }
    }

    /// Reads the decompressed data of `inner`. Its errors name the format
    /// (`gzip: invalid gzip header`).
    pub fn reader<'r>(self, inner: impl Read + 'r) -> io::Result<Box<dyn Read + 'r>> {
        Ok(match self {
            Compression::None => Box::new(inner),
            // Several gzip members (as `cat a.gz b.gz` or pigz make) are
            // read as one stream, as gzip does.
            Compression::Gz => Box::new(Named("gzip", MultiGzDecoder::new(inner))),
            Compression::Zst => Box::new(Named("zstd", zstd::Decoder::new(inner)?)),
        })
    }

    /// Whether the workers compress each piece of output (a document, a
    /// chunk of records) as a whole stream of its own, concatenated by the
    /// writer: gzip members in a row are one gzip stream, and gzip
    /// compresses too slowly to be left to the writer alone. Zstandard
    /// streams from the writer fast enough (and compresses better as one
    /// frame).
    pub fn by_pieces(self) -> bool {
        self == Compression::Gz
    }

    /// `data` compressed as one whole stream (a gzip member, a Zstandard
    /// frame).
    pub fn whole(self, data: &[u8]) -> Vec<u8> {
        let mut w = self
            .writer(Vec::with_capacity(data.len() / 3 + 64))
            .expect("a compressor in memory");
        w.write_all(data).expect("compressing in memory");
        w.finish().expect("compressing in memory");
        match w {
            Encoder::Plain(v) => v,
            Encoder::Gz(e) => e.finish().expect("compressing in memory"),
            Encoder::Zst(e) => e.finish().expect("compressing in memory"),
        }
    }

    /// Compresses what is written to `inner` (default levels: gzip 6,
    /// Zstandard 3).
    pub fn writer<W: Write>(self, inner: W) -> io::Result<Encoder<W>> {
        Ok(match self {
            Compression::None => Encoder::Plain(inner),
            Compression::Gz => Encoder::Gz(GzEncoder::new(inner, flate2::Compression::default())),
            Compression::Zst => Encoder::Zst(zstd::Encoder::new(inner, 0)?),
        })
    }
}

/// `rel` (a file in `from`) renamed for data in `to`: the extension of
/// `from` dropped, that of `to` added.
pub fn rename(rel: &Path, from: Compression, to: Compression) -> PathBuf {
    if from == to {
        return rel.to_path_buf();
    }
    let mut name = from.strip(rel).into_os_string();
    if let Some(ext) = to.extension() {
        name.push(".");
        name.push(ext);
    }
    PathBuf::from(name)
}

/// A decompressor whose errors start with the format's name.
struct Named<R>(&'static str, R);

impl<R: Read> Read for Named<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.1
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.0)))
    }
}

/// A writer that compresses, or not.
pub enum Encoder<W: Write> {
    Plain(W),
    Gz(GzEncoder<W>),
    Zst(zstd::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    /// Writes what is left (the compressed stream's end) to the inner
    /// writer, then flushes it. Nothing may be written after this.
    pub fn finish(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gz(e) => {
                e.try_finish()?;
                e.get_mut().flush()
            }
            Encoder::Zst(e) => {
                e.do_finish()?;
                e.get_mut().flush()
            }
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gz(e) => e.write(buf),
            Encoder::Zst(e) => e.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(buf),
            Encoder::Gz(e) => e.write_all(buf),
            Encoder::Zst(e) => e.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gz(e) => e.flush(),
            Encoder::Zst(e) => e.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(
            Compression::of_path(Path::new("a.jsonl.gz")),
            Compression::Gz
        );
        assert_eq!(Compression::of_path(Path::new("a.ZST")), Compression::Zst);
        assert_eq!(
            Compression::of_path(Path::new("a.jsonl")),
            Compression::None
        );
        assert_eq!(Compression::of_path(Path::new(".gz")), Compression::None);
        assert_eq!(
            Compression::Gz.strip(Path::new("d/a.jsonl.gz")),
            Path::new("d/a.jsonl")
        );
        let (n, g, z) = (Compression::None, Compression::Gz, Compression::Zst);
        assert_eq!(
            rename(Path::new("a.jsonl.gz"), g, g),
            Path::new("a.jsonl.gz")
        );
        assert_eq!(
            rename(Path::new("a.jsonl.gz"), g, z),
            Path::new("a.jsonl.zst")
        );
        assert_eq!(rename(Path::new("a.jsonl.gz"), g, n), Path::new("a.jsonl"));
        assert_eq!(rename(Path::new("d/a.txt"), n, g), Path::new("d/a.txt.gz"));
        assert_eq!(rename(Path::new("README"), n, z), Path::new("README.zst"));
    }

    #[test]
    fn round_trips() {
        let data = b"one\ntwo\n".repeat(1000);
        for c in [Compression::None, Compression::Gz, Compression::Zst] {
            let mut e = c.writer(Vec::new()).unwrap();
            e.write_all(&data).unwrap();
            e.finish().unwrap();
            let packed = match e {
                Encoder::Plain(w) => w,
                Encoder::Gz(e) => e.finish().unwrap(),
                Encoder::Zst(e) => e.finish().unwrap(),
            };
            assert_eq!(packed.len() < data.len(), c != Compression::None);
            let mut back = Vec::new();
            c.reader(&packed[..])
                .unwrap()
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
        }
    }
}
