//! Pinyin search keys for names, so a clerk can find 张三 by typing "zhangsan" or "zs".

use pinyin::ToPinyin;

use crate::text::normalize_name;

/// Surname readings that differ from the character's most common reading. Kept small:
/// only surnames common enough that a clerk would search by them.
const SURNAME_READINGS: [(char, &str); 8] = [
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('区', "ou"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('查', "zha"),
    ('乐', "yue"),
];

/// The search keys of a name, lower-case ASCII for Han characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct NameKeys {
    /// Every syllable run together: 张三 → "zhangsan".
    pub full: String,
    /// The first letter of every syllable: 张三 → "zs".
    pub initials: String,
}

impl NameKeys {
    /// Whether `query` (trimmed, any case) is part of the full spelling or of the initials.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        !q.is_empty() && (self.full.contains(&q) || self.initials.contains(&q))
    }
}

/// The pinyin keys of a name (normalised first). Each Han character takes its most common
/// reading, except that a leading character in the surname table takes its surname reading
/// (曾 zeng, 单 shan …). ü is written v, as input methods type it. Other characters are kept,
/// lower-cased, in both keys; white space and the middle dot · are left out.
pub fn name_keys(name: &str) -> NameKeys {
    let mut keys = NameKeys {
        full: String::new(),
        initials: String::new(),
    };
    for (i, c) in normalize_name(name).chars().enumerate() {
        let surname = (i == 0)
            .then(|| SURNAME_READINGS.iter().find(|(s, _)| *s == c))
            .flatten()
            .map(|(_, reading)| *reading);
        match surname.or_else(|| c.to_pinyin().map(|p| p.plain())) {
            Some(reading) => {
                let reading = reading.replace('ü', "v");
                keys.initials.extend(reading.chars().next());
                keys.full.push_str(&reading);
            }
            None if c == '\u{00B7}' || c.is_whitespace() => {}
            None => {
                keys.full.extend(c.to_lowercase());
                keys.initials.extend(c.to_lowercase());
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::two_characters("张三", "zhangsan", "zs")]
    #[case::three_characters("王小明", "wangxiaoming", "wxm")]
    #[case::spaces_ignored(" 李 四 ", "lisi", "ls")]
    #[case::u_umlaut_as_v("吕女", "lvnv", "ln")]
    #[case::surname_zeng("曾国藩", "zengguofan", "zgf")]
    #[case::surname_shan("单雄信", "shanxiongxin", "sxx")]
    #[case::surname_xie("解缙", "xiejin", "xj")]
    #[case::surname_qiu("仇英", "qiuying", "qy")]
    #[case::surname_zha("查良镛", "zhaliangyong", "zly")]
    #[case::surname_yue("乐嘉", "yuejia", "yj")]
    #[case::surname_reading_only_at_start("王曾", "wangceng", "wc")]
    #[case::middle_dot_dropped("买买提·艾力", "maimaitiaili", "mmtal")]
    #[case::latin_kept_lower_case("张A", "zhanga", "za")]
    #[case::digits_kept("李2", "li2", "l2")]
    fn name_keys_spell_names_in_pinyin(
        #[case] name: &str,
        #[case] full: &str,
        #[case] initials: &str,
    ) {
        let keys = name_keys(name);
        assert_eq!(
            (keys.full.as_str(), keys.initials.as_str()),
            (full, initials)
        );
    }

    #[rstest]
    #[case::full("zhangsan", true)]
    #[case::initials("zs", true)]
    #[case::part_of_full("san", true)]
    #[case::upper_case("ZS", true)]
    #[case::other("ls", false)]
    #[case::empty(" ", false)]
    fn name_keys_match_a_search_query(#[case] query: &str, #[case] want: bool) {
        assert_eq!(name_keys("张三").matches(query), want);
    }
}
