//! The [`CryptoProvider`] interface behind which all personal-data cryptography sits, and
//! [`SoftwareCrypto`], its implementation with keys held in process memory.
//!
//! Formats, fixed here so that a hardware crypto device (密码机) can reproduce them:
//! - sealed value: `0x01 || nonce (12 bytes) || SM4-GCM ciphertext || tag (16 bytes)`, with the
//!   caller's column name as GCM associated data;
//! - blind index: `HMAC-SM3(K_index, u32be(len(label)) || label || normalized)`;
//! - row MAC: `HMAC-SM3(K_mac, u32be(len(label)) || label || data)`;
//! - keys: `K_enc = HMAC-SM3(master, "xingcun enc v1")[..16]`, and `K_index`, `K_mac` likewise
//!   from `"xingcun blind-index v1"` and `"xingcun mac v1"` (all 32 bytes).

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use hmac::{Hmac, Mac};
use sm3::Sm3;
use sm4::Sm4;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::CryptoError;
use crate::encoding::{hex_decode, hex_encode};
use crate::random::fill_random;

/// The one small interface behind which all personal-data cryptography sits, so a hardware
/// crypto device (密码机) can replace it.
pub trait CryptoProvider: Send + Sync + 'static {
    /// SM4-GCM with a fresh random 96-bit nonce; output = version byte || nonce || ciphertext
    /// || tag. `aad` binds the ciphertext to its column (e.g. `b"person.id_number"`), so a value
    /// copied into another column no longer decrypts.
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8>;

    /// Opens a value sealed by [`CryptoProvider::encrypt`] with the same `aad`.
    fn decrypt(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError>;

    /// HMAC-SM3 keyed blind index of an already normalised value, with a domain label (e.g.
    /// `"id_number"`, `"phone"`) mixed in so equal values in different fields don't collide.
    fn blind_index(&self, label: &str, normalized: &str) -> [u8; 32];

    /// HMAC-SM3 integrity tag for a row (used for users' role and scope rows). Compare tags with
    /// [`crate::constant_time_eq`].
    fn mac(&self, label: &str, data: &[u8]) -> [u8; 32];

    /// The same keys in a provider that can move to another task (an import writes on its own
    /// task while it checks the rows that follow).
    fn shared(&self) -> std::sync::Arc<dyn CryptoProvider>;
}

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const MASTER_KEY_LEN: usize = 32;

type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

/// [`CryptoProvider`] with keys derived from one 32-byte master key and held in memory.
///
/// Every field wipes its key schedule when dropped, and `Debug` prints no key material.
pub struct SoftwareCrypto {
    sealer: Sm4Gcm,
    /// Keyed once; cloned per call, which reuses the precomputed HMAC pads.
    index_mac: HmacSm3,
    row_mac: HmacSm3,
}

// Every field wipes itself on drop: `Sm4Gcm` carries the marker; `Hmac<Sm3>` does not (hmac
// 0.13 omits it) but holds only two `Sm3Core` states and a block buffer, each of which does
// (checked in the tests, with the crates' `zeroize` features on).
impl ZeroizeOnDrop for SoftwareCrypto {}

impl SoftwareCrypto {
    /// Derives separate keys for encryption, blind indexes and row MACs from `master`, so that
    /// no output of one can be mistaken for, or help attack, another.
    pub fn from_master_key(master: &[u8; 32]) -> Self {
        let enc_key = Zeroizing::new(hmac_sm3(master, b"xingcun enc v1"));
        let index_key = Zeroizing::new(hmac_sm3(master, b"xingcun blind-index v1"));
        let mac_key = Zeroizing::new(hmac_sm3(master, b"xingcun mac v1"));
        Self {
            sealer: Sm4Gcm::new_from_slice(&enc_key[..16]).expect("SM4 key is 16 bytes"),
            index_mac: new_hmac_sm3(&index_key[..]),
            row_mac: new_hmac_sm3(&mac_key[..]),
        }
    }

    /// Builds the provider from a master key written as 64 hex characters.
    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let bytes = Zeroizing::new(hex_decode(s)?);
        let wrong_length = CryptoError::InvalidKeyLength {
            expected: MASTER_KEY_LEN,
            actual: bytes.len(),
        };
        let master =
            <&[u8; MASTER_KEY_LEN]>::try_from(bytes.as_slice()).map_err(|_| wrong_length)?;
        Ok(Self::from_master_key(master))
    }

    /// Reads the master key (64 hex characters, surrounding whitespace ignored) from `path`.
    /// If the file does not exist, creates it — and its parent folders — with a fresh random
    /// key, readable and writable by the owner only (mode 0600 on Unix).
    pub fn load_or_create_key_file(path: &Path) -> Result<Self, CryptoError> {
        let key_file_error = |source| CryptoError::KeyFile {
            path: path.to_owned(),
            source,
        };
        match fs::read_to_string(path) {
            Ok(text) => return Self::from_hex(Zeroizing::new(text).trim()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(key_file_error(e)),
        }
        let key_hex = Zeroizing::new(Self::generate_key_hex());
        match write_new_key_file(path, &key_hex) {
            Ok(()) => Self::from_hex(&key_hex),
            // Another process created it between our read and our create: use theirs.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let text = Zeroizing::new(fs::read_to_string(path).map_err(key_file_error)?);
                Self::from_hex(text.trim())
            }
            Err(e) => Err(key_file_error(e)),
        }
    }

    /// A new random master key as 64 lowercase hex characters.
    ///
    /// # Panics
    /// If the OS random number generator is unavailable.
    pub fn generate_key_hex() -> String {
        let mut key = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        fill_random(&mut key[..]);
        hex_encode(&key[..])
    }
}

impl CryptoProvider for SoftwareCrypto {
    /// # Panics
    /// If the OS random number generator is unavailable, or the plaintext exceeds GCM's limit
    /// of about 64 GiB.
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        // Random 96-bit nonces stay collision-safe for about 2^32 encryptions under one key
        // (NIST SP 800-38D), far beyond a district's records.
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce);
        let ciphertext = self
            .sealer
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .expect("plaintext within the SM4-GCM length limit");
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(FORMAT_V1);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    fn decrypt(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (&version, rest) = sealed.split_first().ok_or(CryptoError::Malformed)?;
        if version != FORMAT_V1 {
            return Err(CryptoError::UnsupportedVersion(version));
        }
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce length");
        self.sealer
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| CryptoError::Decryption)
    }

    fn blind_index(&self, label: &str, normalized: &str) -> [u8; 32] {
        labelled_mac(&self.index_mac, label, normalized.as_bytes())
    }

    fn mac(&self, label: &str, data: &[u8]) -> [u8; 32] {
        labelled_mac(&self.row_mac, label, data)
    }

    fn shared(&self) -> std::sync::Arc<dyn CryptoProvider> {
        std::sync::Arc::new(Self {
            sealer: self.sealer.clone(),
            index_mac: self.index_mac.clone(),
            row_mac: self.row_mac.clone(),
        })
    }
}

impl fmt::Debug for SoftwareCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoftwareCrypto").finish_non_exhaustive()
    }
}

fn new_hmac_sm3(key: &[u8]) -> HmacSm3 {
    <HmacSm3 as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn hmac_sm3(key: &[u8], data: &[u8]) -> [u8; 32] {
    new_hmac_sm3(key)
        .chain_update(data)
        .finalize()
        .into_bytes()
        .into()
}

/// MACs `label` and `data` under a pre-keyed HMAC. The label's length goes first so that no
/// (label, data) pair can be re-split into another: ("ab", "c") and ("a", "bc") differ.
fn labelled_mac(keyed: &HmacSm3, label: &str, data: &[u8]) -> [u8; 32] {
    let label_len = u32::try_from(label.len()).expect("label shorter than 4 GiB");
    keyed
        .clone()
        .chain_update(label_len.to_be_bytes())
        .chain_update(label.as_bytes())
        .chain_update(data)
        .finalize()
        .into_bytes()
        .into()
}

/// Creates `path` (failing if it exists) holding `key_hex`, owner-only from the first byte on.
fn write_new_key_file(path: &Path, key_hex: &str) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(key_hex.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rstest::{fixture, rstest};
    use sm4::cipher::{Array, BlockCipherEncrypt};

    use super::*;

    const KEY_A: [u8; 32] = [0x11; 32];
    const KEY_B: [u8; 32] = [0x22; 32];

    #[fixture]
    fn crypto() -> SoftwareCrypto {
        SoftwareCrypto::from_master_key(&KEY_A)
    }

    fn sm4_with_gb_t_32907_key() -> (Sm4, Array<u8, sm4::cipher::consts::U16>) {
        let bytes: [u8; 16] = hex_decode("0123456789abcdeffedcba9876543210")
            .unwrap()
            .try_into()
            .unwrap();
        (Sm4::new(&Array::from(bytes)), Array::from(bytes))
    }

    #[rstest]
    fn a_shared_provider_holds_the_same_keys(crypto: SoftwareCrypto) {
        let shared = crypto.shared();
        let sealed = shared.encrypt(b"11010519491231002X", b"person.id_number");
        assert_eq!(
            crypto.decrypt(&sealed, b"person.id_number").unwrap(),
            b"11010519491231002X"
        );
        assert_eq!(
            shared.blind_index("id_number", "11010519491231002X"),
            crypto.blind_index("id_number", "11010519491231002X")
        );
        assert_eq!(shared.mac("user", b"row"), crypto.mac("user", b"row"));
        let other = SoftwareCrypto::from_master_key(&KEY_B);
        assert!(other.decrypt(&sealed, b"person.id_number").is_err());
    }

    #[test]
    fn sm4_matches_gb_t_32907_known_answer() {
        let (cipher, mut block) = sm4_with_gb_t_32907_key();
        cipher.encrypt_block(&mut block);
        assert_eq!(hex_encode(&block), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn sm4_matches_gb_t_32907_million_round_known_answer() {
        let (cipher, mut block) = sm4_with_gb_t_32907_key();
        for _ in 0..1_000_000 {
            cipher.encrypt_block(&mut block);
        }
        assert_eq!(hex_encode(&block), "595298c7c6fd271f0402f804c33d3f66");
    }

    #[rstest]
    #[case::empty(b"".as_slice())]
    #[case::id_number(b"11010519491231002X".as_slice())]
    #[case::chinese_text("北京市朝阳区某某村".as_bytes())]
    #[case::several_blocks(&[0xa5; 1000])]
    fn sealed_value_decrypts_to_the_original_plaintext(
        crypto: SoftwareCrypto,
        #[case] plaintext: &[u8],
    ) {
        let sealed = crypto.encrypt(plaintext, b"person.id_number");
        assert_eq!(
            crypto.decrypt(&sealed, b"person.id_number").unwrap(),
            plaintext
        );
    }

    #[rstest]
    fn sealed_value_is_version_nonce_ciphertext_and_tag(crypto: SoftwareCrypto) {
        let sealed = crypto.encrypt(b"13800138000", b"person.phone");
        assert_eq!(sealed[0], FORMAT_V1);
        assert_eq!(sealed.len(), 1 + NONCE_LEN + 11 + TAG_LEN);
    }

    #[rstest]
    fn sealed_value_does_not_contain_the_plaintext(crypto: SoftwareCrypto) {
        let plaintext = b"11010519491231002X";
        let sealed = crypto.encrypt(plaintext, b"person.id_number");
        assert!(!sealed.windows(plaintext.len()).any(|w| w == plaintext));
    }

    #[rstest]
    fn tampering_with_any_byte_of_the_sealed_value_fails_to_decrypt(crypto: SoftwareCrypto) {
        let sealed = crypto.encrypt(b"11010519491231002X", b"person.id_number");
        for i in 0..sealed.len() {
            let mut tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assert!(
                crypto.decrypt(&tampered, b"person.id_number").is_err(),
                "flipping a bit of byte {i} went unnoticed"
            );
        }
    }

    #[rstest]
    fn decrypting_with_another_column_aad_fails(crypto: SoftwareCrypto) {
        let sealed = crypto.encrypt(b"13800138000", b"person.phone");
        assert!(matches!(
            crypto.decrypt(&sealed, b"person.id_number"),
            Err(CryptoError::Decryption)
        ));
    }

    #[rstest]
    fn decrypting_under_another_key_fails(crypto: SoftwareCrypto) {
        let sealed = crypto.encrypt(b"13800138000", b"person.phone");
        let other = SoftwareCrypto::from_master_key(&KEY_B);
        assert!(matches!(
            other.decrypt(&sealed, b"person.phone"),
            Err(CryptoError::Decryption)
        ));
    }

    #[rstest]
    #[case::empty(0)]
    #[case::version_only(1)]
    #[case::one_byte_short_of_nonce_and_tag(NONCE_LEN + TAG_LEN)]
    fn truncated_sealed_value_is_malformed(crypto: SoftwareCrypto, #[case] len: usize) {
        let sealed = crypto.encrypt(b"", b"aad");
        assert!(matches!(
            crypto.decrypt(&sealed[..len], b"aad"),
            Err(CryptoError::Malformed)
        ));
    }

    #[rstest]
    fn sealed_value_with_unknown_version_is_rejected(crypto: SoftwareCrypto) {
        let mut sealed = crypto.encrypt(b"x", b"aad");
        sealed[0] = 2;
        assert!(matches!(
            crypto.decrypt(&sealed, b"aad"),
            Err(CryptoError::UnsupportedVersion(2))
        ));
    }

    #[rstest]
    fn encrypting_the_same_plaintext_twice_gives_different_sealed_values(crypto: SoftwareCrypto) {
        let first = crypto.encrypt(b"13800138000", b"person.phone");
        let second = crypto.encrypt(b"13800138000", b"person.phone");
        assert_ne!(first, second);
    }

    #[rstest]
    fn blind_index_is_deterministic_for_the_same_key_and_label(crypto: SoftwareCrypto) {
        let again = SoftwareCrypto::from_master_key(&KEY_A);
        assert_eq!(
            crypto.blind_index("phone", "13800138000"),
            again.blind_index("phone", "13800138000")
        );
    }

    #[rstest]
    fn blind_index_differs_across_labels(crypto: SoftwareCrypto) {
        assert_ne!(
            crypto.blind_index("phone", "13800138000"),
            crypto.blind_index("id_number", "13800138000")
        );
    }

    #[rstest]
    fn blind_index_differs_across_keys(crypto: SoftwareCrypto) {
        let other = SoftwareCrypto::from_master_key(&KEY_B);
        assert_ne!(
            crypto.blind_index("phone", "13800138000"),
            other.blind_index("phone", "13800138000")
        );
    }

    #[rstest]
    fn blind_index_differs_across_values(crypto: SoftwareCrypto) {
        assert_ne!(
            crypto.blind_index("phone", "13800138000"),
            crypto.blind_index("phone", "13800138001")
        );
    }

    #[rstest]
    fn blind_index_cannot_be_forged_by_moving_the_label_boundary(crypto: SoftwareCrypto) {
        assert_ne!(crypto.blind_index("ab", "c"), crypto.blind_index("a", "bc"));
    }

    #[rstest]
    fn row_mac_is_deterministic_and_changes_with_the_data(crypto: SoftwareCrypto) {
        let tag = crypto.mac("user_role", b"user=7;role=admin");
        assert_eq!(tag, crypto.mac("user_role", b"user=7;role=admin"));
        assert_ne!(tag, crypto.mac("user_role", b"user=7;role=viewer"));
        assert_ne!(tag, crypto.mac("user_scope", b"user=7;role=admin"));
    }

    #[rstest]
    fn row_mac_and_blind_index_use_separate_keys(crypto: SoftwareCrypto) {
        assert_ne!(
            crypto.mac("phone", b"13800138000"),
            crypto.blind_index("phone", "13800138000")
        );
    }

    #[test]
    fn from_hex_gives_the_same_keys_as_the_raw_master_key() {
        let from_hex = SoftwareCrypto::from_hex(&hex_encode(&KEY_A)).unwrap();
        let from_raw = SoftwareCrypto::from_master_key(&KEY_A);
        assert_eq!(
            from_hex.blind_index("phone", "13800138000"),
            from_raw.blind_index("phone", "13800138000")
        );
        let sealed = from_raw.encrypt(b"x", b"aad");
        assert_eq!(from_hex.decrypt(&sealed, b"aad").unwrap(), b"x");
    }

    #[rstest]
    #[case::too_short("00".repeat(31), 31)]
    #[case::too_long("00".repeat(33), 33)]
    fn from_hex_rejects_keys_that_are_not_32_bytes(#[case] text: String, #[case] actual: usize) {
        assert!(matches!(
            SoftwareCrypto::from_hex(&text),
            Err(CryptoError::InvalidKeyLength { expected: 32, actual: a }) if a == actual
        ));
    }

    #[test]
    fn from_hex_error_does_not_echo_the_key_text() {
        let secret = format!("{}zz", "ab".repeat(31));
        let message = SoftwareCrypto::from_hex(&secret).unwrap_err().to_string();
        assert!(!message.contains("abab"), "{message}");
    }

    #[test]
    fn generated_keys_are_64_hex_characters_and_differ() {
        let first = SoftwareCrypto::generate_key_hex();
        assert_eq!(first.len(), 64);
        assert!(SoftwareCrypto::from_hex(&first).is_ok());
        assert_ne!(first, SoftwareCrypto::generate_key_hex());
    }

    #[test]
    fn key_file_created_then_reloaded_gives_the_same_blind_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("master.key");
        let created = SoftwareCrypto::load_or_create_key_file(&path).unwrap();
        let reloaded = SoftwareCrypto::load_or_create_key_file(&path).unwrap();
        assert_eq!(
            created.blind_index("id_number", "11010519491231002X"),
            reloaded.blind_index("id_number", "11010519491231002X")
        );
        let sealed = created.encrypt(b"x", b"aad");
        assert_eq!(reloaded.decrypt(&sealed, b"aad").unwrap(), b"x");
    }

    #[test]
    fn key_file_with_surrounding_whitespace_loads_the_written_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, format!("  {}\r\n", hex_encode(&KEY_A))).unwrap();
        let loaded = SoftwareCrypto::load_or_create_key_file(&path).unwrap();
        assert_eq!(
            loaded.blind_index("phone", "13800138000"),
            SoftwareCrypto::from_master_key(&KEY_A).blind_index("phone", "13800138000")
        );
    }

    #[test]
    fn key_file_with_garbage_is_rejected_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, "not a key\n").unwrap();
        assert!(SoftwareCrypto::load_or_create_key_file(&path).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "not a key\n");
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_created_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        SoftwareCrypto::load_or_create_key_file(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn key_schedules_are_wiped_on_drop() {
        fn assert_zeroize_on_drop<T: ZeroizeOnDrop>() {}
        assert_zeroize_on_drop::<Sm4Gcm>();
        assert_zeroize_on_drop::<sm3::Sm3Core>();
        assert_zeroize_on_drop::<sm3::digest::block_api::Buffer<sm3::Sm3Core>>();
    }

    #[rstest]
    fn debug_output_shows_no_key_material(crypto: SoftwareCrypto) {
        assert_eq!(format!("{crypto:?}"), "SoftwareCrypto { .. }");
    }

    #[rstest]
    fn provider_works_as_a_shared_trait_object(crypto: SoftwareCrypto) {
        let provider: Arc<dyn CryptoProvider> = Arc::new(crypto);
        let sealed = provider.encrypt(b"x", b"aad");
        assert_eq!(provider.decrypt(&sealed, b"aad").unwrap(), b"x");
    }
}
