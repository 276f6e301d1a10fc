//! Cryptography for residents' personal data: SM4-GCM field encryption, HMAC-SM3 blind
//! indexes and row MACs, SM3 hashing, random tokens and TOTP second factors.
//!
//! Everything that touches personal data goes through [`CryptoProvider`], so that the
//! in-memory [`SoftwareCrypto`] can later be swapped for a certified hardware crypto device
//! (密码机) without touching callers. Only GB/T-approved algorithms (SM3, SM4) protect personal
//! data; SHA-1 appears only inside TOTP, where RFC 6238 and authenticator apps require it.
//!
//! ```
//! use xingcun_crypto::{CryptoProvider, SoftwareCrypto};
//!
//! let crypto = SoftwareCrypto::from_hex(&SoftwareCrypto::generate_key_hex())?;
//! let sealed = crypto.encrypt(b"11010519491231002X", b"person.id_number");
//! assert_eq!(crypto.decrypt(&sealed, b"person.id_number")?, b"11010519491231002X");
//! // Lookups compare blind indexes, never plaintext.
//! let index = crypto.blind_index("id_number", "11010519491231002X");
//! assert_eq!(index, crypto.blind_index("id_number", "11010519491231002X"));
//! # Ok::<(), xingcun_crypto::CryptoError>(())
//! ```

mod encoding;
mod error;
mod hash;
mod provider;
mod random;
pub mod totp;

pub use encoding::{hex_decode, hex_encode};
pub use error::CryptoError;
pub use hash::{constant_time_eq, sm3, sm3_hex};
pub use provider::{CryptoProvider, SoftwareCrypto};
pub use random::random_token;
