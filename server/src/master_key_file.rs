//! Where the master key comes from: `--master-key-file` (`PORTCULLIS_MASTER_KEY_FILE`), or
//! `master.key` beside the SQLite database, generated at first start with mode 0600.
//!
//! PostgreSQL has no place beside the database, and every instance on one database needs the same
//! key, so there the file must be named; generating one per instance would make each unable to
//! open the others' secrets.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use iam::{MasterKey, MasterKeyError};

/// The key file's name beside a SQLite database.
pub const DEFAULT_FILE_NAME: &str = "master.key";

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyFileError {
    #[error(
        "a PostgreSQL database needs `--master-key-file` (or `PORTCULLIS_MASTER_KEY_FILE`) naming a file of 64 hex digits that every instance shares; create one with `openssl rand -hex 32 > master.key && chmod 600 master.key`"
    )]
    Required,
    #[error(
        "the master key file `{path}` cannot be read: {source}; check `--master-key-file` or `PORTCULLIS_MASTER_KEY_FILE`"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the master key file `{path}` is not a key: {source}")]
    Malformed {
        path: PathBuf,
        source: MasterKeyError,
    },
    #[error("the master key file `{path}` cannot be created: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Iam(#[from] iam::IamError),
}

/// Where the key is: the named file, or the default beside a SQLite database.
pub fn key_path(
    named: Option<&Path>,
    database_url: &str,
) -> Result<(PathBuf, bool), MasterKeyFileError> {
    if let Some(path) = named {
        return Ok((path.to_owned(), false));
    }
    let database = iam::Store::sqlite_file(database_url).ok_or(MasterKeyFileError::Required)?;
    let dir = database
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir.join(DEFAULT_FILE_NAME), true))
}

/// Reads the key at `path`; when `may_create` and the file does not exist, generates one there
/// (mode 0600, never overwriting a file that appeared meanwhile).
pub fn load(path: &Path, may_create: bool) -> Result<MasterKey, MasterKeyFileError> {
    match std::fs::read_to_string(path) {
        Ok(text) => MasterKey::from_hex(&text).map_err(|source| MasterKeyFileError::Malformed {
            path: path.to_owned(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => create(path),
        Err(source) => Err(MasterKeyFileError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

fn create(path: &Path) -> Result<MasterKey, MasterKeyFileError> {
    let (key, text) = MasterKey::generate_hex()?;
    let fail = |source| MasterKeyFileError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    tracing::info!(path = %path.display(), "generated the master key; back it up with the database");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sits_beside_the_sqlite_file_and_postgres_needs_a_name() {
        let (path, may_create) = key_path(None, "sqlite:./data/portcullis.db").unwrap();
        assert_eq!(path, PathBuf::from("./data/master.key"));
        assert!(may_create);
        let (path, _) = key_path(None, "sqlite:portcullis.db").unwrap();
        assert_eq!(path, PathBuf::from("./master.key"));
        assert!(matches!(
            key_path(None, "postgres://localhost/iam"),
            Err(MasterKeyFileError::Required)
        ));
        let named = PathBuf::from("/run/secrets/key");
        assert_eq!(
            key_path(Some(&named), "postgres://localhost/iam").unwrap(),
            (named, false)
        );
    }

    #[test]
    fn a_generated_key_is_private_and_read_back_and_a_named_file_is_never_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/master.key");
        load(&path, true).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.trim().len(), 64);
        load(&path, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "kept, not regenerated"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let missing = dir.path().join("named.key");
        let err = load(&missing, false).unwrap_err().to_string();
        assert!(err.contains("cannot be read"), "{err}");
        assert!(!missing.exists());
        std::fs::write(&missing, "not a key\n").unwrap();
        let err = load(&missing, false).unwrap_err().to_string();
        assert!(err.contains("64 hexadecimal digits"), "{err}");
    }
}
