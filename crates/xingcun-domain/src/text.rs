//! Cell-text clean-up shared by import, forms and search (workbook.md, "Cells").

/// Characters that are not Unicode `White_Space` but arrive invisibly with pasted text
/// (zero-width space, byte-order mark); trimming them too saves a clerk an invisible error.
const INVISIBLE: [char; 2] = ['\u{200B}', '\u{FEFF}'];

/// Middle-dot look-alikes that people type inside ethnic-minority and foreign names;
/// all are read as U+00B7 MIDDLE DOT.
const MIDDLE_DOTS: [char; 10] = [
    '\u{00B7}', // · middle dot (the canonical one)
    '\u{0387}', // · Greek ano teleia
    '\u{2022}', // • bullet
    '\u{2027}', // ‧ hyphenation point
    '\u{2219}', // ∙ bullet operator
    '\u{22C5}', // ⋅ dot operator
    '\u{30FB}', // ・ katakana middle dot
    '\u{FF65}', // ･ half-width katakana middle dot
    '\u{2E31}', // ⸱ word separator middle dot
    '\u{16EB}', // ᛫ runic single punctuation
];

fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || INVISIBLE.contains(&c)
}

/// Removes leading and trailing white space: every Unicode `White_Space` character
/// (including U+3000 ideographic space and U+00A0 no-break space), plus U+200B and U+FEFF.
pub fn trim_all(s: &str) -> &str {
    s.trim_matches(is_trimmable)
}

/// Reads full-width letters, digits, parentheses （） and the ideographic space as their
/// half-width forms. Other characters (including full-width punctuation such as ，) are kept.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width_char).collect()
}

fn half_width_char(c: char) -> char {
    match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' | '（' | '）' => {
            // The full-width forms block mirrors ASCII at a fixed offset.
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Normalises a person's name: trims, removes inner white space, and reads every
/// middle-dot look-alike (·, •, ・ …) as U+00B7.
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|&c| !is_trimmable(c))
        .map(|c| {
            if MIDDLE_DOTS.contains(&c) {
                '\u{00B7}'
            } else {
                c
            }
        })
        .collect()
}

/// Whether the text holds a line break (LF, CR, vertical tab, form feed, NEL, U+2028, U+2029).
pub fn has_line_break(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::ascii_spaces("  张三 ", "张三")]
    #[case::ideographic_space("\u{3000}张三\u{3000}", "张三")]
    #[case::no_break_space("\u{00A0}张三\u{00A0}", "张三")]
    #[case::tabs_and_newlines("\t张三\r\n", "张三")]
    #[case::zero_width_and_bom("\u{FEFF}\u{200B}张三\u{200B}", "张三")]
    #[case::inner_space_kept("张 三", "张 三")]
    #[case::only_space("\u{3000} ", "")]
    fn trim_all_removes_unicode_white_space_at_both_ends(#[case] input: &str, #[case] want: &str) {
        assert_eq!(trim_all(input), want);
    }

    #[rstest]
    #[case::digits("１２３４５转办", "12345转办")]
    #[case::letters("ＡＢＣｘｙｚ", "ABCxyz")]
    #[case::parentheses("村（居）委会主任", "村(居)委会主任")]
    #[case::ideographic_space("汉\u{3000}族", "汉 族")]
    #[case::punctuation_kept("是，否。", "是，否。")]
    #[case::half_width_unchanged("abc-123", "abc-123")]
    fn to_half_width_reads_full_width_letters_digits_and_parentheses(
        #[case] input: &str,
        #[case] want: &str,
    ) {
        assert_eq!(to_half_width(input), want);
    }

    #[rstest]
    #[case::trims(" 张三\u{3000}", "张三")]
    #[case::removes_inner_space("张 三", "张三")]
    #[case::removes_inner_ideographic_space("欧阳\u{3000}修", "欧阳修")]
    #[case::bullet("阿卜杜•买买提", "阿卜杜·买买提")]
    #[case::katakana_dot("阿卜杜・买买提", "阿卜杜·买买提")]
    #[case::half_width_katakana_dot("阿卜杜･买买提", "阿卜杜·买买提")]
    #[case::hyphenation_point("阿卜杜‧买买提", "阿卜杜·买买提")]
    #[case::canonical_dot_kept("阿卜杜·买买提", "阿卜杜·买买提")]
    fn normalize_name_removes_spaces_and_unifies_middle_dots(
        #[case] input: &str,
        #[case] want: &str,
    ) {
        assert_eq!(normalize_name(input), want);
    }

    #[rstest]
    #[case::none("山东省济南市", false)]
    #[case::line_feed("第一行\n第二行", true)]
    #[case::carriage_return("第一行\r第二行", true)]
    #[case::line_separator("第一行\u{2028}第二行", true)]
    #[case::tab_is_not_a_break("甲\t乙", false)]
    fn has_line_break_detects_every_line_break(#[case] input: &str, #[case] want: bool) {
        assert_eq!(has_line_break(input), want);
    }
}
