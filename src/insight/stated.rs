//! Totals the articles state for a district, beside the sum of its projects: `现场签约
//! 项目11个，计划投资金额达80.46亿元`, `总投资63亿元20个产业项目`. A stated total is an amount
//! the extractor found in the same sentence as a count of projects (`项目11个`, `20个产业
//! 项目`) and close to it. It is shown apart and never added to project investment: it
//! may count the same projects again, or others.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::corpus::Document;
use crate::extract::{Item, ItemKind};

/// How far apart (in characters) the count and the amount may be.
const REACH: usize = 30;

/// One total stated in an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatedTotal {
    pub district: String,
    pub yuan: f64,
    /// The amount as written (`80.46亿元`).
    pub amount: String,
    /// What it counts, as written (`签约项目11个`).
    pub counts: String,
    pub sentence: String,
    pub file: String,
}

fn count_patterns() -> &'static [Regex; 2] {
    static PATTERNS: OnceLock<[Regex; 2]> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let number = r"(?:\d+|[〇一二两三四五六七八九十百千]+)";
        let verb = r"(?:现场签约|集中签约|集中开工|签约|开工|竣工|新开工|续建|新建|在建|储备|谋划|招商|引进|落地|实施)?";
        let kind = r"(?:重点|重大|产业|招商|基础设施)?";
        [
            // 签约项目11个, 重点项目共计20项
            Regex::new(&format!("{verb}{kind}项目(?:共|共计|合计|总数)?{number}(?:个|项)"))
                .expect("a valid pattern"),
            // 20个产业项目, 11项重点项目
            Regex::new(&format!("{verb}{number}(?:个|项){kind}项目")).expect("a valid pattern"),
        ]
    })
}

/// The stated totals of every district, in document and text order.
pub fn stated_totals(documents: &[Document], items: &[Item]) -> Vec<StatedTotal> {
    let by_file: std::collections::HashMap<&str, &Document> =
        documents.iter().map(|d| (d.file.as_str(), d)).collect();
    let mut totals = Vec::new();
    for (file, run) in crate::extract::runs_by_file(items) {
        let amounts: Vec<&Item> = items[run]
            .iter()
            .filter(|i| i.kind == ItemKind::Amount && i.amount_yuan.is_some())
            .filter(|i| i.district.is_some())
            .collect();
        if amounts.is_empty() {
            continue;
        }
        let Some(document) = by_file.get(file) else {
            continue;
        };
        let chars: Vec<char> = document.text.chars().collect();
        for amount in amounts {
            if let Some(total) = stated_total(&chars, amount) {
                totals.push(total);
            }
        }
    }
    totals
}

fn stated_total(chars: &[char], amount: &Item) -> Option<StatedTotal> {
    let is_end = |c: &char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let start = amount.start.min(chars.len());
    let end = amount.end.min(chars.len());
    // A threshold (`5000万元以上项目`) is not a total.
    let after: String = chars[end..].iter().take(2).collect();
    if after == "以上" || after == "以下" {
        return None;
    }
    let sentence_start = chars[..start].iter().rposition(is_end).map_or(0, |p| p + 1);
    let sentence_end = chars[end..]
        .iter()
        .position(is_end)
        .map_or(chars.len(), |p| end + p);
    let sentence: String = chars[sentence_start..sentence_end].iter().collect();
    // The cheap test first: most amounts stand beside no count of projects.
    let byte_to_char = |byte: usize| sentence[..byte].chars().count() + sentence_start;
    let counts = count_patterns()
        .iter()
        .flat_map(|pattern| pattern.find_iter(&sentence))
        .map(|hit| {
            (
                byte_to_char(hit.start()),
                byte_to_char(hit.end()),
                hit.as_str(),
            )
        })
        .filter(|&(from, to, _)| {
            // Characters between the count and the amount (none when they overlap).
            let gap = start.saturating_sub(to).max(from.saturating_sub(end));
            gap <= REACH
        })
        .min_by_key(|&(from, to, _)| from.abs_diff(start).min(to.abs_diff(end)))?;
    // The district is named in the paragraph before the amount: a province's or city's
    // total in a county's story is not the county's.
    let district = amount.district.as_deref()?;
    let paragraph_start = chars[..start]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1);
    let before: String = chars[paragraph_start..start].iter().collect();
    let gazetteer = crate::Extractor::shared().gazetteer();
    // A short form that is also a city's (乌鲁木齐 for 乌鲁木齐县) may name the city.
    let short = crate::extract::gazetteer::county_short_form(district)
        .filter(|short| !may_name_a_city_or_province(gazetteer, short));
    let named = before.contains(district) || short.as_ref().is_some_and(|s| before.contains(s));
    if !named {
        return None;
    }
    // A sentence that names a province or city (广西推动1159个重大项目…) states its total,
    // not the county's.
    let sentence_before: String = chars[sentence_start..start].iter().collect();
    let names_larger = gazetteer
        .automaton()
        .find_iter(sentence_before.as_str())
        .any(|hit| {
            let pattern = &gazetteer.patterns[hit.pattern().as_usize()];
            !district.contains(pattern.surface.as_str())
                && only_cities_or_provinces(gazetteer, pattern)
        });
    if names_larger {
        return None;
    }
    Some(StatedTotal {
        district: amount.district.clone()?,
        yuan: amount.amount_yuan?,
        amount: amount.text.clone(),
        counts: counts.2.to_owned(),
        sentence: sentence.trim().to_owned(),
        file: amount.file.clone(),
    })
}

/// Whether `surface` may name a province or prefecture city.
fn may_name_a_city_or_province(gazetteer: &crate::extract::Gazetteer, surface: &str) -> bool {
    use crate::extract::Level;
    (gazetteer.patterns.iter())
        .find(|p| p.surface == surface)
        .is_some_and(|pattern| {
            (pattern.candidates.iter()).any(|&(unit, _)| {
                matches!(gazetteer.unit(unit).level, Level::Province | Level::City)
            })
        })
}

/// Whether a pattern names only provinces or prefecture cities.
fn only_cities_or_provinces(
    gazetteer: &crate::extract::Gazetteer,
    pattern: &crate::extract::gazetteer::Pattern,
) -> bool {
    use crate::extract::Level;
    !pattern.candidates.is_empty()
        && pattern
            .candidates
            .iter()
            .all(|&(unit, _)| matches!(gazetteer.unit(unit).level, Level::Province | Level::City))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extracted(text: &str) -> (Vec<Document>, Vec<Item>) {
        let document = Document::from_text("a.txt", text);
        let items = crate::Extractor::shared().extract(&document);
        (vec![document], items)
    }

    #[test]
    fn totals_are_found_beside_a_count_of_projects() {
        let (documents, items) = extracted(
            "清徐县招商引资\n清徐县现场签约项目11个，计划投资金额达80.46亿元，涵盖新能源等领域。\
             阳曲县加快推进上半年总投资63亿元20个产业项目建设。\
             清徐县光伏电站项目总投资8.16亿元。\
             阳曲县计划实施的141个5000万元以上项目已开工。\n\
             阳曲县今年以来，山西推动1159个重大项目开工，总投资达4988亿元。",
        );
        let totals = stated_totals(&documents, &items);
        let found: Vec<(&str, &str, &str)> = totals
            .iter()
            .map(|t| (t.district.as_str(), t.amount.as_str(), t.counts.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("清徐县", "80.46亿元", "现场签约项目11个"),
                ("阳曲县", "63亿元", "20个产业项目"),
            ],
            "{totals:#?}"
        );
        assert!(totals[0].sentence.starts_with("清徐县现场签约"));
        assert!((totals[0].yuan - 80.46e8).abs() < 1.0);
    }
}
