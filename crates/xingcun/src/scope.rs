//! The scope rule: every user works on one subtree of the org tree, and every read and write of
//! domain data goes through a [`Scope`], so the rule holds in the data layer, not in the menus.
//!
//! Division codes are hierarchical: every unit under a unit starts with that unit's scope prefix
//! (6 digits under a district, 9 under a township, 12 under a village). A record is in scope when
//! its org code lies in the half-open range `[prefix, prefix + ":")` — `':'` is the character
//! after `'9'` — which every backend answers from an index.

/// The part of the org tree a request may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    prefix: String,
}

impl Scope {
    /// The subtree whose codes start with `prefix` (see `OrgCode::scope_prefix`).
    pub fn with_prefix(prefix: impl Into<String>) -> Scope {
        Scope {
            prefix: prefix.into(),
        }
    }

    /// The whole database: for the command line run by the operator on the server itself.
    pub fn everything() -> Scope {
        Scope {
            prefix: String::new(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Is a record with this org code inside the scope?
    pub fn contains(&self, code: &str) -> bool {
        code.starts_with(&self.prefix)
    }

    /// Lower (inclusive) and upper (exclusive) bounds for `code >= $lo AND code < $hi`.
    pub fn bounds(&self) -> (String, String) {
        (self.prefix.clone(), format!("{}:", self.prefix))
    }

    /// The narrower of two scopes, or `None` when they do not overlap.
    pub fn narrow(&self, other: &Scope) -> Option<Scope> {
        if other.prefix.starts_with(&self.prefix) {
            Some(other.clone())
        } else if self.prefix.starts_with(&other.prefix) {
            Some(self.clone())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_township_scope_holds_its_villages_and_grids_only() {
        let s = Scope::with_prefix("990101001");
        assert!(s.contains("990101001000"));
        assert!(s.contains("990101001003"));
        assert!(s.contains("990101001003002"));
        assert!(!s.contains("990101002003"));
        assert!(!s.contains("990101000000"));
        let (lo, hi) = s.bounds();
        assert!("990101001003" >= lo.as_str() && "990101001003" < hi.as_str());
        assert!("990101001999999" < hi.as_str());
        assert!("990101002000" >= hi.as_str());
    }

    #[test]
    fn narrowing_keeps_the_inner_scope_and_refuses_disjoint_ones() {
        let district = Scope::with_prefix("990101");
        let village = Scope::with_prefix("990101001003");
        assert_eq!(district.narrow(&village), Some(village.clone()));
        assert_eq!(village.narrow(&district), Some(village.clone()));
        assert_eq!(village.narrow(&Scope::with_prefix("990101002")), None);
        assert!(Scope::everything().contains("123"));
    }
}
