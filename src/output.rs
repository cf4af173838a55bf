//! Writing the site: atomic, deterministic and minimal-diff.
//!
//! The new site is built in a sibling staging folder. A file whose bytes equal
//! the previous output's is hard-linked from it (same inode, same mtime), so a
//! sync to a static host uploads only what changed. When everything is
//! written, the staging folder and the output swap places in one step
//! (`renameat2(RENAME_EXCHANGE)` on Linux) and the old tree is removed. A
//! failed build removes only its own staging folder: the previous output is
//! never touched. Only folders carrying postkamer's marker file are ever
//! replaced or deleted.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::paths::safe_relative_path;

/// The file that marks a folder as postkamer's output, safe to replace.
pub const MARKER: &str = ".postkamer-output";
const MARKER_TEXT: &str =
    "This folder is written by postkamer build and replaced on every build.\n";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{path}: refusing to replace a folder that postkamer did not write (it has no {MARKER} file)"
    )]
    NotOurs { path: PathBuf },
    #[error("{path}: the output path `{rel}` would leave the output folder")]
    Escapes { path: PathBuf, rel: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A build in progress: files go to the staging folder until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    stage: PathBuf,
    previous: Option<PathBuf>,
    committed: bool,
    /// Deletes the output replaced by the last build while this one renders.
    cleanup: Option<std::thread::JoinHandle<()>>,
}

impl Staging {
    /// Prepares a staging folder beside `target`. Fails, touching nothing, when
    /// `target` exists, is not empty and was not written by postkamer.
    pub fn begin(target: &Path) -> Result<Staging, OutputError> {
        let previous = check_replaceable(target)?;
        let stage = sibling(target, ".postkamer-staging");
        if stage.exists() {
            // Left by an interrupted build: ours only if it carries the marker.
            if !stage.join(MARKER).is_file() {
                return Err(OutputError::NotOurs { path: stage });
            }
            fs::remove_dir_all(&stage).map_err(io_err(&stage))?;
        }
        fs::create_dir_all(&stage).map_err(io_err(&stage))?;
        let staging = Staging {
            target: target.to_path_buf(),
            stage,
            previous,
            committed: false,
            cleanup: start_cleanup(trash_of(target)),
        };
        // Linked like any unchanged file, so a no-change rebuild touches nothing.
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// The staging folder (for tests and `serve`).
    pub fn stage_dir(&self) -> &Path {
        &self.stage
    }

    /// Writes one file, reusing the previous build's file when the bytes are the same.
    /// Safe to call from many threads for different paths.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let dest = self.dest(rel)?;
        if let Some(old) = self.previous_file(rel)
            && same_bytes(&old, bytes)
        {
            let _ = fs::remove_file(&dest);
            if fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        write_new(&dest, bytes).map_err(io_err(&dest))
    }

    /// Where to write the file `rel` directly, for a file too large to hold in memory: a path
    /// in the staging folder with no file there. Call [`Staging::written`] once it is complete.
    pub fn place(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let dest = self.dest(rel)?;
        match fs::remove_file(&dest) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&dest)(e)),
            _ => Ok(dest),
        }
    }

    /// Finishes a file written at its [`Staging::place`]: when its bytes equal the previous
    /// build's file, that one is hard-linked in its stead, as [`Staging::write`] does.
    pub fn written(&self, rel: &str) -> Result<(), OutputError> {
        let dest = self.dest(rel)?;
        let Some(old) = self.previous_file(rel) else {
            return Ok(());
        };
        if !same_files(&old, &dest).map_err(io_err(&dest))? {
            return Ok(());
        }
        // Linked beside it, then renamed over it: the new file stays until the link is in place.
        let link = dest.with_extension("postkamer-link");
        let _ = fs::remove_file(&link);
        if fs::hard_link(&old, &link).is_ok() && fs::rename(&link, &dest).is_err() {
            let _ = fs::remove_file(&link);
        }
        Ok(())
    }

    fn dest(&self, rel: &str) -> Result<PathBuf, OutputError> {
        if !safe_relative_path(rel) {
            return Err(OutputError::Escapes {
                path: self.target.clone(),
                rel: rel.to_string(),
            });
        }
        let dest = self.stage.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        Ok(dest)
    }

    fn previous_file(&self, rel: &str) -> Option<PathBuf> {
        self.previous
            .as_ref()
            .map(|p| p.join(rel))
            .filter(|p| p.is_file())
    }

    /// Puts the new site in place in one step and removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if self.target.exists() {
            exchange(&self.stage, &self.target)?;
            // The old site now sits in the staging folder. Deleting thousands of
            // folders can take seconds on slow disks, so it moves aside and the
            // next build deletes it while it renders.
            self.finish_cleanup();
            let trash = trash_of(&self.target);
            if fs::rename(&self.stage, &trash).is_err() {
                fs::remove_dir_all(&self.stage).map_err(io_err(&self.stage))?;
            }
        } else {
            if let Some(parent) = self.target.parent() {
                fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            fs::rename(&self.stage, &self.target).map_err(io_err(&self.target))?;
        }
        self.committed = true;
        Ok(())
    }

    fn finish_cleanup(&mut self) {
        if let Some(handle) = self.cleanup.take() {
            let _ = handle.join();
        }
    }
}

/// Where a replaced output waits to be deleted: a marked sibling folder.
fn trash_of(target: &Path) -> PathBuf {
    sibling(target, ".postkamer-old")
}

/// Deletes a previous build's replaced output in the background, if there is one
/// and it carries postkamer's marker.
fn start_cleanup(trash: PathBuf) -> Option<std::thread::JoinHandle<()>> {
    if !trash.join(MARKER).is_file() {
        return None;
    }
    std::thread::Builder::new()
        .name("postkamer-cleanup".into())
        .spawn(move || {
            let _ = fs::remove_dir_all(&trash);
        })
        .ok()
}

impl Drop for Staging {
    /// An abandoned build removes its own staging folder and nothing else.
    fn drop(&mut self) {
        self.finish_cleanup();
        if !self.committed && self.stage.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&self.stage);
        }
    }
}

/// `Ok(Some(target))` when there is a previous postkamer output to reuse, `Ok(None)` when there is nothing.
fn check_replaceable(target: &Path) -> Result<Option<PathBuf>, OutputError> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(OutputError::Io {
            path: target.to_path_buf(),
            source: e,
        }),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotOurs {
            path: target.to_path_buf(),
        }),
        Ok(_) if target.join(MARKER).is_file() => Ok(Some(target.to_path_buf())),
        Ok(_) => {
            let empty = fs::read_dir(target)
                .map_err(io_err(target))?
                .next()
                .is_none();
            if empty {
                Ok(None)
            } else {
                Err(OutputError::NotOurs {
                    path: target.to_path_buf(),
                })
            }
        }
    }
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = OsString::from(".");
    name.push(target.file_name().unwrap_or_else(|| "public".as_ref()));
    name.push(suffix);
    target.with_file_name(name)
}

/// Writes a new file. A file already there (the same path written twice) is
/// unlinked first: writing into it could change a hard-linked previous output.
fn write_new(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
    {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(dest)?;
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(dest)
        }
        other => other,
    };
    file?.write_all(bytes)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// Whether two files hold the same bytes, read a block at a time: they may be large.
fn same_files(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read as _;
    if fs::metadata(a)?.len() != fs::metadata(b)?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut x, mut y) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Swaps two folders atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(|e| io_err(a)(io::Error::other(e)))?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(|e| io_err(b)(io::Error::other(e)))?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    // Some file systems lack RENAME_EXCHANGE: fall back to two renames.
    if matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
        return two_step_swap(a, b);
    }
    Err(OutputError::Io {
        path: b.to_path_buf(),
        source: err,
    })
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    two_step_swap(a, b)
}

/// Moves `b` aside, `a` into place, then the old `b` to where `a` was.
fn two_step_swap(a: &Path, b: &Path) -> Result<(), OutputError> {
    let aside = sibling(b, ".postkamer-aside");
    fs::rename(b, &aside).map_err(io_err(b))?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(OutputError::Io {
            path: b.to_path_buf(),
            source: e,
        });
    }
    fs::rename(&aside, a).map_err(io_err(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn unchanged_files_keep_their_inode_and_changed_ones_are_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.write("a/index.html", b"same").unwrap();
        s.write("b.html", b"old").unwrap();
        s.commit().unwrap();
        let inode = fs::metadata(out.join("a/index.html")).unwrap().ino();
        let s = Staging::begin(&out).unwrap();
        s.write("a/index.html", b"same").unwrap();
        s.write("b.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().ino(), inode);
        assert_eq!(fs::read(out.join("b.html")).unwrap(), b"new");
        assert!(!sibling(&out, ".postkamer-staging").exists());
    }

    #[test]
    fn a_file_written_in_place_is_linked_when_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let write_in_place = |s: &Staging, bytes: &[u8]| {
            fs::write(s.place("data/big.db").unwrap(), bytes).unwrap();
            s.written("data/big.db").unwrap();
        };
        let s = Staging::begin(&out).unwrap();
        write_in_place(&s, b"same");
        s.commit().unwrap();
        let inode = fs::metadata(out.join("data/big.db")).unwrap().ino();
        let s = Staging::begin(&out).unwrap();
        write_in_place(&s, b"same");
        s.commit().unwrap();
        assert_eq!(fs::metadata(out.join("data/big.db")).unwrap().ino(), inode);
        let s = Staging::begin(&out).unwrap();
        write_in_place(&s, b"diff");
        s.commit().unwrap();
        assert_ne!(fs::metadata(out.join("data/big.db")).unwrap().ino(), inode);
        assert_eq!(fs::read(out.join("data/big.db")).unwrap(), b"diff");
        assert_eq!(fs::read_dir(out.join("data")).unwrap().count(), 1);
    }

    #[test]
    fn a_foreign_folder_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.txt"), "mine").unwrap();
        assert!(matches!(
            Staging::begin(dir.path()),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(dir.path().join("thesis.txt").exists());
    }

    #[test]
    fn an_abandoned_build_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"v1").unwrap();
        s.commit().unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"v2").unwrap();
        drop(s);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"v1");
        assert!(!sibling(&out, ".postkamer-staging").exists());
    }

    #[test]
    fn paths_cannot_escape() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::begin(&dir.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "a//b", ""] {
            assert!(
                matches!(s.write(bad, b"x"), Err(OutputError::Escapes { .. })),
                "{bad}"
            );
        }
    }
}
