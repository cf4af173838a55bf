//! Reading (and writing) the site folder without leaving it.
//!
//! A letter is untrusted input, and so is a symbolic link committed beside
//! it: `content/10001/env.txt -> /proc/self/environ` named as an attachment
//! would publish the build's environment. Every file postkamer reads from the
//! site (letters, attachments, `static/`, theme files, `site.toml`) is read
//! through [`SiteFolder`], which follows a symbolic link only while it stays
//! inside the site folder and refuses one that leads out.
//!
//! On Linux a file is opened with `openat2(RESOLVE_BENEATH)` relative to the
//! site folder: one system call, and the kernel refuses any way out, so there
//! is no window between checking and reading. Where that is not available,
//! or for an absolute link (which `RESOLVE_BENEATH` always refuses), the file
//! is opened first and then checked: its canonical path must lie inside the
//! site folder and name the very file that was opened.
//!
//! What postkamer writes into the site (`postkamer import`'s letters and their
//! originals) goes through [`SiteFolder::write`]: the folder it goes into must
//! lie inside the site once every link on the way is resolved, and the file
//! is written under a fresh temporary name (created, never opened through a
//! link) and renamed into place, which replaces a link rather than follow it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Why a file of the site could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path, or a symbolic link on it, leads out of the site folder.
    #[error(
        "it is a symbolic link (or lies in a linked folder) that leads outside the site folder"
    )]
    Outside,
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl ReadError {
    /// The sentence that tells the user how to fix it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::Outside => {
                "copy the file into the site folder instead of linking to it; postkamer reads nothing outside the site"
            }
            ReadError::Io(_) => "check that the file exists and can be read",
        }
    }
}

/// The site folder, as the boundary of everything postkamer reads.
#[derive(Debug)]
pub struct SiteFolder {
    /// The root as the caller names it: paths under it are made relative to it.
    given: PathBuf,
    /// The root with every symbolic link resolved.
    canonical: PathBuf,
    /// The root, opened once, for `openat2`.
    #[cfg(target_os = "linux")]
    dir: Option<std::os::fd::OwnedFd>,
}

impl SiteFolder {
    /// The site folder at `root`. Never fails: when the folder cannot be
    /// resolved, every read through it fails instead.
    pub fn new(root: &Path) -> SiteFolder {
        SiteFolder {
            given: root.to_path_buf(),
            // A root that does not exist yet is compared as it will be once made.
            canonical: resolve_existing(root),
            #[cfg(target_os = "linux")]
            dir: open_dir(root),
        }
    }

    /// The site folder as given.
    pub fn root(&self) -> &Path {
        &self.given
    }

    /// Reads a whole file of the site.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        let mut file = self.open(path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Whether `path` is a regular file inside the site; `Err` when it leads out.
    pub fn is_file(&self, path: &Path) -> Result<bool, ReadError> {
        match self.open(path) {
            Ok(file) => Ok(file.metadata()?.is_file()),
            Err(ReadError::Io(_)) => Ok(false),
            Err(outside) => Err(outside),
        }
    }

    /// Whether `path` (which need not exist) lies inside the site folder once
    /// every symbolic link on it is resolved.
    pub fn contains(&self, path: &Path) -> bool {
        resolve_existing(path).starts_with(&self.canonical)
    }

    /// Creates `dir` and the folders above it inside the site; refuses when
    /// it, or a folder on the way, is a symbolic link that leads out.
    pub fn create_dir_all(&self, dir: &Path) -> Result<(), ReadError> {
        if !self.contains(dir) || self.dangling_link_out(dir) {
            return Err(ReadError::Outside);
        }
        std::fs::create_dir_all(dir)?;
        // Check what exists now, in case a link was put on the way meanwhile.
        if !self.contains(dir) {
            return Err(ReadError::Outside);
        }
        Ok(())
    }

    /// Whether `path` or a folder above it is a symbolic link to something that
    /// does not exist (yet) outside the site: making folders would follow it out.
    fn dangling_link_out(&self, path: &Path) -> bool {
        path.ancestors().any(|a| {
            let is_link = a.symlink_metadata().is_ok_and(|m| m.is_symlink());
            if !is_link || a.canonicalize().is_ok() {
                return false;
            }
            std::fs::read_link(a).is_ok_and(|target| {
                let target = a.parent().unwrap_or(Path::new("")).join(target);
                !self.contains(&target)
            })
        })
    }

    /// Writes a whole file inside the site: the folders are made with
    /// [`SiteFolder::create_dir_all`], the bytes go to a temporary file created
    /// anew beside the target, which is then renamed over it. So a crash never
    /// leaves half a file, and a symbolic link at the target is replaced, never followed.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), ReadError> {
        use std::io::Write as _;
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(ReadError::Io(io::Error::from(io::ErrorKind::InvalidInput)));
        };
        self.create_dir_all(dir)?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(".postkamer-tmp");
        let temp = dir.join(temp_name);
        // A leftover of a crash (or a link put there) goes; `create_new` then
        // refuses anything that appears in its place.
        match std::fs::remove_file(&temp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| file.write_all(bytes))
            .and_then(|()| std::fs::rename(&temp, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(e.into());
        }
        Ok(())
    }

    /// Opens a file of the site for reading, refusing any way out of it.
    pub fn open(&self, path: &Path) -> Result<File, ReadError> {
        #[cfg(target_os = "linux")]
        if let (Some(dir), Ok(rel)) = (&self.dir, path.strip_prefix(&self.given))
            && let Some(result) = open_beneath(dir, rel)
        {
            return result;
        }
        self.open_then_check(path)
    }

    /// Opens `path` following links, then checks that what was opened lies inside.
    fn open_then_check(&self, path: &Path) -> Result<File, ReadError> {
        let file = File::open(path)?;
        let canonical = path.canonicalize()?;
        if !canonical.starts_with(&self.canonical) {
            return Err(ReadError::Outside);
        }
        if !same_file(&file, &canonical)? {
            // The path changed between opening and checking: trust neither.
            return Err(ReadError::Outside);
        }
        Ok(file)
    }

    /// Every file below `dir`, sorted, with its path relative to `dir` written
    /// with `/`, and the problems met on the way. A missing folder has no files.
    pub fn files_below(&self, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
        let (found, problems) = self.walk(dir, |_| false, |_| true);
        let files = found
            .into_iter()
            .filter_map(|path| {
                let rel = path
                    .strip_prefix(dir)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                Some((rel, path))
            })
            .collect();
        (files, problems)
    }
}

impl SiteFolder {
    /// Every file below `dir` that `wanted` accepts, sorted by name,
    /// following symbolic links that stay inside the site. A wanted link that
    /// leads out (or any such folder), a loop and an unreadable entry are
    /// problems, never silently skipped. Entries whose name `skip` accepts are
    /// left out, with everything below them.
    pub fn walk(
        &self,
        dir: &Path,
        skip: impl Fn(&std::ffi::OsStr) -> bool,
        wanted: impl Fn(&Path) -> bool,
    ) -> (Vec<PathBuf>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut outside = Vec::new();
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && skip(e.file_name()) {
                    return false;
                }
                if e.path_is_symlink() && !self.contains(e.path()) {
                    if e.file_type().is_dir() || wanted(e.path()) {
                        outside.push(e.path().to_path_buf());
                    }
                    return false;
                }
                true
            });
        let mut files = Vec::new();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && wanted(e.path()) => files.push(e.into_path()),
                Ok(_) => {}
                // A missing folder has no files.
                Err(e)
                    if e.depth() == 0
                        && e.io_error()
                            .is_some_and(|io| io.kind() == io::ErrorKind::NotFound) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    problems.push(
                        Diagnostic::error_in(self.display(&path), format!("cannot read: {e}"))
                            .with_help("remove the link or fix the folder; postkamer follows no link in a circle"),
                    );
                }
            }
        }
        for path in outside {
            problems.push(self.outside(&path));
        }
        (files, problems)
    }

    /// The path as users see it: relative to the site folder where it is inside.
    pub fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.given)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    }

    /// The problem of a path that leads out of the site folder.
    pub fn outside(&self, path: &Path) -> Diagnostic {
        Diagnostic::error_in(
            self.display(path),
            format!("not read: {}", ReadError::Outside),
        )
        .with_help(ReadError::Outside.help())
    }
}

/// `path` with every symbolic link resolved, as far as it exists; the rest appended.
pub fn resolve_existing(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(resolved) = existing.canonicalize() {
            let mut out = resolved;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let (a, b) = (file.metadata()?, std::fs::metadata(path)?);
    Ok(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> io::Result<bool> {
    Ok(true)
}

#[cfg(target_os = "linux")]
fn open_dir(root: &Path) -> Option<std::os::fd::OwnedFd> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(root)
        .ok()
        .map(std::os::fd::OwnedFd::from)
}

/// Opens `rel` below `dir` with `openat2(RESOLVE_BENEATH)`. `None` when the
/// kernel cannot say (no `openat2`, or an absolute link it refuses on
/// principle): the caller checks the slow way.
#[cfg(target_os = "linux")]
fn open_beneath(dir: &std::os::fd::OwnedFd, rel: &Path) -> Option<Result<File, ReadError>> {
    use std::ffi::CString;
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    let rel = if rel.as_os_str().is_empty() {
        Path::new(".")
    } else {
        rel
    };
    let Ok(name) = CString::new(rel.as_os_str().as_bytes()) else {
        return Some(Err(ReadError::Io(io::Error::from(
            io::ErrorKind::InvalidInput,
        ))));
    };
    // SAFETY: open_how is plain data; zeroed is its documented initial state.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (libc::O_RDONLY | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
    // SAFETY: the name is NUL-terminated, `how` lives across the call and its
    // size is passed; the returned descriptor is owned by the File below.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.as_raw_fd(),
            name.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: a fresh descriptor from the kernel, owned by nobody else.
        return Some(Ok(unsafe { File::from_raw_fd(fd as i32) }));
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        // EXDEV: a way out, or an absolute link; ELOOP: a magic link. Both are
        // decided the slow way, which follows a link that stays inside.
        Some(
            libc::EXDEV | libc::ELOOP | libc::ENOSYS | libc::EPERM | libc::EINVAL | libc::E2BIG,
        ) => None,
        _ => Some(Err(ReadError::Io(err))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, SiteFolder) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/1")).unwrap();
        std::fs::write(root.join("content/1/a.txt"), "inside").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        let folder = SiteFolder::new(&root);
        (dir, folder)
    }

    #[test]
    fn a_plain_file_inside_is_read() {
        let (_dir, folder) = site();
        let path = folder.root().join("content/1/a.txt");
        assert_eq!(folder.read(&path).unwrap(), b"inside");
        assert!(folder.is_file(&path).unwrap());
    }

    #[test]
    fn links_out_of_the_site_are_refused_relative_or_absolute() {
        let (dir, folder) = site();
        let root = folder.root().to_path_buf();
        symlink("../../../secret.txt", root.join("content/1/rel.txt")).unwrap();
        symlink(
            dir.path().join("secret.txt"),
            root.join("content/1/abs.txt"),
        )
        .unwrap();
        symlink("/proc/self/environ", root.join("content/1/env.txt")).unwrap();
        symlink(dir.path(), root.join("content/linked")).unwrap();
        for name in ["1/rel.txt", "1/abs.txt", "1/env.txt", "linked/secret.txt"] {
            let path = root.join("content").join(name);
            assert!(
                matches!(folder.read(&path), Err(ReadError::Outside)),
                "{name}"
            );
            assert!(folder.is_file(&path).is_err(), "{name}");
        }
    }

    #[test]
    fn links_that_stay_inside_are_followed() {
        let (_dir, folder) = site();
        let root = folder.root().to_path_buf();
        symlink("../1/a.txt", root.join("content/1/up.txt")).unwrap();
        symlink(root.join("content/1/a.txt"), root.join("content/abs.txt")).unwrap();
        symlink(root.join("content/1"), root.join("content/two")).unwrap();
        for name in ["1/up.txt", "abs.txt", "two/a.txt"] {
            let path = root.join("content").join(name);
            assert_eq!(folder.read(&path).unwrap(), b"inside", "{name}");
        }
    }

    #[test]
    fn a_site_reached_through_a_link_reads_as_usual() {
        let (dir, folder) = site();
        let via = dir.path().join("via");
        symlink(folder.root(), &via).unwrap();
        let folder = SiteFolder::new(&via);
        assert_eq!(
            folder.read(&via.join("content/1/a.txt")).unwrap(),
            b"inside"
        );
        assert!(folder.contains(&via.join("content/new/folder")));
        assert!(!folder.contains(&dir.path().join("elsewhere")));
    }

    #[test]
    fn the_slow_path_checks_like_the_fast_one() {
        let (dir, folder) = site();
        let root = folder.root().to_path_buf();
        symlink(dir.path().join("secret.txt"), root.join("out.txt")).unwrap();
        symlink(root.join("content/1/a.txt"), root.join("in.txt")).unwrap();
        assert!(matches!(
            folder.open_then_check(&root.join("out.txt")),
            Err(ReadError::Outside)
        ));
        assert!(folder.open_then_check(&root.join("in.txt")).is_ok());
    }

    #[test]
    fn writes_stay_inside_and_replace_a_link_instead_of_following_it() {
        let (dir, folder) = site();
        let root = folder.root().to_path_buf();
        folder
            .write(&root.join("content/2/new.md"), b"nieuw")
            .unwrap();
        assert_eq!(
            std::fs::read(root.join("content/2/new.md")).unwrap(),
            b"nieuw"
        );
        // A link inside is followed for the folder.
        symlink(root.join("content/1"), root.join("content/een")).unwrap();
        folder.write(&root.join("content/een/b.md"), b"b").unwrap();
        assert_eq!(std::fs::read(root.join("content/1/b.md")).unwrap(), b"b");
        // A file that is a link out is replaced by a plain file; what it named is untouched.
        symlink(dir.path().join("secret.txt"), root.join("content/1/c.md")).unwrap();
        folder.write(&root.join("content/1/c.md"), b"c").unwrap();
        assert!(!root.join("content/1/c.md").is_symlink());
        assert_eq!(
            std::fs::read(dir.path().join("secret.txt")).unwrap(),
            b"outside"
        );
        let left: Vec<_> = std::fs::read_dir(root.join("content/1"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().contains("tmp"))
            .collect();
        assert!(left.is_empty(), "no temporary file left: {left:?}");
    }

    #[test]
    fn writes_through_a_folder_link_out_of_the_site_are_refused() {
        let (dir, folder) = site();
        let root = folder.root().to_path_buf();
        let outside = dir.path().join("elsewhere");
        std::fs::create_dir(&outside).unwrap();
        symlink(&outside, root.join("content/uit")).unwrap();
        symlink("../../nowhere/yet", root.join("content/dangling")).unwrap();
        for path in [
            "content/uit/a.md",
            "content/uit/sub/a.md",
            "content/dangling/a.md",
        ] {
            assert!(
                matches!(
                    folder.write(&root.join(path), b"x"),
                    Err(ReadError::Outside)
                ),
                "{path}"
            );
        }
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn a_site_folder_that_does_not_exist_yet_can_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("nieuw");
        let folder = SiteFolder::new(&root);
        folder.write(&root.join("content/1/a.md"), b"a").unwrap();
        assert_eq!(std::fs::read(root.join("content/1/a.md")).unwrap(), b"a");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_refuses_a_relative_way_out_in_one_step() {
        let (_dir, folder) = site();
        let root = folder.root().to_path_buf();
        symlink("../../../secret.txt", root.join("content/1/rel.txt")).unwrap();
        let dir = folder.dir.as_ref().unwrap();
        let Some(plain) = open_beneath(dir, Path::new("content/1/a.txt")) else {
            return; // a kernel without openat2: the slow path (tested above) does the work
        };
        assert!(plain.is_ok());
        assert!(open_beneath(dir, Path::new("content/1/rel.txt")).is_none());
        assert!(open_beneath(dir, Path::new("../site/content/1/a.txt")).is_none());
    }
}
