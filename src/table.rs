//! What the review tables show: the item filter, sort orders and the per-district
//! overview over an [`Extraction`](crate::pipeline::Extraction). UI-free, so that the
//! command line can benchmark it and tests can check it without a window.
//!
//! Chinese text sorts by code point (Unicode's radical-and-stroke order of the CJK
//! block), numbers numerically, and missing values last in either direction.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::annotate::ItemNote;
use crate::extract::{Item, ItemKind};
use crate::insight::{self, Month};

// Annotation lookups live with the annotations, so `insight` needs nothing from here.
pub use crate::annotate::lookup::{AttachedNotes, NoNotes, NoteLookup};

/// A sortable column of the items table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ItemColumn {
    Kind,
    Text,
    Confidence,
    Post,
    District,
    Place,
    Amount,
    Capacity,
    Date,
    Document,
    Tags,
    Note,
}

impl ItemColumn {
    /// In display order: what the analyst reviews first, the document last.
    pub const ALL: [ItemColumn; 12] = [
        ItemColumn::Kind,
        ItemColumn::Text,
        ItemColumn::Confidence,
        ItemColumn::Tags,
        ItemColumn::District,
        ItemColumn::Place,
        ItemColumn::Amount,
        ItemColumn::Capacity,
        ItemColumn::Date,
        ItemColumn::Post,
        ItemColumn::Note,
        ItemColumn::Document,
    ];
}

/// A column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort<C> {
    pub column: C,
    pub descending: bool,
}

impl<C: PartialEq + Copy> Sort<C> {
    /// The order after a click on `column`'s header: a new column sorts ascending, the
    /// same column flips direction.
    pub fn clicked(current: Option<Sort<C>>, column: C) -> Sort<C> {
        match current {
            Some(sort) if sort.column == column => Sort {
                column,
                descending: !sort.descending,
            },
            _ => Sort {
                column,
                descending: false,
            },
        }
    }
}

/// Which items the table shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemFilter {
    /// Kinds that are hidden.
    pub hidden_kinds: BTreeSet<ItemKind>,
    /// Only items of this district (canonical name).
    pub district: Option<String>,
    /// Only items of this document (relative path).
    pub document: Option<String>,
    /// Only items carrying this tag.
    pub tag: Option<u32>,
    /// Only items dated to this month ([`insight::item_months`]).
    pub month: Option<Month>,
    /// Rejected items are hidden unless this is set.
    pub show_rejected: bool,
    /// Only items the extractor is less sure of than this many percent (for reviewing
    /// the doubtful ones first); manual items have no confidence and are never below it.
    pub confidence_below: Option<u8>,
    /// Case-insensitive substring of the item text, canonical name, district, document
    /// or the analyst's note.
    pub text: String,
    /// The review queue: only items nobody has judged yet, least certain first.
    pub review_queue: bool,
}

impl Default for ItemFilter {
    fn default() -> Self {
        Self {
            // Cities and provinces are context for disambiguation, rarely what an analyst
            // reviews.
            hidden_kinds: BTreeSet::from([ItemKind::City]),
            district: None,
            document: None,
            tag: None,
            month: None,
            show_rejected: false,
            confidence_below: None,
            text: String::new(),
            review_queue: false,
        }
    }
}

impl ItemFilter {
    /// The part of the filter that lasts across sessions: which kinds are shown, whether
    /// rejected items are, the confidence threshold. Narrowing to a district, document,
    /// tag, month or text is for the session.
    pub fn lasting(&self) -> ItemFilter {
        ItemFilter {
            hidden_kinds: self.hidden_kinds.clone(),
            show_rejected: self.show_rejected,
            confidence_below: self.confidence_below,
            ..ItemFilter::default()
        }
    }
}

/// A part of the item filter that hides rows, for saying which ones do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveFilter {
    /// Kinds hidden beyond the default (cities and provinces).
    Kind,
    District,
    Document,
    Month,
    Tag,
    Confidence,
    Text,
    /// The review queue hides what has been judged.
    Review,
}

impl ItemFilter {
    /// The parts of this filter that hide rows beyond the defaults, in bar order.
    pub fn active(&self) -> Vec<ActiveFilter> {
        let default_kinds = ItemFilter::default().hidden_kinds;
        [
            (!self.text.trim().is_empty(), ActiveFilter::Text),
            (self.district.is_some(), ActiveFilter::District),
            (self.document.is_some(), ActiveFilter::Document),
            (self.month.is_some(), ActiveFilter::Month),
            (self.tag.is_some(), ActiveFilter::Tag),
            (self.confidence_below.is_some(), ActiveFilter::Confidence),
            (self.review_queue, ActiveFilter::Review),
            (
                !self.hidden_kinds.is_subset(&default_kinds),
                ActiveFilter::Kind,
            ),
        ]
        .into_iter()
        .filter_map(|(on, filter)| on.then_some(filter))
        .collect()
    }

    /// Whether anything beyond the kind toggles narrows the table.
    pub fn is_narrowed(&self) -> bool {
        self.district.is_some()
            || self.document.is_some()
            || self.month.is_some()
            || self.tag.is_some()
            || self.confidence_below.is_some()
            || self.review_queue
            || !self.text.trim().is_empty()
    }

    /// This filter with everything [`ItemFilter::is_narrowed`] counts cleared; the kind
    /// toggles and *Rejected* stay as they are.
    pub fn cleared(&self) -> ItemFilter {
        ItemFilter {
            hidden_kinds: self.hidden_kinds.clone(),
            show_rejected: self.show_rejected,
            ..ItemFilter::default()
        }
    }

    /// This filter with everything [`ItemFilter::active`] reports cleared, the kind
    /// toggles back to their defaults too; *Rejected* stays as it is.
    pub fn without_active(&self) -> ItemFilter {
        ItemFilter {
            show_rejected: self.show_rejected,
            ..ItemFilter::default()
        }
    }

    /// The text to look for, trimmed and lower-cased once rather than per item.
    fn needle(&self) -> String {
        self.text.trim().to_lowercase()
    }

    /// Whether the filter lets `item` (with the analyst's `note` on it) through, for
    /// the text `needle_lowercase` ([`ItemFilter::needle`]). A corrected kind or district
    /// counts instead of the extracted one.
    fn matches_with(
        &self,
        item: &Item,
        note: Option<&ItemNote>,
        month: Option<Month>,
        needle_lowercase: &str,
    ) -> bool {
        if self.month.is_some() && month != self.month {
            return false;
        }
        let kind = note.and_then(|n| n.kind).unwrap_or(item.kind);
        if self.hidden_kinds.contains(&kind) {
            return false;
        }
        if !passes_review(note, self.show_rejected, self.tag.as_slice()) {
            return false;
        }
        if self.review_queue && note.is_some_and(ItemNote::is_reviewed) {
            return false;
        }
        if let Some(below) = self.confidence_below
            && !item
                .confidence
                .is_some_and(|c| c * 100.0 < f32::from(below))
        {
            return false;
        }
        if let Some(district) = &self.district {
            let item_district = note
                .and_then(|n| n.district.as_deref())
                .or(item.district.as_deref());
            if item_district != Some(district.as_str()) {
                return false;
            }
        }
        if let Some(document) = &self.document
            && item.file != *document
        {
            return false;
        }
        needle_lowercase.is_empty()
            || item_text_matches(item, needle_lowercase)
            || note.is_some_and(|n| n.note.to_lowercase().contains(needle_lowercase))
    }
}

/// How far review has come: items judged (accepted, rejected, corrected) of the items
/// the extractor found, cities and provinces aside. Manual items count as neither.
pub fn review_progress(items: &[Item], notes: &dyn NoteLookup) -> (usize, usize) {
    let mut reviewed = 0;
    let mut total = 0;
    for (index, item) in items.iter().enumerate() {
        let note = notes.note(index);
        if item.kind == ItemKind::City || note.is_some_and(|n| n.manual) {
            continue;
        }
        total += 1;
        if note.is_some_and(ItemNote::is_reviewed) {
            reviewed += 1;
        }
    }
    (reviewed, total)
}

/// The review part of the item filter, shared by the items table and the command
/// line's export: rejected items only when asked for, and with `tags` given, only items
/// carrying any of them.
pub fn passes_review(note: Option<&ItemNote>, show_rejected: bool, tags: &[u32]) -> bool {
    if !show_rejected && note.is_some_and(|n| n.rejected) {
        return false;
    }
    tags.is_empty() || note.is_some_and(|n| tags.iter().any(|t| n.tags.contains(t)))
}

fn item_text_matches(item: &Item, needle_lowercase: &str) -> bool {
    let contains = |haystack: &str| contains_ignoring_ascii_case(haystack, needle_lowercase);
    contains(&item.text)
        || item.canonical.as_deref().is_some_and(contains)
        || item.district.as_deref().is_some_and(contains)
        || contains(&item.file)
}

/// Substring search that folds ASCII case only (Chinese has none), without allocating:
/// it runs for every item on every keystroke.
fn contains_ignoring_ascii_case(haystack: &str, needle_lowercase: &str) -> bool {
    let needle = needle_lowercase.as_bytes();
    if !needle_lowercase.is_ascii() {
        // A needle with Chinese in it cannot occur in ASCII text (file names).
        return !haystack.is_ascii() && haystack.contains(needle_lowercase);
    }
    if needle.is_empty() {
        return true;
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// The rank of an item without a value in the column: last in either direction.
const MISSING_RANK: u32 = u32::MAX;

fn is_missing(item: &Item, column: ItemColumn) -> bool {
    match column {
        ItemColumn::District => item.district.is_none(),
        ItemColumn::Place => item.city.is_none() && item.province.is_none(),
        ItemColumn::Capacity => item.capacity.is_none(),
        ItemColumn::Date => item.date.is_none(),
        ItemColumn::Amount => item.amount_yuan.is_none(),
        ItemColumn::Post => item.titles.as_ref().is_none_or(|t| t.is_empty()),
        _ => false,
    }
}

/// Per-column ranks of the items (0 = first in ascending order), so that sorting a
/// large table compares integers instead of strings scattered over memory. Built once
/// per extraction, off the UI thread.
#[derive(Debug, Default, Clone)]
pub struct SortRanks {
    ranks: Vec<(ItemColumn, Vec<u32>)>,
}

impl SortRanks {
    /// Ranks for the columns whose order compares strings; documents by file name.
    pub fn new(items: &[Item]) -> SortRanks {
        SortRanks::with_titles(items, &std::collections::HashMap::new())
    }

    /// As [`SortRanks::new`], the Document column ordered by the titles the table shows
    /// (`titles`: file → title), then by file and place in the text.
    pub fn with_titles(
        items: &[Item],
        titles: &std::collections::HashMap<String, String>,
    ) -> SortRanks {
        let columns = [
            ItemColumn::Text,
            ItemColumn::District,
            ItemColumn::Place,
            ItemColumn::Capacity,
            ItemColumn::Date,
            ItemColumn::Document,
            ItemColumn::Post,
        ];
        let ranks = columns
            .into_par_iter()
            .map(|column| {
                // Place and post labels are built per item, so they are built once, not
                // per comparison.
                let label: Option<fn(&Item) -> Option<String>> = match column {
                    ItemColumn::Place => Some(place_of),
                    ItemColumn::Post => Some(post_of),
                    _ => None,
                };
                let labels: Vec<Option<String>> = match label {
                    Some(label) => items.par_iter().map(label).collect(),
                    None => Vec::new(),
                };
                let title = |item: &Item| titles.get(&item.file).map(String::as_str);
                let compare = |a: u32, b: u32| {
                    let (x, y) = (&items[a as usize], &items[b as usize]);
                    if label.is_some() {
                        missing_last(&labels[a as usize], &labels[b as usize], |o| o)
                    } else if column == ItemColumn::Document && !titles.is_empty() {
                        title(x)
                            .cmp(&title(y))
                            .then_with(|| compare_items(x, y, column, false))
                    } else {
                        compare_items(&items[a as usize], &items[b as usize], column, false)
                    }
                };
                let mut order: Vec<u32> = (0..items.len() as u32).collect();
                order.par_sort_by(|&a, &b| compare(a, b));
                let mut rank = vec![0u32; items.len()];
                let mut current = 0u32;
                for (position, &index) in order.iter().enumerate() {
                    if position > 0 && compare(order[position - 1], index) != Ordering::Equal {
                        current = position as u32;
                    }
                    rank[index as usize] = if is_missing(&items[index as usize], column) {
                        MISSING_RANK
                    } else {
                        current
                    };
                }
                (column, rank)
            })
            .collect();
        SortRanks { ranks }
    }

    fn of(&self, column: ItemColumn) -> Option<&[u32]> {
        self.ranks
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, r)| r.as_slice())
    }
}

/// Indices into `items` of the rows to show, filtered and sorted. Items are expected in
/// document order; ties keep it (the sort is stable).
pub fn item_rows(
    items: &[Item],
    notes: &dyn NoteLookup,
    months: &[Option<Month>],
    ranks: Option<&SortRanks>,
    filter: &ItemFilter,
    sort: Option<Sort<ItemColumn>>,
) -> Vec<u32> {
    let needle = filter.needle();
    let mut rows: Vec<u32> = (0..items.len() as u32)
        .into_par_iter()
        .filter(|&i| {
            let month = months.get(i as usize).copied().flatten();
            filter.matches_with(&items[i as usize], notes.note(i as usize), month, &needle)
        })
        .collect();
    // The queue's own order: least certain first (manual items have no confidence and
    // are judged already), ties in document order.
    if filter.review_queue {
        rows.par_sort_by(|&a, &b| {
            let confidence = |i: u32| items[i as usize].confidence.unwrap_or(f32::INFINITY);
            confidence(a).total_cmp(&confidence(b))
        });
        return rows;
    }
    if let Some(sort) = sort {
        let directed = |ordering: Ordering| directed(ordering, sort.descending);
        rows.par_sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            match sort.column {
                ItemColumn::Tags => {
                    let key = |i: usize| {
                        notes
                            .note(i)
                            .filter(|n| !n.tags.is_empty())
                            .map(|n| n.tags.iter().copied().collect::<Vec<u32>>())
                    };
                    missing_last(&key(a), &key(b), directed)
                }
                // A corrected amount sorts where it is shown.
                ItemColumn::Amount => {
                    let key = |i: usize| amount_in_effect(&items[i], notes.note(i));
                    match (key(a), key(b)) {
                        (Some(x), Some(y)) => directed(x.total_cmp(&y)),
                        (x, y) => missing_last(&x.map(|_| ()), &y.map(|_| ()), directed),
                    }
                }
                ItemColumn::Note => {
                    let key = |i: usize| {
                        notes
                            .note(i)
                            .map(|n| n.note.as_str())
                            .filter(|t| !t.is_empty())
                    };
                    missing_last(&key(a), &key(b), directed)
                }
                column => match ranks.and_then(|r| r.of(column)) {
                    // Items added after the ranks were built (manual ones) compare by
                    // value among themselves and go after the ranked ones.
                    Some(rank) => match (rank.get(a), rank.get(b)) {
                        (Some(&MISSING_RANK), Some(&MISSING_RANK)) => Ordering::Equal,
                        (Some(&MISSING_RANK), Some(_)) => Ordering::Greater,
                        (Some(_), Some(&MISSING_RANK)) => Ordering::Less,
                        (Some(x), Some(y)) => directed(x.cmp(y)),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => {
                            compare_items(&items[a], &items[b], column, sort.descending)
                        }
                    },
                    None => compare_items(&items[a], &items[b], column, sort.descending),
                },
            }
        });
    }
    rows
}

/// Orders two items by `column`; missing values go last in either direction. The
/// annotation columns (tags, note) compare equal here; [`item_rows`] orders them.
pub fn compare_items(a: &Item, b: &Item, column: ItemColumn, descending: bool) -> Ordering {
    let directed = |ordering: Ordering| directed(ordering, descending);
    match column {
        ItemColumn::Kind => directed(a.kind.cmp(&b.kind)),
        ItemColumn::Text => directed(a.text.cmp(&b.text)),
        ItemColumn::District => missing_last(&a.district, &b.district, directed),
        ItemColumn::Place => missing_last(&place_of(a), &place_of(b), directed),
        ItemColumn::Amount => match (a.amount_yuan, b.amount_yuan) {
            (Some(x), Some(y)) => directed(x.total_cmp(&y)),
            (x, y) => missing_last(&x.map(|_| ()), &y.map(|_| ()), directed),
        },
        ItemColumn::Capacity => missing_last(&a.capacity, &b.capacity, directed),
        ItemColumn::Confidence => match (a.confidence, b.confidence) {
            (Some(x), Some(y)) => directed(x.total_cmp(&y)),
            (x, y) => missing_last(&x.map(|_| ()), &y.map(|_| ()), directed),
        },
        ItemColumn::Post => missing_last(&post_of(a), &post_of(b), directed),
        ItemColumn::Date => missing_last(&a.date, &b.date, directed),
        ItemColumn::Document => directed(a.file.cmp(&b.file).then(a.start.cmp(&b.start))),
        ItemColumn::Tags | ItemColumn::Note => Ordering::Equal,
    }
}

fn missing_last<T: Ord>(
    a: &Option<T>,
    b: &Option<T>,
    directed: impl Fn(Ordering) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => directed(x.cmp(y)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The amount of an item as the article writes it: an amount's own text, a project's
/// stated investment.
pub fn amount_as_written(item: &Item) -> Option<&str> {
    match item.kind {
        ItemKind::Amount => Some(&item.text),
        _ => item.investment.as_deref(),
    }
}

/// An amount in yuan the way Chinese news writes it (`12.5亿元`, `3000万元`, `800元`):
/// how a corrected amount is shown and exported beside the extracted one.
pub fn amount_label(yuan: f64) -> String {
    let (value, unit) = if yuan.abs() >= 1e8 {
        (yuan / 1e8, "亿元")
    } else if yuan.abs() >= 1e4 {
        (yuan / 1e4, "万元")
    } else {
        (yuan, "元")
    };
    // Four decimals at most, without trailing zeros: 12.5, not 12.5000 or 12.499999.
    let rounded = format!("{value:.4}");
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    format!("{trimmed}{unit}")
}

/// The amount an item counts for: the analyst's correction, else the extraction.
pub fn amount_in_effect(item: &Item, note: Option<&ItemNote>) -> Option<f64> {
    note.and_then(|n| n.amount_yuan).or(item.amount_yuan)
}

/// An official's posts as one line (`市人大常委会副主任、清徐县委书记`).
pub fn post_of(item: &Item) -> Option<String> {
    item.titles
        .as_ref()
        .filter(|t| !t.is_empty())
        .map(|t| t.join("、"))
}

/// `city, province` of an item, the table's place column.
pub fn place_of(item: &Item) -> Option<String> {
    place_label(item.city.as_deref(), item.province.as_deref())
}

/// `city, province`, or whichever of the two is known (a province-level city once).
pub fn place_label(city: Option<&str>, province: Option<&str>) -> Option<String> {
    match (city, province) {
        (Some(city), Some(province)) if city != province => Some(format!("{city}, {province}")),
        (Some(city), _) => Some(city.to_owned()),
        (None, Some(province)) => Some(province.to_owned()),
        (None, None) => None,
    }
}

/// `ordering` as ascending, or reversed for a descending sort.
fn directed(ordering: Ordering, descending: bool) -> Ordering {
    if descending {
        ordering.reverse()
    } else {
        ordering
    }
}

/// One row of the district overview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictRow {
    pub name: String,
    pub code: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    /// Documents that mention the district or hold items attributed to it.
    pub documents: usize,
    /// Mentions of the district itself.
    pub mentions: usize,
    pub projects: usize,
    pub officials: usize,
    /// Sum of the stated investments of its projects, in 亿元 (10⁸ yuan), each project
    /// counted once however many articles state it. Only project investments count, not
    /// GDP or revenue figures.
    pub investment_yi: f64,
    /// Earliest and latest full dates (`YYYY-MM-DD`) of items attributed to it.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Totals its articles state (`签约项目11个 … 80.46亿元`), never added to
    /// `investment_yi` ([`attach_stated_totals`]).
    pub stated_totals: Vec<crate::insight::stated::StatedTotal>,
}

/// Gives each district its stated totals ([`crate::insight::stated::stated_totals`]).
pub fn attach_stated_totals(
    rows: &mut [DistrictRow],
    totals: Vec<crate::insight::stated::StatedTotal>,
) {
    for total in totals {
        if let Some(row) = rows.iter_mut().find(|r| r.name == total.district) {
            row.stated_totals.push(total);
        }
    }
}

/// A sortable column of the district overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DistrictColumn {
    Name,
    Place,
    Documents,
    Mentions,
    Projects,
    Officials,
    Investment,
    FirstDate,
    LastDate,
}

impl DistrictColumn {
    pub const ALL: [DistrictColumn; 9] = [
        DistrictColumn::Name,
        DistrictColumn::Place,
        DistrictColumn::Documents,
        DistrictColumn::Mentions,
        DistrictColumn::Projects,
        DistrictColumn::Officials,
        DistrictColumn::Investment,
        DistrictColumn::FirstDate,
        DistrictColumn::LastDate,
    ];
}

/// One row per county-level district that any item belongs to, sorted by name. The
/// investment counts each project group once ([`insight::investment_by_district`]);
/// `article_dates` (file → date) decide which of its figures is the latest.
pub fn district_overview(
    items: &[Item],
    article_dates: &std::collections::HashMap<String, String>,
) -> Vec<DistrictRow> {
    let mut rows: BTreeMap<&str, DistrictRow> = BTreeMap::new();
    let mut documents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut yearless: BTreeMap<&str, (Option<String>, Option<String>)> = BTreeMap::new();
    for item in items {
        // Items placed only as far as a city or province belong to no county.
        let Some(name) = item.county() else {
            continue;
        };
        let row = rows.entry(name).or_insert_with(|| DistrictRow {
            name: name.to_owned(),
            code: None,
            city: item.city.clone(),
            province: item.province.clone(),
            documents: 0,
            mentions: 0,
            projects: 0,
            officials: 0,
            investment_yi: 0.0,
            first_date: None,
            last_date: None,
            stated_totals: Vec::new(),
        });
        documents.entry(name).or_default().insert(&item.file);
        match item.kind {
            ItemKind::District if item.canonical.as_deref() == Some(name) => {
                row.mentions += 1;
                if row.code.is_none() {
                    row.code.clone_from(&item.code);
                }
            }
            ItemKind::Project => row.projects += 1,
            ItemKind::Official => row.officials += 1,
            ItemKind::Date => {
                // Dates with a year win; month-and-day dates (`--01-05`) stand in where
                // a folder writes no year at all, and never mix with dated ones.
                let date = item
                    .date
                    .as_deref()
                    .filter(|d| is_full_date(d) || insight::is_month_day(d));
                if let Some(date) = date {
                    if is_full_date(date) {
                        widen(&mut row.first_date, &mut row.last_date, date);
                    } else {
                        let (first, last) = yearless.entry(name).or_default();
                        widen(first, last, date);
                    }
                }
            }
            _ => {}
        }
    }
    let input = insight::projects::GroupingInput {
        items,
        notes: &NoNotes,
        stages: &[],
        article_dates,
    };
    let groups = insight::projects::group_projects(&input, 0..items.len());
    for investment in insight::investment_by_district(&groups) {
        if let Some(row) = rows.get_mut(investment.district.as_str()) {
            row.investment_yi = investment.yuan / 1e8;
        }
    }
    for (name, (first, last)) in yearless {
        if let Some(row) = rows.get_mut(name)
            && row.first_date.is_none()
        {
            row.first_date = first;
            row.last_date = last;
        }
    }
    rows.into_iter()
        .map(|(name, mut row)| {
            row.documents = documents.get(name).map_or(0, BTreeSet::len);
            row
        })
        .collect()
}

/// Stretches `first..last` to take in `date` (dates of one form compare as text).
fn widen(first: &mut Option<String>, last: &mut Option<String>, date: &str) {
    if first.as_deref().is_none_or(|f| date < f) {
        *first = Some(date.to_owned());
    }
    if last.as_deref().is_none_or(|l| date > l) {
        *last = Some(date.to_owned());
    }
}

fn is_full_date(date: &str) -> bool {
    date.len() == 10 && !date.starts_with('-')
}

/// Sorts district rows in place (stable; ties keep name order).
/// With `names_by_pinyin`, names sort by their pinyin (清徐 among the q's) rather than
/// by code point.
pub fn sort_districts(rows: &mut [DistrictRow], sort: Sort<DistrictColumn>, names_by_pinyin: bool) {
    if names_by_pinyin && sort.column == DistrictColumn::Name {
        rows.sort_by_cached_key(|row| crate::place_names::sort_key(&row.name));
        if sort.descending {
            rows.reverse();
        }
        return;
    }
    rows.sort_by(|a, b| {
        let directed = |ordering: Ordering| directed(ordering, sort.descending);
        match sort.column {
            DistrictColumn::Name => directed(a.name.cmp(&b.name)),
            DistrictColumn::Place => {
                directed((&a.province, &a.city, &a.name).cmp(&(&b.province, &b.city, &b.name)))
            }
            DistrictColumn::Documents => directed(a.documents.cmp(&b.documents)),
            DistrictColumn::Mentions => directed(a.mentions.cmp(&b.mentions)),
            DistrictColumn::Projects => directed(a.projects.cmp(&b.projects)),
            DistrictColumn::Officials => directed(a.officials.cmp(&b.officials)),
            DistrictColumn::Investment => directed(a.investment_yi.total_cmp(&b.investment_yi)),
            DistrictColumn::FirstDate => missing_last(&a.first_date, &b.first_date, directed),
            DistrictColumn::LastDate => missing_last(&a.last_date, &b.last_date, directed),
        }
    });
}

/// How the documents list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentOrder {
    /// By relative path, as loaded.
    #[default]
    File,
    Title,
    /// Newest first; undated last.
    Date,
    /// Most items first.
    Items,
    Encoding,
}

impl DocumentOrder {
    pub const ALL: [DocumentOrder; 5] = [
        DocumentOrder::File,
        DocumentOrder::Title,
        DocumentOrder::Date,
        DocumentOrder::Items,
        DocumentOrder::Encoding,
    ];
}

/// The documents list's rows: the indices of the documents whose title or file name
/// holds `query` (case-insensitive), in `order`, the ones that failed to load first when
/// `errors_first`. `item_counts` is per document; `dates` maps file to article date.
pub fn document_rows(
    documents: &[crate::Document],
    item_counts: &[usize],
    dates: &std::collections::HashMap<String, String>,
    query: &str,
    order: DocumentOrder,
    errors_first: bool,
) -> Vec<usize> {
    let query = query.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..documents.len())
        .filter(|&i| {
            let d = &documents[i];
            query.is_empty()
                || d.title.to_lowercase().contains(&query)
                || d.file.to_lowercase().contains(&query)
        })
        .collect();
    rows.sort_by(|&a, &b| {
        let (da, db) = (&documents[a], &documents[b]);
        let errors = if errors_first {
            db.error.is_some().cmp(&da.error.is_some())
        } else {
            Ordering::Equal
        };
        let by_order = match order {
            DocumentOrder::File => Ordering::Equal,
            DocumentOrder::Title => da.label().cmp(db.label()),
            DocumentOrder::Date => match (dates.get(&da.file), dates.get(&db.file)) {
                (Some(x), Some(y)) => y.cmp(x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            DocumentOrder::Items => item_counts[b].cmp(&item_counts[a]),
            DocumentOrder::Encoding => da.encoding.cmp(&db.encoding),
        };
        errors.then(by_order).then_with(|| da.file.cmp(&db.file))
    });
    rows
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The documents list searches titles and file names and sorts by title, date,
    /// item count or encoding, with the files that failed to load first.
    #[test]
    fn documents_are_found_by_title_and_sorted_with_errors_first() {
        let mut documents: Vec<crate::Document> = [
            ("a.txt", "清徐县签约", "UTF-8"),
            ("b.txt", "阳曲县开工", "gb18030"),
            ("c.txt", "古交市光伏", "UTF-8"),
            ("d.txt", "", "UTF-8"),
        ]
        .iter()
        .map(|(file, title, encoding)| {
            let mut d = crate::Document::from_text(file, "正文");
            d.title = (*title).to_owned();
            d.encoding = Some((*encoding).to_owned());
            d
        })
        .collect();
        documents[3].error = Some(crate::error::DocumentError::internal(std::path::Path::new(
            "d.txt",
        )));
        let counts = [3, 9, 1, 0];
        let dates: std::collections::HashMap<String, String> = [
            ("a.txt".to_owned(), "2023-01-05".to_owned()),
            ("c.txt".to_owned(), "2024-02-01".to_owned()),
        ]
        .into();
        let rows =
            |query: &str, order| document_rows(&documents, &counts, &dates, query, order, true);
        assert_eq!(rows("", DocumentOrder::File), [3, 0, 1, 2]);
        assert_eq!(rows("", DocumentOrder::Items), [3, 1, 0, 2]);
        assert_eq!(rows("", DocumentOrder::Date), [3, 2, 0, 1]);
        assert_eq!(rows("", DocumentOrder::Encoding), [3, 0, 2, 1]);
        assert_eq!(rows("", DocumentOrder::Title), [3, 2, 0, 1]);
        assert_eq!(rows("县", DocumentOrder::File), [0, 1]);
        assert_eq!(rows("C.TXT", DocumentOrder::File), [2]);
        let plain = document_rows(&documents, &counts, &dates, "", DocumentOrder::File, false);
        assert_eq!(plain, [0, 1, 2, 3]);
    }

    /// A district whose articles write no year still gets first and last dates, from
    /// the months and days they do write; dated mentions win where there are any.
    #[test]
    fn districts_take_month_and_day_dates_when_no_year_is_written() {
        let date = |district: &str, date: &str| {
            let mut item = item("日期", Some(district), Some(date), None);
            item.kind = ItemKind::Date;
            item
        };
        let items = vec![
            date("清徐县", "--03-02"),
            date("清徐县", "--01-05"),
            date("阳曲县", "--01-05"),
            date("阳曲县", "2023-06-01"),
        ];
        let rows = district_overview(&items, &Default::default());
        let qingxu = rows.iter().find(|r| r.name == "清徐县").unwrap();
        assert_eq!(qingxu.first_date.as_deref(), Some("--01-05"));
        assert_eq!(qingxu.last_date.as_deref(), Some("--03-02"));
        let yangqu = rows.iter().find(|r| r.name == "阳曲县").unwrap();
        assert_eq!(yangqu.first_date.as_deref(), Some("2023-06-01"));
        assert_eq!(yangqu.last_date.as_deref(), Some("2023-06-01"));
    }

    /// The Document column shows titles, so it sorts by them.
    #[test]
    fn documents_sort_by_their_titles() {
        let mut a = item("甲", None, None, None);
        a.file = "a.txt".into();
        let mut b = item("乙", None, None, None);
        b.file = "b.txt".into();
        let items = vec![a, b];
        let titles = std::collections::HashMap::from([
            ("a.txt".to_owned(), "清徐县开工".to_owned()),
            ("b.txt".to_owned(), "万柏林区".to_owned()),
        ]);
        let ranks = SortRanks::with_titles(&items, &titles);
        let rows = item_rows(
            &items,
            &NoNotes,
            &[],
            Some(&ranks),
            &ItemFilter::default(),
            Some(Sort {
                column: ItemColumn::Document,
                descending: false,
            }),
        );
        assert_eq!(rows, vec![1, 0], "万 (U+4E07) before 清 (U+6E05)");
    }

    #[test]
    fn amounts_are_labelled_as_news_writes_them() {
        assert_eq!(amount_label(12.5e8), "12.5亿元");
        assert_eq!(amount_label(8.16e8), "8.16亿元");
        assert_eq!(amount_label(3000e4), "3000万元");
        assert_eq!(amount_label(800.0), "800元");
        assert_eq!(amount_label(1e8 / 3.0), "3333.3333万元");
    }

    /// One item's note, for sorting and filtering with annotations.
    struct OneNote(usize, ItemNote);

    impl NoteLookup for OneNote {
        fn note(&self, item: usize) -> Option<&ItemNote> {
            (item == self.0).then_some(&self.1)
        }
    }

    #[test]
    fn a_corrected_amount_sorts_where_it_is_shown() {
        let items = vec![
            item("甲", None, None, Some(1e8)),
            item("乙", None, None, Some(2e8)),
            item("丙", None, None, Some(3e8)),
        ];
        let mut note = ItemNote::on(&items[0]);
        note.amount_yuan = Some(5e8);
        let sorted = item_rows(
            &items,
            &OneNote(0, note),
            &[],
            None,
            &ItemFilter::default(),
            Some(Sort {
                column: ItemColumn::Amount,
                descending: true,
            }),
        );
        assert_eq!(sorted, vec![0, 2, 1]);
    }

    #[test]
    fn confidence_filter_keeps_only_doubtful_extracted_items() {
        let mut sure = item("瑞梅铁路", None, None, None);
        sure.confidence = Some(0.95);
        let mut doubtful = item("形象工程", None, None, None);
        doubtful.confidence = Some(0.55);
        let manual = item("手工", None, None, None);
        let items = vec![sure, doubtful, manual];
        let filter = ItemFilter {
            confidence_below: Some(80),
            ..ItemFilter::default()
        };
        let notes = NoNotes;
        let rows = item_rows(&items, &notes, &[], None, &filter, None);
        assert_eq!(rows, vec![1]);
        assert!(filter.is_narrowed());
        let sorted = item_rows(
            &items,
            &notes,
            &[],
            None,
            &ItemFilter::default(),
            Some(Sort {
                column: ItemColumn::Confidence,
                descending: false,
            }),
        );
        assert_eq!(sorted, vec![1, 0, 2], "ascending confidence, missing last");
    }

    fn item(text: &str, district: Option<&str>, date: Option<&str>, amount: Option<f64>) -> Item {
        let mut item = Item::bare(
            text.into(),
            ItemKind::Project,
            "a.txt".into(),
            text.into(),
            0..1,
        );
        item.district = district.map(str::to_owned);
        item.date = date.map(str::to_owned);
        item.amount_yuan = amount;
        item
    }

    fn items() -> Vec<Item> {
        vec![
            item("清源水城", Some("清徐县"), Some("2023-01-10"), Some(8.16e8)),
            item("大学城", None, None, None),
            item("南部新城", Some("阳曲县"), Some("2022-12-01"), Some(2.0e8)),
            item("清源水城", Some("清徐县"), None, Some(1.5e9)),
            item("卫星城", Some("万柏林区"), Some("2023-05-02"), None),
        ]
    }

    #[test]
    fn ranked_sorting_equals_sorting_by_value_with_missing_last() {
        let items = items();
        let ranks = SortRanks::new(&items);
        let filter = ItemFilter::default();
        for column in ItemColumn::ALL {
            for descending in [false, true] {
                let sort = Some(Sort { column, descending });
                let ranked = item_rows(&items, &NoNotes, &[], Some(&ranks), &filter, sort);
                let by_value = item_rows(&items, &NoNotes, &[], None, &filter, sort);
                assert_eq!(ranked, by_value, "{column:?} descending={descending}");
            }
        }
        let by_date_desc = item_rows(
            &items,
            &NoNotes,
            &[],
            Some(&ranks),
            &filter,
            Some(Sort {
                column: ItemColumn::Date,
                descending: true,
            }),
        );
        assert_eq!(
            by_date_desc,
            [4, 0, 2, 1, 3],
            "missing dates last, ties stable"
        );
        let by_amount_desc = item_rows(
            &items,
            &NoNotes,
            &[],
            Some(&ranks),
            &filter,
            Some(Sort {
                column: ItemColumn::Amount,
                descending: true,
            }),
        );
        assert_eq!(by_amount_desc, [3, 0, 2, 1, 4]);
    }

    #[test]
    fn filter_text_matches_ascii_case_insensitively_and_chinese_exactly() {
        let items = items();
        let filter = |text: &str| ItemFilter {
            text: text.to_owned(),
            ..ItemFilter::default()
        };
        let rows = |f: &ItemFilter| item_rows(&items, &NoNotes, &[], None, f, None);
        assert_eq!(rows(&filter("清徐")), [0, 3]);
        assert_eq!(rows(&filter("A.TXT")).len(), items.len());
        assert!(rows(&filter("清徐 县")).is_empty());
    }

    /// The command line's `--tag A --tag B` keeps items with either tag, and rejected
    /// items only with `--with-rejected`, by the same predicate as the table.
    #[test]
    fn the_review_filter_is_shared() {
        let tagged = |tags: &[u32], rejected: bool| ItemNote {
            tags: tags.iter().copied().collect(),
            rejected,
            ..ItemNote::default()
        };
        assert!(passes_review(None, false, &[]));
        assert!(!passes_review(None, false, &[1]));
        assert!(passes_review(Some(&tagged(&[2], false)), false, &[1, 2]));
        assert!(!passes_review(Some(&tagged(&[2], true)), false, &[1, 2]));
        assert!(passes_review(Some(&tagged(&[2], true)), true, &[1, 2]));
        assert!(!passes_review(Some(&tagged(&[3], false)), true, &[1, 2]));
    }
}
