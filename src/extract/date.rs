//! Explicit calendar dates: `1月10日`, `3月29日至31日`, `2022年`, `6月`, `十一月二日`,
//! `三月份`, normalised to ISO 8601 where the year is known.

use std::sync::OnceLock;

use regex::Regex;

use super::numbers::{parse_arabic, parse_chinese};

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    Day,
    DayRange,
    Month,
    Year,
}

/// A date found in a chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub bytes: std::ops::Range<usize>,
    pub kind: DateKind,
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
    /// Last day of a range, with its month when the range crosses one.
    pub end_month: Option<u32>,
    pub end_day: Option<u32>,
}

const NUM: &str = "[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}";

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let year = "[0-9０-９]{4}|[〇零一二三四五六七八九]{4}";
        Regex::new(&format!(
            r"(?P<mr>{NUM})(?:至|到|—|–|－|-|~|～)(?P<mr2>{NUM})月份?|(?:(?P<y>{year})年)?(?P<m>{NUM})月(?:(?P<fen>份)|(?P<d>{NUM})[日号])?(?:(?:至|到|—|–|－|-|~|～)(?:(?P<m2>{NUM})月)?(?P<d2>{NUM})[日号])?|(?P<yonly>{year})年(?:(?:至|到|—|–|－|-|~|～)(?P<yonly2>{year})年|度)?|(?P<bare>[0-9０-９]{{1,2}})日"
        ))
        .expect("date pattern compiles")
    })
}

fn number(s: &str) -> Option<u32> {
    let value = if s
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        parse_arabic(s)?
    } else {
        parse_chinese(s)?
    };
    Some(value as u32)
}

/// Finds the explicit dates in `text`.
pub fn find_dates(text: &str) -> Vec<DateMention> {
    if !text.contains('月') && !text.contains('年') && !text.contains('日') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for caps in pattern().captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let before = &text[..whole.start()];
        // Part of a longer number (12022年) or a count (第3月).
        if before.ends_with(|c: char| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '第' || c == '.'
        }) {
            continue;
        }
        if let Some(first) = caps.name("mr") {
            // 1—8月份: a range of months, one span.
            let (Some(from), Some(to)) = (
                number(first.as_str()).filter(|m| (1..=12).contains(m)),
                caps.name("mr2")
                    .and_then(|m| number(m.as_str()))
                    .filter(|m| (1..=12).contains(m)),
            ) else {
                continue;
            };
            if from >= to {
                continue;
            }
            out.push(DateMention {
                month: Some(from),
                end_month: Some(to),
                ..DateMention::at(whole.range(), DateKind::Month)
            });
            continue;
        }
        if let Some(day) = caps.name("bare") {
            // 28日 in wire style: the month comes from the dateline or an earlier date
            // (resolved by the caller); 30日内, 每日, 第1日 and 个工作日 are not dates.
            let after = &text[whole.end()..];
            let Some(day) = number(day.as_str()).filter(|d| (1..=31).contains(d)) else {
                continue;
            };
            let duration_words = ["少于", "多于", "低于", "高于", "超过", "为期", "历时", "满"];
            if before.ends_with(['每', '近', '个', '数', '多', '前', '后', '周', '礼', '拜'])
                || duration_words.iter().any(|w| before.ends_with(w))
                || after.starts_with(['内', '以', '之', '元', '左', '后', '前'])
            {
                continue;
            }
            out.push(DateMention {
                day: Some(day),
                ..DateMention::at(whole.range(), DateKind::Day)
            });
            continue;
        }
        if let Some(year) = caps.name("yonly") {
            let Some(y) = number(year.as_str()).filter(|y| (1900..=2100).contains(y)) else {
                continue;
            };
            // 三年, 一二年: Chinese numerals need all four digits, checked by the pattern.
            out.push(DateMention {
                year: Some(y as i32),
                ..DateMention::at(whole.range(), DateKind::Year)
            });
            continue;
        }
        let Some(month) = caps
            .name("m")
            .and_then(|m| number(m.as_str()))
            .filter(|m| (1..=12).contains(m))
        else {
            continue;
        };
        let year = caps
            .name("y")
            .and_then(|y| number(y.as_str()))
            .filter(|y| (1900..=2100).contains(y))
            .map(|y| y as i32);
        let day = caps.name("d").and_then(|d| number(d.as_str()));
        if day.is_some_and(|d| !(1..=31).contains(&d)) {
            continue;
        }
        let after = &text[whole.end()..];
        // 6个月 never matches; 3月底/3月初 are still month mentions.
        if day.is_none() && caps.name("fen").is_none() && after.starts_with(['日', '号']) {
            continue;
        }
        let end_day = caps
            .name("d2")
            .and_then(|d| number(d.as_str()))
            .filter(|d| (1..=31).contains(d));
        let end_month = caps
            .name("m2")
            .and_then(|m| number(m.as_str()))
            .filter(|m| (1..=12).contains(m));
        let kind = match (day, end_day) {
            (Some(_), Some(_)) => DateKind::DayRange,
            (Some(_), None) => DateKind::Day,
            _ => DateKind::Month,
        };
        let mut end = whole.end();
        if day.is_some() && end_day.is_none() {
            // The range part did not match fully; keep only the single day.
            end = caps
                .name("d")
                .map(|d| d.end() + '日'.len_utf8())
                .unwrap_or(end);
        }
        out.push(DateMention {
            bytes: whole.start()..end,
            kind,
            year,
            month: Some(month),
            day,
            end_month: if end_day.is_some() {
                end_month.or(Some(month))
            } else {
                None
            },
            end_day,
        });
    }
    out
}

impl DateMention {
    /// A mention of `kind` over `bytes` with no calendar field set yet.
    fn at(bytes: std::ops::Range<usize>, kind: DateKind) -> DateMention {
        DateMention {
            bytes,
            kind,
            year: None,
            month: None,
            day: None,
            end_month: None,
            end_day: None,
        }
    }

    /// ISO 8601 form, with `default_year` where the text gives no year: `2023-01-10`,
    /// `2023-03-29/2023-03-31`, `2023-06`, `2022`; `--01-10` when no year is known.
    pub fn normalized(&self, default_year: Option<i32>) -> Option<String> {
        let year = self.year.or(default_year);
        let ymd = |m: u32, d: Option<u32>| -> String {
            match (year, d) {
                (Some(y), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
                (Some(y), None) => format!("{y:04}-{m:02}"),
                (None, Some(d)) => format!("--{m:02}-{d:02}"),
                (None, None) => format!("--{m:02}"),
            }
        };
        Some(match self.kind {
            DateKind::Year => format!("{:04}", self.year?),
            DateKind::Month => ymd(self.month?, None),
            DateKind::Day => ymd(self.month?, self.day),
            DateKind::DayRange => format!(
                "{}/{}",
                ymd(self.month?, self.day),
                ymd(self.end_month.or(self.month)?, self.end_day)
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, DateKind)> {
        find_dates(text)
            .into_iter()
            .map(|d| (text[d.bytes].to_owned(), d.kind))
            .collect()
    }

    #[test]
    fn forms() {
        use DateKind::*;
        assert_eq!(found("1月14日下午，"), vec![("1月14日".to_owned(), Day)]);
        assert_eq!(
            found("3月29日至31日,"),
            vec![("3月29日至31日".to_owned(), DayRange)]
        );
        assert_eq!(found("十一月二日，"), vec![("十一月二日".to_owned(), Day)]);
        assert_eq!(found("按照“三月份一批"), vec![("三月份".to_owned(), Month)]);
        assert_eq!(found("计划6月建成"), vec![("6月".to_owned(), Month)]);
        assert_eq!(
            found("召开2022年劳动模范"),
            vec![("2022年".to_owned(), Year)]
        );
        assert_eq!(
            found("2023年1月14日"),
            vec![("2023年1月14日".to_owned(), Day)]
        );
        assert!(found("未来五年，三年之内，6个月，第30届").is_empty());
        assert_eq!(found("今年1—8月份，"), vec![("1—8月份".to_owned(), Month)]);
        assert_eq!(
            found("２０１２年度建成"),
            vec![("２０１２年度".to_owned(), Year)]
        );
        assert_eq!(
            found("从２０１１年～２０１３年投入"),
            vec![("２０１１年～２０１３年".to_owned(), Year)]
        );
        assert_eq!(found("晚会28日在澳门举行"), vec![("28日".to_owned(), Day)]);
        assert_eq!(found("从本月28日起"), vec![("28日".to_owned(), Day)]);
        assert!(found("30日内办结，每日，近7日，不得少于１５日").is_empty());
    }

    #[test]
    fn normalisation() {
        let d = &find_dates("3月29日至31日")[0];
        assert_eq!(
            d.normalized(Some(2023)).as_deref(),
            Some("2023-03-29/2023-03-31")
        );
        assert_eq!(d.normalized(None).as_deref(), Some("--03-29/--03-31"));
        let d = &find_dates("2022年")[0];
        assert_eq!(d.normalized(Some(2023)).as_deref(), Some("2022"));
    }
}
