//! Money amounts (`8.16亿元`, `１２７３万元`, `11600多亿元`, `5000万美元`) with their value
//! in yuan.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::numbers::{magnitude, parse_arabic, parse_chinese};

const EXCHANGE_RATES_TSV: &str = include_str!("../../assets/exchange_rates.tsv");

/// A money amount found in a chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Byte range in the chunk.
    pub bytes: std::ops::Range<usize>,
    /// Value in units of `currency`.
    pub value: f64,
    /// ISO 4217 code.
    pub currency: &'static str,
    /// Value in yuan, through the reference rate for foreign currencies.
    pub yuan: f64,
}

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?:
              (?P<num>[0-9０-９]+(?:[.,．][0-9０-９]+)*|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*)
              (?P<approx>多|余|来)?
              [\x20\u3000]?
              (?P<mag>[十百千万亿]*)
            |
              # 数百万元, 几十亿元; 上百亿元, 近亿元, 迈上万亿元 (the lead word is not
              # part of the amount): a magnitude without digits.
              (?P<vague>数|几)?(?P<bare>[十百千万亿]+)
            )
            (?:多|余)?
            (?P<cur>人民币|新台币|美元|欧元|港元|港币|日元|英镑|澳元|加元|卢布|韩元|元)",
        )
        .expect("amount pattern compiles")
    })
}

fn rates() -> &'static HashMap<&'static str, (&'static str, f64)> {
    static RATES: OnceLock<HashMap<&'static str, (&'static str, f64)>> = OnceLock::new();
    RATES.get_or_init(|| {
        EXCHANGE_RATES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let word = f.next()?;
                let code = f.next()?;
                let rate = f.next()?.trim().parse().ok()?;
                Some((word, (code, rate)))
            })
            .collect()
    })
}

/// Finds the money amounts in `text`.
pub fn find_amounts(text: &str) -> Vec<Amount> {
    if !text.contains('元')
        && !text.contains("人民币")
        && !text.contains('镑')
        && !text.contains('卢')
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for caps in pattern().captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let before = &text[..whole.start()];
        let value = match caps.name("bare") {
            Some(bare) => vague_value(&caps, bare.as_str(), before),
            None => written_value(&caps, text, whole.range()),
        };
        let Some(value) = value else {
            continue;
        };
        let (currency, rate) = rates().get(&caps["cur"]).copied().unwrap_or(("CNY", 1.0));
        out.push(Amount {
            bytes: whole.range(),
            value,
            currency,
            yuan: value * rate,
        });
    }
    out
}

/// `value` times the magnitude characters (十百千万亿) of `magnitudes`.
fn scaled(value: f64, magnitudes: &str) -> f64 {
    magnitudes
        .chars()
        .fold(value, |v, c| v * magnitude(c).unwrap_or(1.0))
}

/// The value of a bare magnitude (`近亿元`, `数百万元`): an amount only after a word of
/// approximation (近亿元, 上百亿元) or with 数/几 (数百万元); `每万元GDP` is a rate.
fn vague_value(caps: &regex::Captures, bare: &str, before: &str) -> Option<f64> {
    let approximated = caps.name("vague").is_some()
        || ["上", "近", "超", "逾", "过", "达", "约", "超过", "突破"]
            .iter()
            .any(|w| before.ends_with(w));
    (approximated && !before.ends_with('每')).then(|| scaled(1.0, bare))
}

/// The value of an amount written with a number (`8.16亿元`, `三千万元`), or `None`
/// when the match is not money after all (`一元化`, `1月1日元旦`, part of a longer number).
fn written_value(caps: &regex::Captures, text: &str, whole: std::ops::Range<usize>) -> Option<f64> {
    let num = caps.name("num")?.as_str();
    let before = &text[..whole.start];
    let chinese = !num.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    // 一元化, 二元结构: a Chinese numeral amount must carry a magnitude.
    if chinese && !num.contains(['十', '百', '千', '万', '亿']) && caps["mag"].is_empty() {
        return None;
    }
    if before.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let currency_word = &caps["cur"];
    let after = &text[whole.end..];
    // 1月1日元旦, 元素, 元年: 元 that starts another word.
    if (currency_word == "元"
        && after.starts_with(['旦', '素', '首', '宵', '年', '代', '帅', '老', '气']))
        || (currency_word == "日元" && before.ends_with('月'))
    {
        return None;
    }
    let base = if chinese {
        parse_chinese(num)
    } else {
        parse_arabic(num)
    }?;
    Some(scaled(base, &caps["mag"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, f64)> {
        find_amounts(text)
            .into_iter()
            .map(|a| (text[a.bytes].to_owned(), a.yuan))
            .collect()
    }

    #[test]
    fn written_forms() {
        assert_eq!(
            found("项目估算总投资8.16亿元，"),
            vec![("8.16亿元".to_owned(), 816_000_000.0)]
        );
        assert_eq!(
            found("投资１２７３万元"),
            vec![("１２７３万元".to_owned(), 12_730_000.0)]
        );
        assert_eq!(
            found("达11600多亿元"),
            vec![("11600多亿元".to_owned(), 1_160_000_000_000.0)]
        );
        assert_eq!(
            found("三千万元"),
            vec![("三千万元".to_owned(), 30_000_000.0)]
        );
        assert_eq!(found("1.2万亿元"), vec![("1.2万亿元".to_owned(), 1.2e12)]);
        let usd = find_amounts("5000万美元");
        assert_eq!(usd[0].currency, "USD");
        assert_eq!(usd[0].value, 50_000_000.0);
    }

    #[test]
    fn non_money() {
        assert!(found("年发电量约2.7亿千瓦时，千亿级产业园").is_empty());
        assert!(found("城乡二元结构，一元化").is_empty());
        assert!(found("1月1日元旦").is_empty());
        assert!(found("每万元GDP能耗").is_empty());
        assert!(found("万元户，亿元村").is_empty());
    }

    #[test]
    fn spaced_and_vague_amounts() {
        assert_eq!(
            found("达447.1 亿元"),
            vec![("447.1 亿元".to_owned(), 44_710_000_000.0)]
        );
        assert_eq!(found("年产值上百亿元"), vec![("百亿元".to_owned(), 1e10)]);
        assert_eq!(found("迈上万亿元台阶"), vec![("万亿元".to_owned(), 1e12)]);
        assert_eq!(found("开支也要近亿元"), vec![("亿元".to_owned(), 1e8)]);
        assert_eq!(found("敛财数百万元"), vec![("数百万元".to_owned(), 1e6)]);
    }
}
