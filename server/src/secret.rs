//! The server's secret key (for signing and encrypting later: JWTs, TOTP seeds).
//! Given by the operator, or generated once and kept in the data directory, readable by the
//! owner only.

use rand::RngCore;
use std::path::Path;

pub const FILE_NAME: &str = "secret.key";

#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// Uses `given` when set; otherwise reads `data_dir/secret.key`, creating it on first run.
pub fn load_or_create(given: Option<[u8; 32]>, data_dir: &Path) -> std::io::Result<SecretKey> {
    if let Some(key) = given {
        return Ok(SecretKey(key));
    }
    let path = data_dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).ok().filter(|b| b.len() == 32).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "{} is not a 64-character hex key; delete it to generate a new one",
                        path.display()
                    ),
                )
            })?;
            let mut key = [0u8; 32];
            key.copy_from_slice(&bytes);
            Ok(SecretKey(key))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::private_files::create_dir(data_dir)?;
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            if crate::private_files::write_new(&path, hex::encode(key).as_bytes())? {
                Ok(SecretKey(key))
            } else {
                // Another instance starting at the same moment wrote its key first: use it.
                load_or_create(None, data_dir)
            }
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_owner_only_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(None, dir.path()).unwrap();
        let second = load_or_create(None, dir.path()).unwrap();
        assert_eq!(first.bytes(), second.bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_corrupt_key_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "nope").unwrap();
        assert!(load_or_create(None, dir.path()).is_err());
    }

    #[test]
    fn debug_never_prints_the_key() {
        let key = SecretKey([7; 32]);
        assert_eq!(format!("{key:?}"), "SecretKey(..)");
    }
}
