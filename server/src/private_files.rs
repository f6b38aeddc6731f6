//! Files only the server's own user may read: the data directory (0700), the SQLite database
//! (0600; SQLite gives its -wal and -shm files the same mode) and the generated key (0600).

use std::io::Write as _;
use std::path::Path;

/// Creates `dir` and its missing parents, the last one owner-only. An existing directory is
/// left as the operator made it.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates an empty owner-only file at `path` unless something is there already, so the
/// program that fills it later (SQLite) never creates it world-readable.
pub fn create_file_if_missing(path: &Path) -> std::io::Result<()> {
    match options().open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `contents` to `path` all at once or not at all: into a temporary owner-only file,
/// synced, then linked into place. Returns `false`, writing nothing, when `path` already exists
/// (another process got there first; read its file instead).
pub fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temporary); // a leftover of a crashed earlier run
    let written = (|| {
        let mut file = options().open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    // Unlike rename, a hard link never replaces a file someone else just put there.
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

fn options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn directories_and_files_are_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/data");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let db = dir.join("vestibule.db");
        create_file_if_missing(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        std::fs::write(&db, b"kept").unwrap();
        create_file_if_missing(&db).unwrap();
        assert_eq!(std::fs::read(&db).unwrap(), b"kept", "an existing file is left alone");
    }

    #[test]
    fn a_new_file_appears_whole_and_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        assert!(write_new(&path, b"first").unwrap());
        assert_eq!(mode(&path), 0o600);
        assert!(!write_new(&path, b"second").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
