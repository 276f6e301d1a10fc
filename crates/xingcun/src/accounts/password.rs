//! Password hashing (argon2id) and the password rules of 等保 level 3.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Common passwords refused whatever their make-up (checked case-insensitively).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword1",
    "admin123",
    "admin@123",
    "admin123!",
    "qwerty123",
    "qwer1234",
    "1qaz2wsx",
    "1qaz@wsx",
    "abc123456",
    "abcd1234",
    "aa123456",
    "a1234567",
    "a12345678",
    "12345678",
    "123456789",
    "iloveyou1",
    "woaini1314",
    "huawei@123",
    "test@123",
    "root@123",
    "xingcun123",
    "xingcun@123",
    "changeme1",
    "welcome1",
    "letmein1",
];

/// Hashes a password with argon2id and a random salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::from_b64(&xingcun_crypto::random_token(16).replace(['-', '_'], "A"))
        .expect("random token is valid base64 salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters succeeds")
        .to_string()
}

/// Checks a password against a stored hash; a malformed hash never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The rules: at least 8 characters, from at least 3 of the 4 classes (upper case, lower case,
/// digits, other), not a common password, not the user name.
pub fn check_rules(password: &str, username: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("密码至少 8 位".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少三类".into());
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err("该密码过于常见，请换一个".into());
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("密码不能包含用户名".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("Xc-2026-good");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Xc-2026-good", &h));
        assert!(!verify("Xc-2026-bad", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[rstest]
    #[case("Abcdef1!", true)]
    #[case("abcdefg1!", true)]
    #[case("Short1!", false)]
    #[case("abcdefgh", false)]
    #[case("abcdefg1", false)]
    #[case("P@ssw0rd", false)]
    #[case("Admin@123", false)]
    #[case("zhangsan@2026X", false)]
    fn password_rules(#[case] pw: &str, #[case] ok: bool) {
        assert_eq!(check_rules(pw, "zhangsan").is_ok(), ok, "{pw}");
    }
}
