//! Digests for the manifest: SHA-256 of outputs (what was released), and keyed
//! HMAC-SHA256 of the source and of withheld content. A plain hash of a short withheld span
//! (or of a source that differs from a guess only there) can be confirmed by guessing, so
//! they are only ever digested with a key the user provides, and a key too short to
//! resist the same guessing is refused.

use sha2::{Digest, Sha256};
use std::fmt;

/// The shortest digest key accepted: the size of the HMAC-SHA256 output. An empty key
/// makes HMAC a public function, and a short one can be found by trying keys.
pub const MIN_KEY_BYTES: usize = 32;
/// The longest: a key is a secret of a few dozen bytes, not a document.
pub const MAX_KEY_BYTES: usize = 4096;

/// Why a digest key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    TooShort { bytes: usize },
    TooLong,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::TooShort { bytes: 0 } => write!(
                f,
                "the digest key is empty; give a file of at least {MIN_KEY_BYTES} random bytes"
            ),
            KeyError::TooShort { bytes } => write!(
                f,
                "the digest key is {bytes} bytes; give at least {MIN_KEY_BYTES} random bytes"
            ),
            KeyError::TooLong => write!(
                f,
                "the digest key is larger than the limit of {MAX_KEY_BYTES} bytes; a key is a short secret"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Checks that `key` is fit to key the manifest's digests.
pub fn check_key(key: &[u8]) -> Result<(), KeyError> {
    if key.len() < MIN_KEY_BYTES {
        Err(KeyError::TooShort { bytes: key.len() })
    } else if key.len() > MAX_KEY_BYTES {
        Err(KeyError::TooLong)
    } else {
        Ok(())
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// HMAC-SHA256 (RFC 2104) as lower-case hex.
pub fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    hex(&outer.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_empty_and_huge_keys_are_refused() {
        assert_eq!(check_key(b""), Err(KeyError::TooShort { bytes: 0 }));
        assert_eq!(check_key(&[7; 31]), Err(KeyError::TooShort { bytes: 31 }));
        assert_eq!(check_key(&[7; 32]), Ok(()));
        assert_eq!(check_key(&[7; MAX_KEY_BYTES + 1]), Err(KeyError::TooLong));
        assert!(
            KeyError::TooShort { bytes: 0 }
                .to_string()
                .contains("empty")
        );
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_rfc4231_case_2() {
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hmac_long_key_rfc4231_case_6() {
        let key = [0xaau8; 131];
        assert_eq!(
            hmac_sha256_hex(
                &key,
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
