//! Files Tessera keeps secrets in (the database, the pepper) are readable by their owner only:
//! folders it creates get mode 0700, files 0600, whatever the umask says.

use std::path::Path;

use anyhow::Context as _;

/// Creates `dir` and any missing parents, the ones it creates with mode 0700.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating the folder {}", dir.display()))
}

/// Creates an empty file with mode 0600 unless it exists; `true` when it was created.
pub fn create_private_file(path: &Path) -> anyhow::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

/// Whether others than the owner may read or write `path`.
#[cfg(unix)]
pub fn open_to_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
pub fn open_to_others(_: &Path) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn folders_and_files_are_created_for_their_owner_only() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("a").join("data");
        create_private_dir(&dir).expect("dir");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        let file = dir.join("tessera.db");
        assert!(create_private_file(&file).expect("file"));
        assert!(!create_private_file(&file).expect("again"));
        assert_eq!(mode(&file), 0o600);
        assert!(!open_to_others(&file));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(open_to_others(&file));
    }
}
