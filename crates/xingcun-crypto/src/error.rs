//! The one error type of this crate.
//!
//! Messages are bilingual (Chinese for operators, English in brackets for logs) and never
//! contain key material, plaintext or the offending input: at most lengths and version numbers.

use std::io;
use std::path::PathBuf;

/// Why a cryptographic operation or key load failed.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The text is not hexadecimal (odd length or a character outside `0-9a-fA-F`).
    #[error("十六进制格式无效 (invalid hex)")]
    InvalidHex,

    /// The text is not RFC 4648 base32.
    #[error("Base32 格式无效 (invalid base32)")]
    InvalidBase32,

    /// A key had the wrong number of bytes.
    #[error(
        "密钥长度应为 {expected} 字节，实际为 {actual} 字节 (key must be {expected} bytes, got {actual})"
    )]
    InvalidKeyLength { expected: usize, actual: usize },

    /// The sealed value is too short to hold a version byte, nonce and tag.
    #[error("密文格式无效 (malformed sealed value)")]
    Malformed,

    /// The sealed value was produced by a format version this build does not know.
    #[error("不支持的密文版本 {0} (unsupported sealed value version {0})")]
    UnsupportedVersion(u8),

    /// Authentication failed: the sealed value was altered, belongs to another column
    /// (different associated data), or was sealed under another key.
    #[error(
        "解密失败：密文被篡改、字段不符或密钥不符 (decryption failed: tampered value, wrong field or wrong key)"
    )]
    Decryption,

    /// The key file could not be read or created.
    #[error("无法读取或创建密钥文件 {path} (cannot read or create key file)")]
    KeyFile {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}
