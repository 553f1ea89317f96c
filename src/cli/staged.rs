//! Output files written whole or not at all: to a temporary file beside
//! the destination (`.NAME.despin-tmp-PID`, hidden, so never read as an
//! input), renamed over it when complete. A staged file dropped before
//! [`Staged::commit`] (an error, Ctrl-C) is removed.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// A temporary file that becomes `dest` on commit.
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    /// In place: the original's backup name, if one is kept.
    backup: Option<PathBuf>,
    /// In place: sync the data before the rename and keep the original's
    /// permissions.
    in_place: bool,
    done: bool,
}

impl Staged {
    /// Creates the temporary file for `dest`. `in_place`: `dest` is an
    /// input being replaced, and `backup` the suffix of its backup.
    pub fn create(dest: &Path, in_place: bool, backup: Option<&str>) -> io::Result<(Staged, File)> {
        let backup = backup.map(|suffix| {
            let mut b = dest.as_os_str().to_owned();
            b.push(suffix);
            PathBuf::from(b)
        });
        if backup.as_deref() == Some(dest) {
            // Making the backup would remove the original first.
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the backup would be the file itself",
            ));
        }
        let name = dest.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dest.with_file_name(format!(".{name}.despin-tmp-{}", std::process::id()));
        let file = File::create(&tmp)?;
        let staged = Staged {
            tmp,
            dest: dest.to_path_buf(),
            backup,
            in_place,
            done: false,
        };
        Ok((staged, file))
    }

    /// Renames the finished temporary file (`file`, flushed) over the
    /// destination; in place, after syncing it, giving it the original's
    /// permissions and linking (or copying) the original to its backup.
    pub fn commit(mut self, file: File) -> io::Result<()> {
        if self.in_place {
            if let Ok(meta) = fs::metadata(&self.dest) {
                file.set_permissions(meta.permissions())?;
            }
            file.sync_all()?;
            if let Some(backup) = &self.backup {
                match fs::remove_file(backup) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
                if fs::hard_link(&self.dest, backup).is_err() {
                    fs::copy(&self.dest, backup)?;
                }
            }
        }
        drop(file);
        fs::rename(&self.tmp, &self.dest)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}
