//! Answers over the reviewed items, for the charts: where the money goes (announced
//! investment by district), when things happen (items per month), what each district
//! is about ([`themes`]) and how a project's story develops across articles
//! ([`projects`]). UI-free; every function takes the rows the analyst's filters let
//! through, so the charts always show what the table shows.

pub mod projects;
pub mod stated;
pub mod themes;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::Document;
use crate::annotate::ItemNote;
use crate::annotate::lookup::NoteLookup;
use crate::extract::{Item, ItemKind, article_date};

/// What the charts need per folder that does not change with filters, built once per
/// load off the UI thread.
#[derive(Debug, Clone, Default)]
pub struct FolderFacts {
    /// File → the article's own date (`YYYY-MM-DD`), when the file name or its head
    /// gives one.
    pub article_dates: HashMap<String, String>,
    /// Per item, the month it is dated to ([`item_months`]).
    pub months: Vec<Option<Month>>,
    /// Per item, the stages stated around a project mention.
    pub stages: Vec<projects::Stages>,
}

impl FolderFacts {
    pub fn new(documents: &[Document], items: &[Item]) -> FolderFacts {
        let article_dates = article_dates(documents, items);
        // Independent passes over the items, so both cores take one.
        let (months, stages) = rayon::join(
            || item_months(items, &article_dates),
            || projects::mention_stages(items, documents),
        );
        FolderFacts {
            months,
            stages,
            article_dates,
        }
    }
}

/// File → the article's own date, for the documents that give one. An article that
/// writes no year (many folders: `1月5日，…`) is dated by the first month and day it
/// writes (`--01-05`), so timelines and the districts' first and last dates still have
/// an order; [`yearless_parts`] lets the UI say the year is unknown.
pub fn article_dates(documents: &[Document], items: &[Item]) -> HashMap<String, String> {
    let mut dates: HashMap<String, String> = documents
        .iter()
        .filter_map(|d| Some((d.file.clone(), article_date(&d.file, &d.text)?)))
        .collect();
    for item in items {
        if item.kind != ItemKind::Date || dates.contains_key(&item.file) {
            continue;
        }
        if let Some(date) = item.date.as_deref().filter(|d| is_month_day(d)) {
            dates.insert(item.file.clone(), date.to_owned());
        }
    }
    dates
}

/// A key that orders article dates: dates with a year first, in date order, then dates
/// without a year (`--01-05`), then no date.
pub fn date_order(date: Option<&str>) -> (u8, &str) {
    match date {
        Some(date) if date.starts_with("--") => (1, date),
        Some(date) => (0, date),
        None => (2, ""),
    }
}

/// `--01-05`: a month and day without a year.
pub fn is_month_day(date: &str) -> bool {
    date.len() == 7 && yearless_parts(date).is_some_and(|(_, day)| day.is_some())
}

/// The month and day of a date without a year (`--01-05` → 1, Some(5); `--06` → 6,
/// None); `None` for a date with a year or anything else.
pub fn yearless_parts(date: &str) -> Option<(u8, Option<u8>)> {
    let rest = date.strip_prefix("--")?;
    let month: u8 = rest.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    match rest.get(2..) {
        Some("") => Some((month, None)),
        Some(day) => {
            let day: u8 = day.strip_prefix('-')?.parse().ok()?;
            (1..=31).contains(&day).then_some((month, Some(day)))
        }
        None => None,
    }
}

/// An item as the analyst left it: corrections replace the extracted values.
#[derive(Clone, Copy)]
pub struct Reviewed<'a> {
    pub index: usize,
    pub item: &'a Item,
    pub note: Option<&'a ItemNote>,
}

impl<'a> Reviewed<'a> {
    pub fn new(items: &'a [Item], notes: &'a dyn NoteLookup, index: usize) -> Reviewed<'a> {
        Reviewed {
            index,
            item: &items[index],
            note: notes.note(index),
        }
    }

    pub fn kind(&self) -> ItemKind {
        self.note.and_then(|n| n.kind).unwrap_or(self.item.kind)
    }

    /// The county-level district the item belongs to ([`Item::county`]); a corrected
    /// district wins.
    pub fn county(&self) -> Option<&'a str> {
        self.note
            .and_then(|n| n.district.as_deref())
            .or_else(|| self.item.county())
    }

    /// A project's stated investment in yuan; a corrected amount wins.
    pub fn investment_yuan(&self) -> Option<f64> {
        if let Some(corrected) = self.note.and_then(|n| n.amount_yuan) {
            return Some(corrected);
        }
        self.item.investment.as_ref().and(self.item.amount_yuan)
    }
}

/// A calendar month; the year is unknown when neither the text nor the article gives
/// one (such months sort first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: Option<i32>,
    pub month: u8,
}

impl Month {
    /// The month of a normalised date (`2023-01-10`, `2023-06`, `--01-10`, `--06`, or a
    /// range, whose start counts); `default_year` fills a missing year. A bare year has
    /// no month.
    pub fn of_date(date: &str, default_year: Option<i32>) -> Option<Month> {
        let start = date.split('/').next()?;
        let (year, rest) = match start.strip_prefix("--") {
            Some(rest) => (default_year, rest),
            None => (Some(start.get(..4)?.parse().ok()?), start.get(5..)?),
        };
        let month: u8 = rest.get(..2)?.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    /// `2023-01`, or `--01` when the year is unknown.
    pub fn label(&self) -> String {
        match self.year {
            Some(year) => format!("{year:04}-{:02}", self.month),
            None => format!("--{:02}", self.month),
        }
    }

    fn next(self) -> Month {
        match self.month {
            12 => Month {
                year: self.year.map(|y| y + 1),
                month: 1,
            },
            m => Month {
                year: self.year,
                month: m + 1,
            },
        }
    }
}

/// The month each item is dated to: a date item by its own date; any other item by the
/// nearest date written before it in its article (else the first one after it), and
/// failing both by the article's own date. Dates without a year take the article's
/// year. `article_dates` maps a file to its date (`YYYY-MM-DD`).
pub fn item_months(items: &[Item], article_dates: &HashMap<String, String>) -> Vec<Option<Month>> {
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        by_file.entry(&item.file).or_default().push(index);
    }
    let mut months = vec![None; items.len()];
    for (file, mut indices) in by_file {
        indices.sort_by_key(|&i| (items[i].start, i));
        let article = article_dates
            .get(file)
            .and_then(|date| Month::of_date(date, None));
        let default_year = article.and_then(|m| m.year);
        let date_month = |i: usize| {
            let item = &items[i];
            (item.kind == ItemKind::Date)
                .then(|| Month::of_date(item.date.as_deref()?, default_year))
                .flatten()
        };
        let first_written = indices.iter().find_map(|&i| date_month(i));
        let mut last_written = None;
        for &i in &indices {
            let own = date_month(i);
            if own.is_some() {
                last_written = own;
            }
            months[i] = own.or(last_written).or(first_written).or(article);
        }
    }
    months
}

/// Items per month and kind: the activity chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    /// Consecutive months (gaps filled) from the first to the last with items; months
    /// of unknown year first.
    pub months: Vec<Month>,
    /// Per kind, the count in each of `months`.
    pub counts: BTreeMap<ItemKind, Vec<usize>>,
    /// Items that could not be dated to a month.
    pub undated: usize,
}

/// A span of months beyond which gaps are not filled (a stray `1949年` would otherwise
/// stretch the chart over decades of empty months).
const MAX_FILLED_MONTHS: usize = 240;

pub fn activity_by_month<'a>(
    reviewed: impl IntoIterator<Item = Reviewed<'a>>,
    months: &[Option<Month>],
) -> Activity {
    let mut counts: BTreeMap<Month, BTreeMap<ItemKind, usize>> = BTreeMap::new();
    let mut undated = 0;
    for item in reviewed {
        match months.get(item.index).copied().flatten() {
            Some(month) => {
                *counts
                    .entry(month)
                    .or_default()
                    .entry(item.kind())
                    .or_default() += 1
            }
            None => undated += 1,
        }
    }
    let mut axis: Vec<Month> = counts
        .keys()
        .filter(|m| m.year.is_none())
        .copied()
        .collect();
    let known: Vec<Month> = counts
        .keys()
        .filter(|m| m.year.is_some())
        .copied()
        .collect();
    if let (Some(&first), Some(&last)) = (known.first(), known.last()) {
        let span = |m: Month| m.year.unwrap_or(0) as i64 * 12 + m.month as i64;
        if (span(last) - span(first)) as usize <= MAX_FILLED_MONTHS {
            let mut month = first;
            while month <= last {
                axis.push(month);
                month = month.next();
            }
        } else {
            axis.extend(known);
        }
    }
    let mut by_kind: BTreeMap<ItemKind, Vec<usize>> = BTreeMap::new();
    for (position, month) in axis.iter().enumerate() {
        for (&kind, &count) in counts.get(month).into_iter().flatten() {
            by_kind.entry(kind).or_insert_with(|| vec![0; axis.len()])[position] = count;
        }
    }
    Activity {
        months: axis,
        counts: by_kind,
        undated,
    }
}

/// Projects, officials and amounts of one district: the kinds chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictKinds {
    pub district: String,
    pub projects: usize,
    pub officials: usize,
    pub amounts: usize,
}

impl DistrictKinds {
    pub fn total(&self) -> usize {
        self.projects + self.officials + self.amounts
    }
}

/// Per county-level district, most items first (ties by name).
pub fn kinds_by_district<'a>(
    reviewed: impl IntoIterator<Item = Reviewed<'a>>,
) -> Vec<DistrictKinds> {
    let mut rows: BTreeMap<&str, DistrictKinds> = BTreeMap::new();
    for item in reviewed {
        let Some(district) = item.county() else {
            continue;
        };
        let kind = item.kind();
        if !matches!(
            kind,
            ItemKind::Project | ItemKind::Official | ItemKind::Amount
        ) {
            continue;
        }
        let row = rows.entry(district).or_insert_with(|| DistrictKinds {
            district: district.to_owned(),
            projects: 0,
            officials: 0,
            amounts: 0,
        });
        match kind {
            ItemKind::Project => row.projects += 1,
            ItemKind::Official => row.officials += 1,
            _ => row.amounts += 1,
        }
    }
    let mut rows: Vec<DistrictKinds> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then_with(|| a.district.cmp(&b.district))
    });
    rows
}

/// The announced investment of one district and the projects behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictInvestment {
    pub district: String,
    pub city: Option<String>,
    pub yuan: f64,
    /// Project name and its counted investment in yuan, largest first.
    pub projects: Vec<(String, f64)>,
}

/// Announced project investment per county-level district, largest first. Each project
/// group counts once, with its latest stated figure ([`projects::ProjectGroup::investment_yuan`]),
/// so a project reported in two articles is not counted twice. Amounts that are not a
/// project's investment (GDP, revenue, funds) never count.
pub fn investment_by_district(groups: &[projects::ProjectGroup]) -> Vec<DistrictInvestment> {
    let mut rows: BTreeMap<&str, DistrictInvestment> = BTreeMap::new();
    for group in groups {
        let (Some(district), Some(yuan)) = (group.district.as_deref(), group.investment_yuan())
        else {
            continue;
        };
        let row = rows.entry(district).or_insert_with(|| DistrictInvestment {
            district: district.to_owned(),
            city: group.city.clone(),
            yuan: 0.0,
            projects: Vec::new(),
        });
        row.yuan += yuan;
        row.projects.push((group.name.clone(), yuan));
    }
    let mut rows: Vec<DistrictInvestment> = rows.into_values().collect();
    for row in &mut rows {
        row.projects.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    rows.sort_by(|a, b| {
        b.yuan
            .total_cmp(&a.yuan)
            .then_with(|| a.district.cmp(&b.district))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::lookup::NoNotes;

    fn item(kind: ItemKind, file: &str, start: usize, district: Option<&str>) -> Item {
        let mut item = Item::bare(
            format!("{file}{start}"),
            kind,
            file.into(),
            "x".into(),
            start..start + 1,
        );
        item.district = district.map(str::to_owned);
        item.city = Some("太原市".into());
        item
    }

    fn dated(file: &str, start: usize, date: &str) -> Item {
        let mut item = item(ItemKind::Date, file, start, None);
        item.date = Some(date.into());
        item
    }

    /// A folder that writes no years (issue 15 §8): an article is dated by its first
    /// month and day, and a dated article keeps its own date.
    #[test]
    fn articles_without_a_year_are_dated_by_their_first_month_and_day() {
        let document = Document::from_text;
        let documents = [
            document("a.txt", "1月5日，清徐县召开会议。"),
            document("b.txt", "2023年3月1日，清徐县召开会议。"),
        ];
        let items = [
            dated("a.txt", 0, "--01-05"),
            dated("a.txt", 9, "--02-01"),
            dated("b.txt", 0, "2023-03-01"),
            dated("b.txt", 9, "--04-02"),
        ];
        let dates = article_dates(&documents, &items);
        assert_eq!(dates["a.txt"], "--01-05");
        assert_eq!(dates["b.txt"], "2023-03-01");
        assert_eq!(yearless_parts("--01-05"), Some((1, Some(5))));
        assert_eq!(yearless_parts("--06"), Some((6, None)));
        assert_eq!(yearless_parts("2023-01-05"), None);
        assert_eq!(yearless_parts("--13-01"), None);
        assert!(is_month_day("--01-05") && !is_month_day("--01"));
    }

    #[test]
    fn months_of_normalised_dates() {
        let month = |date, year| Month::of_date(date, year);
        let m = |year, month| Some(Month { year, month });
        assert_eq!(month("2023-01-10", None), m(Some(2023), 1));
        assert_eq!(month("2023-03-29/2023-03-31", None), m(Some(2023), 3));
        assert_eq!(month("--06", Some(2022)), m(Some(2022), 6));
        assert_eq!(month("--11-02", None), m(None, 11));
        assert_eq!(month("2022", None), None);
        assert_eq!(month("--13-01", None), None);
    }

    #[test]
    fn items_are_dated_by_the_date_before_them_then_after_then_the_article() {
        let items = vec![
            item(ItemKind::Project, "a.txt", 0, Some("清徐县")),
            dated("a.txt", 10, "--03-29"),
            item(ItemKind::Official, "a.txt", 20, Some("清徐县")),
            dated("a.txt", 30, "2022-12-01"),
            item(ItemKind::Project, "a.txt", 40, Some("清徐县")),
            item(ItemKind::Project, "b.txt", 0, None),
            item(ItemKind::Project, "c.txt", 0, None),
        ];
        let article_dates = HashMap::from([
            ("a.txt".to_owned(), "2023-04-02".to_owned()),
            ("b.txt".to_owned(), "2021-07-15".to_owned()),
        ]);
        let months = item_months(&items, &article_dates);
        let m = |year, month| Some(Month { year, month });
        assert_eq!(
            months,
            [
                m(Some(2023), 3),
                m(Some(2023), 3),
                m(Some(2023), 3),
                m(Some(2022), 12),
                m(Some(2022), 12),
                m(Some(2021), 7),
                None
            ]
        );
        let activity = activity_by_month(
            (0..items.len()).map(|i| Reviewed::new(&items, &NoNotes, i)),
            &months,
        );
        let labels: Vec<String> = activity.months.iter().map(Month::label).collect();
        assert_eq!(
            labels.len(),
            2023 * 12 + 3 - (2021 * 12 + 7) + 1,
            "gaps filled"
        );
        assert_eq!(labels.first().map(String::as_str), Some("2021-07"));
        assert_eq!(activity.counts[&ItemKind::Project].iter().sum::<usize>(), 3);
        assert_eq!(activity.counts[&ItemKind::Date].last(), Some(&1));
        assert_eq!(activity.undated, 1);
    }

    #[test]
    fn kinds_per_district_skip_city_level_items() {
        let mut city_level = item(ItemKind::Project, "a.txt", 5, Some("太原市"));
        city_level.city = Some("太原市".into());
        let items = vec![
            item(ItemKind::Project, "a.txt", 0, Some("清徐县")),
            item(ItemKind::Official, "a.txt", 1, Some("清徐县")),
            item(ItemKind::Amount, "a.txt", 2, Some("阳曲县")),
            item(ItemKind::Date, "a.txt", 3, Some("阳曲县")),
            city_level,
        ];
        let rows = kinds_by_district((0..items.len()).map(|i| Reviewed::new(&items, &NoNotes, i)));
        assert_eq!(
            rows,
            [
                DistrictKinds {
                    district: "清徐县".into(),
                    projects: 1,
                    officials: 1,
                    amounts: 0
                },
                DistrictKinds {
                    district: "阳曲县".into(),
                    projects: 0,
                    officials: 0,
                    amounts: 1
                },
            ]
        );
    }
}
