//! Reading a search box the way a village clerk types into it: a name or part of one (张三),
//! its pinyin from the start (zhangsan, zhang) or its initials (zs), a household number, or a
//! whole ID number or phone number. ID and phone numbers are never searched as text — they are
//! stored encrypted — but through their blind index, so only an exact number finds anyone.

use chrono::NaiveDate;
use xingcun_crypto::CryptoProvider;
use xingcun_domain::{IdNumber, Phone};

use super::personal;

/// What a `q` parameter asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// No search: every record the other filters allow.
    All,
    /// A name, pinyin, initials or a household number.
    Text(TextSearch),
    /// A valid ID number, by its blind index.
    IdNumber { bidx: String },
    /// A valid phone number, by its blind index.
    Phone { bidx: String },
}

/// The SQL patterns of a text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSearch {
    /// `%q%` for the name (wildcards in `q` escaped).
    pub name_like: String,
    /// `q%` in lower case for the pinyin keys, when `q` is ASCII letters and digits.
    pub pinyin_prefix: Option<String>,
    /// `q` as typed, for exact identifiers such as the household number.
    pub exact: String,
}

impl Search {
    /// Reads `q`: an ID number (x read as X) or a phone number when it parses as one,
    /// otherwise text. `today` bounds the birth date of an ID number.
    pub fn parse(q: Option<&str>, crypto: &dyn CryptoProvider, today: NaiveDate) -> Search {
        let Some(q) = q
            .map(xingcun_domain::text::trim_all)
            .filter(|q| !q.is_empty())
        else {
            return Search::All;
        };
        if let Ok(id) = IdNumber::parse(q, today) {
            return Search::IdNumber {
                bidx: personal::id_bidx(crypto, id.as_str()),
            };
        }
        if let Ok(phone) = Phone::parse(q) {
            return Search::Phone {
                bidx: personal::phone_bidx(crypto, phone.normalized()),
            };
        }
        let name = xingcun_domain::text::normalize_name(q);
        let pinyin_prefix = (name.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| format!("{}%", like_escape(&name.to_ascii_lowercase())));
        Search::Text(TextSearch {
            name_like: format!("%{}%", like_escape(&name)),
            pinyin_prefix,
            exact: q.to_string(),
        })
    }

    /// Whether the query is an identifier that must stay out of URLs (and so out of links
    /// that keep the filters, and out of browser history).
    pub fn is_identifier(&self) -> bool {
        matches!(self, Search::IdNumber { .. } | Search::Phone { .. })
    }

    /// The values bound for `(text name, pinyin prefix, exact text, id bidx, phone bidx)`;
    /// all `None` for [`Search::All`].
    pub fn binds(&self) -> SearchBinds {
        let mut b = SearchBinds::default();
        match self {
            Search::All => {}
            Search::Text(t) => {
                b.name_like = Some(t.name_like.clone());
                b.pinyin_prefix = t.pinyin_prefix.clone();
                b.exact = Some(t.exact.clone());
            }
            Search::IdNumber { bidx } => b.id_bidx = Some(bidx.clone()),
            Search::Phone { bidx } => b.phone_bidx = Some(bidx.clone()),
        }
        b
    }
}

/// The SQL condition of a search on the person table aliased `p`, with parameters
/// `$n..$n+4` bound from [`Search::binds`] in field order. `exact_column` is compared with
/// the text as typed (`h.household_no` for the people list; `p.name` where nothing else is
/// exact), so every parameter is used on both backends.
pub fn person_condition(p: &str, n: usize, exact_column: &str) -> String {
    let (a, b, c, d, e) = (n, n + 1, n + 2, n + 3, n + 4);
    format!(
        "(${a} IS NULL OR {p}.name LIKE ${a} ESCAPE '\\' OR {p}.name_pinyin LIKE ${b} ESCAPE '\\'
          OR {p}.name_initials LIKE ${b} ESCAPE '\\' OR {exact_column} = ${c})
         AND (${d} IS NULL OR {p}.id_bidx = ${d})
         AND (${e} IS NULL OR {p}.phone_bidx = ${e})"
    )
}

/// A query as sqlx builds it on the `Any` driver.
pub type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the five parameters of [`person_condition`], in order.
pub fn bind_search<'q>(query: AnyQuery<'q>, search: &Search) -> AnyQuery<'q> {
    let s = search.binds();
    query
        .bind(s.name_like)
        .bind(s.pinyin_prefix)
        .bind(s.exact)
        .bind(s.id_bidx)
        .bind(s.phone_bidx)
}

/// A search as SQL parameters, in the order [`person_condition`] numbers them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchBinds {
    pub name_like: Option<String>,
    pub pinyin_prefix: Option<String>,
    pub exact: Option<String>,
    pub id_bidx: Option<String>,
    pub phone_bidx: Option<String>,
}

/// Escapes the LIKE wildcards `%` and `_` (and the escape character `\`) of user input, for
/// `LIKE … ESCAPE '\'`, which both backends read the same way.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use xingcun_crypto::SoftwareCrypto;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    }

    fn parse(q: &str) -> Search {
        let c = SoftwareCrypto::from_master_key(&[3; 32]);
        Search::parse(Some(q), &c, today())
    }

    #[test]
    fn an_empty_query_searches_nothing() {
        let c = SoftwareCrypto::from_master_key(&[3; 32]);
        assert_eq!(Search::parse(None, &c, today()), Search::All);
        assert_eq!(parse(" \u{3000}"), Search::All);
    }

    #[test]
    fn a_valid_id_number_is_searched_by_its_blind_index_in_either_case() {
        let c = SoftwareCrypto::from_master_key(&[3; 32]);
        let want = personal::id_bidx(&c, "11010519491231002X");
        assert_eq!(
            parse("11010519491231002x"),
            Search::IdNumber { bidx: want.clone() }
        );
        assert_eq!(
            parse(" 11010519491231002X "),
            Search::IdNumber { bidx: want }
        );
        assert!(parse("11010519491231002X").is_identifier());
    }

    #[test]
    fn a_phone_number_is_searched_by_its_blind_index() {
        let c = SoftwareCrypto::from_master_key(&[3; 32]);
        assert_eq!(
            parse("13900000001"),
            Search::Phone {
                bidx: personal::phone_bidx(&c, "13900000001")
            }
        );
    }

    #[test]
    fn text_searches_names_and_ascii_searches_pinyin_prefixes_too() {
        let Search::Text(t) = parse("张三") else {
            panic!("text")
        };
        assert_eq!((t.name_like.as_str(), t.pinyin_prefix), ("%张三%", None));
        let Search::Text(t) = parse("ZS") else {
            panic!("text")
        };
        assert_eq!(t.pinyin_prefix.as_deref(), Some("zs%"));
        assert!(!parse("zhang").is_identifier());
    }

    #[test]
    fn like_wildcards_in_input_are_escaped() {
        assert_eq!(like_escape(r"50%_a\b"), r"50\%\_a\\b");
        let Search::Text(t) = parse("%") else {
            panic!("text")
        };
        assert_eq!(t.name_like, r"%\%%");
    }
}
