//! Reading files from a tree that may be hostile (a stranger's pull request).
//!
//! - Only regular files are opened from a walk or beside another file: not a
//!   FIFO (it would block), a device (endless or harmful) or a socket. The
//!   file is opened without blocking and checked again on the open handle,
//!   so a file swapped for a FIFO after the check cannot hang the run.
//! - Symbolic links are followed only when their target stays inside the
//!   root they were found under (a link named `Dockerfile` that points at
//!   `/proc/self/environ`, `~/.ssh` or `.git/config` of another checkout is
//!   not read).
//! - Every read is capped before it starts: a file whose size is over the
//!   limit is not read, and a read never takes more than the limit plus one
//!   byte (a file that grows, a `/proc` file that says it is empty).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why a file was not read. Messages never quote the file's content, nor
/// the target of a link.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("file is {len} bytes, over the {max}-byte limit (max-file-size); not checked")]
    TooLarge { len: u64, max: u64 },
    #[error("file is over the {max}-byte limit (max-file-size); not checked")]
    Grew { max: u64 },
    #[error("{0}, not a regular file; not read")]
    NotRegular(&'static str),
    #[error(
        "symbolic link to a target outside the scanned directory; not read (name the target itself, or pass --follow-symlinks)"
    )]
    OutsideRoot,
    #[error("symbolic link into a `.git` directory (it may hold credentials); not read")]
    IntoGit,
    #[error("cannot read: symbolic link that cannot be resolved (dangling or a loop)")]
    Dangling,
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

/// What kind of non-regular file this is, for messages.
pub fn kind_name(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        return "a directory";
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

/// `path` made absolute against `cwd`, with `.` and `..` removed lexically
/// (without touching the file system).
pub fn lexical_absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Checks that `path`, if it is (or goes through) a symbolic link, resolves
/// inside `root` (itself canonical) and not into a `.git` directory below
/// it. A path with no link in it passes.
pub fn check_confined(path: &Path, root: &Path) -> Result<(), ReadError> {
    let real = match std::fs::canonicalize(path) {
        Ok(r) => r,
        Err(_) => return Err(ReadError::Dangling),
    };
    let Ok(inside) = real.strip_prefix(root) else {
        return Err(ReadError::OutsideRoot);
    };
    // The walk never enters `.git` (`.git/config` can hold the CI's token):
    // a link may not lead there either.
    if inside.components().any(|c| c.as_os_str() == ".git") {
        return Err(ReadError::IntoGit);
    }
    Ok(())
}

/// Opens `path` without blocking (a FIFO would otherwise wait for a
/// writer), then checks on the handle that it is a regular file.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let mut oo = std::fs::OpenOptions::new();
    oo.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        oo.custom_flags(libc::O_NONBLOCK);
    }
    let f = oo.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(meta.file_type())));
    }
    Ok((f, meta.len()))
}

/// Reads at most `max` bytes (the size announced by `len` is checked first).
fn read_capped(f: impl Read, len: u64, max: u64) -> Result<Vec<u8>, ReadError> {
    if len > max {
        return Err(ReadError::TooLarge { len, max });
    }
    // `len` is at most `max` here; a `/proc` file says 0 and is read anyway.
    let mut bytes = Vec::with_capacity(len.min(16 << 20) as usize);
    f.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::Grew { max });
    }
    Ok(bytes)
}

/// Reads a regular file, at most `max` bytes. The caller has checked the
/// path's links (see [`check_confined`]).
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (f, len) = open_regular(path)?;
    read_capped(f, len, max)
}

/// Reads a file named explicitly by the user that may be a pipe or a device
/// (`afcheck <(helm template .)`, `/dev/stdin`): blocking, at most `max`
/// bytes. Directories are refused.
pub fn read_explicit(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(ReadError::NotRegular("a directory"));
    }
    let len = if meta.is_file() { meta.len() } else { 0 };
    read_capped(f, len, max)
}

/// A file read beside another one (a `.dockerignore` next to a Dockerfile).
#[derive(Debug)]
pub enum Sidecar {
    /// There is no such file.
    Missing,
    Text(String),
    /// It exists but was not read (a link, not a regular file, too large,
    /// not UTF-8): what it says is unknown.
    Unreadable,
}

/// Reads a file that another file refers to, with the strictest rule: no
/// symbolic link at all (the scan root is not known here), a regular file,
/// at most `max` bytes, UTF-8.
pub fn read_sidecar(path: &Path, max: u64) -> Sidecar {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Sidecar::Missing;
    };
    if !meta.is_file() {
        return Sidecar::Unreadable;
    }
    match read_regular(path, max).map(String::from_utf8) {
        Ok(Ok(t)) => Sidecar::Text(t),
        _ => Sidecar::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical() {
        let cwd = Path::new("/a/b");
        assert_eq!(
            lexical_absolute(Path::new("../c/./d"), cwd),
            Path::new("/a/c/d")
        );
        assert_eq!(lexical_absolute(Path::new("/x/../y"), cwd), Path::new("/y"));
        assert_eq!(lexical_absolute(Path::new("."), cwd), Path::new("/a/b"));
    }

    #[cfg(unix)]
    #[test]
    fn fifo_and_links() {
        let d = std::env::temp_dir().join(format!("afcheck-safe-read-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("root")).unwrap();
        std::fs::write(d.join("outside"), "secret").unwrap();
        std::fs::write(d.join("root/in"), "ok").unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("root/out-link")).unwrap();
        std::os::unix::fs::symlink("in", d.join("root/in-link")).unwrap();
        let root = std::fs::canonicalize(d.join("root")).unwrap();
        assert!(check_confined(&d.join("root/in-link"), &root).is_ok());
        assert!(matches!(
            check_confined(&d.join("root/out-link"), &root),
            Err(ReadError::OutsideRoot)
        ));
        assert_eq!(read_regular(&d.join("root/in"), 10).unwrap(), b"ok");
        assert!(matches!(
            read_regular(&d.join("root/in"), 1),
            Err(ReadError::TooLarge { len: 2, max: 1 })
        ));
        // A FIFO with no writer: refused at once, never waited on.
        let fifo = d.join("root/fifo");
        let st = std::process::Command::new("mkfifo").arg(&fifo).status();
        if st.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_regular(&fifo, 10),
                Err(ReadError::NotRegular(_))
            ));
            assert!(matches!(read_sidecar(&fifo, 10), Sidecar::Unreadable));
        }
        assert!(matches!(
            read_sidecar(&d.join("root/out-link"), 10),
            Sidecar::Unreadable
        ));
        assert!(matches!(
            read_sidecar(&d.join("root/none"), 10),
            Sidecar::Missing
        ));
        // /dev/zero named explicitly: bounded.
        assert!(matches!(
            read_explicit(Path::new("/dev/zero"), 1000),
            Err(ReadError::Grew { max: 1000 })
        ));
        let _ = std::fs::remove_dir_all(&d);
    }
}
