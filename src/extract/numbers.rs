//! Numbers as Chinese news writes them: ASCII or full-width digits with decimals and
//! thousands separators, or Chinese numerals (十一, 两千三百万, 二〇二三).

/// Full-width digits and punctuation to ASCII, other characters unchanged.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            _ => c,
        })
        .collect()
}

fn digit_value(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Multiplier of a magnitude character.
pub fn magnitude(c: char) -> Option<f64> {
    Some(match c {
        '十' | '拾' => 10.0,
        '百' | '佰' => 100.0,
        '千' | '仟' => 1_000.0,
        '万' => 10_000.0,
        '亿' => 100_000_000.0,
        _ => return None,
    })
}

/// Parses a number written in Chinese numerals: 十一 → 11, 二十三 → 23,
/// 三千五百万 → 35,000,000, 二〇二三 → 2023 (digit by digit when there are no units).
pub fn parse_chinese(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| digit_value(c).is_some()) {
        let mut value = 0u64;
        for c in s.chars() {
            value = value.checked_mul(10)?.checked_add(digit_value(c)?)?;
        }
        return Some(value as f64);
    }
    // 一亿二千万 = (1)亿 + (2千)万: groups above 亿, between 万 and 亿, and below 万.
    let mut yi = 0.0;
    let mut wan = 0.0;
    let mut section = 0.0;
    let mut digit: Option<f64> = None;
    for c in s.chars() {
        if let Some(d) = digit_value(c) {
            digit = Some(d as f64);
        } else if let Some(m) = magnitude(c) {
            match m {
                m if m >= 100_000_000.0 => {
                    let group = wan + section + digit.take().unwrap_or(0.0);
                    yi = (yi + if group == 0.0 { 1.0 } else { group }) * m;
                    wan = 0.0;
                    section = 0.0;
                }
                m if m >= 10_000.0 => {
                    let group = section + digit.take().unwrap_or(0.0);
                    wan = (wan + if group == 0.0 { 1.0 } else { group }) * m;
                    section = 0.0;
                }
                m => section += digit.take().unwrap_or(1.0) * m,
            }
        } else {
            return None;
        }
    }
    Some(yi + wan + section + digit.unwrap_or(0.0))
}

/// Parses ASCII or full-width digits with an optional decimal part and `,` separators.
pub fn parse_arabic(s: &str) -> Option<f64> {
    let cleaned: String = ascii_digits(s).chars().filter(|c| *c != ',').collect();
    cleaned.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_chinese("十一"), Some(11.0));
        assert_eq!(parse_chinese("二十三"), Some(23.0));
        assert_eq!(parse_chinese("三千五百万"), Some(35_000_000.0));
        assert_eq!(parse_chinese("两亿"), Some(200_000_000.0));
        assert_eq!(parse_chinese("二〇二三"), Some(2023.0));
        assert_eq!(parse_chinese("一亿二千万"), Some(120_000_000.0));
        assert_eq!(parse_chinese("十"), Some(10.0));
        assert_eq!(parse_chinese("元"), None);
    }

    #[test]
    fn arabic_numerals() {
        assert_eq!(parse_arabic("１２７３"), Some(1273.0));
        assert_eq!(parse_arabic("8.16"), Some(8.16));
        assert_eq!(parse_arabic("10,000"), Some(10_000.0));
    }
}
