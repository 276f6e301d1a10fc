//! Personal identifiers at rest: how ID numbers and phone numbers are sealed, found and shown.
//!
//! - stored: SM4-GCM ciphertext (hex) with the column name as associated data;
//! - found: HMAC-SM3 blind index (hex) of the normalised value, label `id_number` / `phone`;
//! - shown: a stored mask (`3701**********123X`, `138****5678`), so lists never decrypt.
//!
//! Only a role with `SeePersonalData` gets [`open`]ed values, on a detail page.

use xingcun_crypto::CryptoProvider;
use xingcun_domain::{IdNumber, Phone};

/// Associated data binding a ciphertext to its column.
pub const AAD_PERSON_ID: &[u8] = b"person.id_number";
pub const AAD_PERSON_PHONE: &[u8] = b"person.phone";
pub const AAD_HOUSEHOLD_PHONE: &[u8] = b"household.phone";

/// A sealed identifier: ciphertext, blind index and mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub enc: String,
    pub bidx: String,
    pub masked: String,
}

/// The blind index of an ID number (already parsed, so normalised: upper-case X).
pub fn id_bidx(crypto: &dyn CryptoProvider, id: &str) -> String {
    xingcun_crypto::hex_encode(&crypto.blind_index("id_number", id))
}

/// The blind index of a phone number in its normalised form.
pub fn phone_bidx(crypto: &dyn CryptoProvider, phone: &str) -> String {
    xingcun_crypto::hex_encode(&crypto.blind_index("phone", phone))
}

pub fn seal_id(crypto: &dyn CryptoProvider, id: &IdNumber) -> Sealed {
    Sealed {
        enc: xingcun_crypto::hex_encode(&crypto.encrypt(id.as_str().as_bytes(), AAD_PERSON_ID)),
        bidx: id_bidx(crypto, id.as_str()),
        masked: id.masked(),
    }
}

pub fn seal_phone(crypto: &dyn CryptoProvider, phone: &Phone, aad: &[u8]) -> Sealed {
    Sealed {
        enc: xingcun_crypto::hex_encode(&crypto.encrypt(phone.normalized().as_bytes(), aad)),
        bidx: phone_bidx(crypto, phone.normalized()),
        masked: phone.masked(),
    }
}

/// Decrypts a stored value; `None` when it does not open (wrong key or tampered).
pub fn open(crypto: &dyn CryptoProvider, enc_hex: &str, aad: &[u8]) -> Option<String> {
    let sealed = xingcun_crypto::hex_decode(enc_hex).ok()?;
    String::from_utf8(crypto.decrypt(&sealed, aad).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xingcun_crypto::SoftwareCrypto;

    #[test]
    fn a_sealed_id_opens_only_in_its_own_column_and_is_found_by_its_index() {
        let c = SoftwareCrypto::from_master_key(&[1; 32]);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let id = IdNumber::parse("11010519491231002X", today).unwrap();
        let s = seal_id(&c, &id);
        assert!(!s.enc.contains("11010519491231002X"));
        assert_eq!(
            open(&c, &s.enc, AAD_PERSON_ID).as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(open(&c, &s.enc, AAD_PERSON_PHONE), None);
        assert_eq!(s.bidx, id_bidx(&c, "11010519491231002X"));
        assert_eq!(s.masked, "1101**********002X");
    }
}
