//! Measuring extraction against gold annotations (`GUIDELINES.md`): precision, recall
//! and F1 per kind and per source group, the reliability of the confidence, and
//! training the scorer. Matching follows `shared/tools/score.py`: NFKC, no whitespace or
//! quote marks, a trailing 项目 insignificant, aliases and alternatives accepted,
//! optional gold items neither rewarded nor penalised, project names matched leniently.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::extract::scorer::Model;
use crate::extract::scoring::Candidate;
use crate::extract::{Extractor, Item, ItemKind};
use crate::{LoadOptions, corpus};

/// The kinds the gold scores.
pub const SCORED_KINDS: [ItemKind; 5] = [
    ItemKind::District,
    ItemKind::Official,
    ItemKind::Project,
    ItemKind::Amount,
    ItemKind::Date,
];

const QUOTES: &[char] = &[
    '“', '”', '‘', '’', '"', '\'', '「', '」', '『', '』', '《', '》',
];

/// A string as the gold compares it.
pub fn norm(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !QUOTES.contains(c))
        .collect()
}

pub fn norm_project(s: &str) -> String {
    let n = norm(s);
    match n.strip_suffix("项目") {
        Some(stem) if !stem.is_empty() => stem.to_owned(),
        _ => n,
    }
}

/// Character bigrams, or the string itself when it has fewer than two characters (as
/// score.py: `{s[i:i + 2] …} or {s}`).
fn bigrams(s: &str) -> HashSet<String> {
    let chars: Vec<char> = s.chars().collect();
    let set: HashSet<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    if set.is_empty() {
        HashSet::from([s.to_owned()])
    } else {
        set
    }
}

/// score.py's lenient project match: equal, or one contains the other and the shorter
/// covers at least 60 % of the longer, or character-bigram Dice ≥ 0.6.
pub fn project_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if !short.is_empty()
        && long.contains(short)
        && short.chars().count() as f64 >= 0.6 * long.chars().count() as f64
    {
        return true;
    }
    let (x, y) = (bigrams(a), bigrams(b));
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64 >= 0.6
}

/// One gold item: the names it may be written as, and whether it counts.
#[derive(Debug, Clone)]
struct GoldItem {
    names: Vec<String>,
    required: bool,
}

/// The gold of one article.
#[derive(Debug, Clone, Default)]
pub struct GoldDoc {
    items: BTreeMap<ItemKind, Vec<GoldItem>>,
}

impl GoldDoc {
    /// Reads a gold file's JSON.
    pub fn parse(json: &str) -> Result<GoldDoc, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let strings = |v: &serde_json::Value, keys: &[&str]| -> Vec<String> {
            let mut out = Vec::new();
            for key in keys {
                match v.get(*key) {
                    Some(serde_json::Value::String(s)) => out.push(s.clone()),
                    Some(serde_json::Value::Array(list)) => {
                        out.extend(list.iter().filter_map(|x| x.as_str().map(str::to_owned)))
                    }
                    _ => {}
                }
            }
            out
        };
        let list = |key: &str| {
            value
                .get(key)
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default()
        };
        let mut doc = GoldDoc::default();
        // score.py's gold_names: the named keys, plus `aliases` and `alt` where the kind
        // has them (districts and projects); a project's source_span also counts.
        let mut add = |kind: ItemKind, key: &str, names: &[&str]| {
            let normalise = if kind == ItemKind::Project {
                norm_project
            } else {
                norm
            };
            let entries = list(key)
                .iter()
                .map(|v| GoldItem {
                    names: strings(v, names).iter().map(|n| normalise(n)).collect(),
                    required: v.get("required").and_then(|r| r.as_bool()).unwrap_or(true),
                })
                .collect();
            doc.items.insert(kind, entries);
        };
        add(
            ItemKind::District,
            "districts",
            &["name", "canonical", "aliases", "alt"],
        );
        add(ItemKind::Official, "officials", &["name"]);
        add(
            ItemKind::Project,
            "projects",
            &["name", "aliases", "alt", "source_span"],
        );
        add(ItemKind::Amount, "amounts", &["amount"]);
        add(ItemKind::Date, "dates", &["date"]);
        Ok(doc)
    }

    fn of(&self, kind: ItemKind) -> &[GoldItem] {
        self.items.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }
}

/// How the gold compares an item of `kind`.
fn key_of(item: &Item) -> String {
    match item.kind {
        ItemKind::District => norm(item.canonical.as_deref().unwrap_or(&item.text)),
        ItemKind::Project => norm_project(&item.text),
        _ => norm(&item.text),
    }
}

fn same(kind: ItemKind, a: &str, b: &str) -> bool {
    if kind == ItemKind::Project {
        project_match(a, b)
    } else {
        a == b
    }
}

/// Is this candidate right? `Some(true)` when it matches a required gold item,
/// `Some(false)` when it matches none, `None` when it matches only optional ones (the
/// gold neither rewards nor penalises it) or its kind is not scored.
pub fn label(item: &Item, gold: &GoldDoc) -> Option<bool> {
    if !SCORED_KINDS.contains(&item.kind) {
        return None;
    }
    let key = key_of(item);
    let hits: Vec<&GoldItem> = gold
        .of(item.kind)
        .iter()
        .filter(|g| g.names.iter().any(|n| same(item.kind, &key, n)))
        .collect();
    if hits.is_empty() {
        Some(false)
    } else if hits.iter().any(|g| g.required) {
        Some(true)
    } else {
        None
    }
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores one document's items of one kind as score.py does (greedy one-to-one; a
/// repeat of an already matched gold item is no error; districts and officials are
/// compared as sets of names).
pub fn score(items: &[Item], gold: &GoldDoc, kind: ItemKind) -> Counts {
    let mut keys: Vec<String> = items
        .iter()
        .filter(|i| i.kind == kind)
        .map(key_of)
        .collect();
    if matches!(kind, ItemKind::District | ItemKind::Official) {
        let mut seen = HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
    }
    let gold_items = gold.of(kind);
    let mut used = vec![false; gold_items.len()];
    let mut counts = Counts::default();
    for key in &keys {
        let matches = |g: &GoldItem| g.names.iter().any(|n| same(kind, key, n));
        match (0..gold_items.len()).find(|i| !used[*i] && matches(&gold_items[*i])) {
            Some(i) => {
                used[i] = true;
                if gold_items[i].required {
                    counts.tp += 1;
                }
            }
            None => {
                if !gold_items.iter().any(matches) {
                    counts.fp += 1;
                }
            }
        }
    }
    counts.fn_ = gold_items
        .iter()
        .zip(&used)
        .filter(|(g, u)| g.required && !**u)
        .count();
    counts
}

/// An article of an evaluation set: its group, candidates and gold.
pub struct Sample {
    pub file: String,
    pub group: String,
    pub candidates: Vec<Candidate>,
    pub gold: GoldDoc,
}

/// The source group of a file, from its name: `cctv_20220121_10.txt` → cctv; the
/// Xinhua files (`gen_`, `num_`) → xinhua; numbered sample articles → seeds.
pub fn group_of(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let prefix = stem.split('_').next().unwrap_or(stem);
    match prefix {
        "gen" | "num" => "xinhua".to_owned(),
        p if p.chars().all(|c| c.is_ascii_digit()) => "seeds".to_owned(),
        p => p.to_owned(),
    }
}

/// Why an evaluation set could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error(transparent)]
    Folder(#[from] crate::Error),
    #[error("gold file is not valid JSON ({source}): {path}")]
    Gold {
        source: serde_json::Error,
        path: std::path::PathBuf,
    },
}

/// Loads every article of `articles` that has a gold file in `gold_dir`, with all
/// candidates of the rules.
pub fn load_samples(gold_dir: &Path, articles: &Path) -> Result<Vec<Sample>, EvaluateError> {
    let extractor = Extractor::shared();
    let mut samples = Vec::new();
    for entry in corpus::scan(articles)? {
        let document = corpus::load_entry(&entry, &LoadOptions::default());
        let stem = Path::new(&document.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold_path = gold_dir.join(format!("{stem}.json"));
        let Ok(json) = std::fs::read_to_string(&gold_path) else {
            continue;
        };
        let gold = GoldDoc::parse(&json).map_err(|source| EvaluateError::Gold {
            source,
            path: gold_path.clone(),
        })?;
        samples.push(Sample {
            group: group_of(&document.file),
            candidates: extractor.candidates(&document.file, &document.text),
            file: document.file,
            gold,
        });
    }
    Ok(samples)
}

/// Labelled examples for training from samples.
pub fn examples(samples: &[&Sample]) -> Vec<(ItemKind, Vec<String>, bool)> {
    samples
        .iter()
        .flat_map(|s| {
            s.candidates.iter().filter_map(|c| {
                label(&c.item, &s.gold).map(|y| (c.item.kind, c.features.clone(), y))
            })
        })
        .collect()
}

/// Scores per group and kind of the items `model` keeps.
pub fn evaluate(
    samples: &[&Sample],
    model: &Model,
) -> BTreeMap<String, BTreeMap<ItemKind, Counts>> {
    let mut table: BTreeMap<String, BTreeMap<ItemKind, Counts>> = BTreeMap::new();
    for sample in samples {
        let items: Vec<Item> = sample
            .candidates
            .iter()
            .filter_map(|c| c.clone().scored(model))
            .collect();
        for kind in SCORED_KINDS {
            let counts = score(&items, &sample.gold, kind);
            for group in [sample.group.as_str(), "all"] {
                table
                    .entry(group.to_owned())
                    .or_default()
                    .entry(kind)
                    .or_default()
                    .add(counts);
            }
        }
    }
    table
}

/// A table of the scores: one row per group, P/R/F1 per kind and the macro-F1.
pub fn format_scores(table: &BTreeMap<String, BTreeMap<ItemKind, Counts>>) -> String {
    let mut out = String::from(
        "| group | district | official | project | amount | date | macro-F1 |\n|---|---|---|---|---|---|---|\n",
    );
    let mut rows: Vec<String> = table.keys().filter(|g| *g != "all").cloned().collect();
    rows.push("all".to_owned());
    for group in rows {
        let Some(kinds) = table.get(&group) else {
            continue;
        };
        let mut cells = Vec::new();
        let mut macro_f1 = 0.0;
        for kind in SCORED_KINDS {
            let c = kinds.get(&kind).copied().unwrap_or_default();
            macro_f1 += c.f1() / SCORED_KINDS.len() as f64;
            cells.push(format!(
                "{:.2} / {:.2} / **{:.2}**",
                c.precision(),
                c.recall(),
                c.f1()
            ));
        }
        out.push_str(&format!(
            "| {group} | {} | {macro_f1:.3} |\n",
            cells.join(" | ")
        ));
    }
    out
}

/// Reliability of the confidence: for bins of confidence, how many shown items there
/// are and how many of them are right (items matching only optional gold left out).
pub fn reliability(samples: &[&Sample], model: &Model, kinds: &[ItemKind]) -> String {
    let scored: Vec<(&Sample, &Model)> = samples.iter().map(|s| (*s, model)).collect();
    reliability_of(&scored, kinds)
}

/// As [`reliability`], each sample scored by its own model: pooled over the
/// leave-one-source-out folds, the out-of-sample reliability.
pub fn reliability_of(scored: &[(&Sample, &Model)], kinds: &[ItemKind]) -> String {
    const BINS: [(f64, f64); 6] = [
        (0.5, 0.6),
        (0.6, 0.7),
        (0.7, 0.8),
        (0.8, 0.9),
        (0.9, 0.95),
        (0.95, 1.01),
    ];
    let mut right = [0usize; 6];
    let mut total = [0usize; 6];
    let (mut high_right, mut high_total) = (0, 0);
    for (sample, model) in scored {
        for candidate in &sample.candidates {
            if !kinds.contains(&candidate.item.kind) {
                continue;
            }
            let Some(item) = candidate.clone().scored(model) else {
                continue;
            };
            let Some(correct) = label(&item, &sample.gold) else {
                continue;
            };
            let confidence = f64::from(item.confidence.unwrap_or(0.0));
            if let Some(bin) = BINS
                .iter()
                .position(|(lo, hi)| confidence >= *lo && confidence < *hi)
            {
                total[bin] += 1;
                right[bin] += usize::from(correct);
            }
            if confidence >= 0.8 {
                high_total += 1;
                high_right += usize::from(correct);
            }
        }
    }
    let mut out =
        String::from("| confidence | items | right | observed precision |\n|---|---|---|---|\n");
    for (i, (lo, hi)) in BINS.iter().enumerate() {
        let hi = hi.min(1.0);
        out.push_str(&format!(
            "| {lo:.2}–{hi:.2} | {} | {} | {} |\n",
            total[i],
            right[i],
            if total[i] == 0 {
                "–".to_owned()
            } else {
                format!("{:.3}", ratio(right[i], total[i]))
            }
        ));
    }
    out.push_str(&format!(
        "| ≥ 0.80 | {high_total} | {high_right} | {:.3} |\n",
        ratio(high_right, high_total)
    ));
    out
}

/// What it takes to reach 100 % precision among shown items, in key presses or rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewEffort {
    /// Items shown (scored kinds the gold judges).
    pub items: usize,
    /// Of which wrong.
    pub wrong: usize,
    /// Key presses through the review queue (least certain first, one accept or reject
    /// each) until the last wrong item is rejected.
    pub queue_presses: usize,
    /// Rows read in document order until the last wrong item is found.
    pub rows_read: usize,
}

/// [`ReviewEffort`] of items in document order, each with its confidence and whether it
/// is right.
pub fn review_effort_of(items: &[(f32, bool)]) -> ReviewEffort {
    let last_wrong = |order: &[usize]| {
        order
            .iter()
            .rposition(|&i| !items[i].1)
            .map_or(0, |p| p + 1)
    };
    let document_order: Vec<usize> = (0..items.len()).collect();
    let mut queue_order = document_order.clone();
    queue_order.sort_by(|&a, &b| items[a].0.total_cmp(&items[b].0));
    ReviewEffort {
        items: items.len(),
        wrong: items.iter().filter(|(_, right)| !right).count(),
        queue_presses: last_wrong(&queue_order),
        rows_read: last_wrong(&document_order),
    }
}

/// [`ReviewEffort`] over the samples, for the kinds given, with `model`'s items.
pub fn review_effort(samples: &[&Sample], model: &Model, kinds: &[ItemKind]) -> ReviewEffort {
    let mut items = Vec::new();
    for sample in samples {
        for candidate in &sample.candidates {
            if !kinds.contains(&candidate.item.kind) {
                continue;
            }
            let Some(item) = candidate.clone().scored(model) else {
                continue;
            };
            if let Some(right) = label(&item, &sample.gold) {
                items.push((item.confidence.unwrap_or(1.0), right));
            }
        }
    }
    review_effort_of(&items)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue puts the doubtful first: the wrong items are reached sooner than by
    /// reading the rows in order.
    #[test]
    fn the_queue_reaches_the_wrong_items_first() {
        let items = [
            (0.99, true),
            (0.95, true),
            (0.55, false),
            (0.98, true),
            (0.6, false),
            (0.97, true),
        ];
        let effort = review_effort_of(&items);
        assert_eq!(
            effort,
            ReviewEffort {
                items: 6,
                wrong: 2,
                queue_presses: 2,
                rows_read: 5
            }
        );
        assert_eq!(review_effort_of(&[(0.9, true)]).queue_presses, 0);
    }

    #[test]
    fn matching_follows_the_guidelines() {
        assert_eq!(norm("“晋祠” 景区"), "晋祠景区");
        assert_eq!(norm("１２７３万元"), "1273万元");
        assert_eq!(norm_project("清源水城项目"), "清源水城");
        assert!(project_match(
            "寻乌到广东龙川高速公路",
            "寻乌到广东龙川高速"
        ));
        assert!(!project_match("形象工程", "文化惠民工程"));
    }

    #[test]
    fn scoring_counts_like_score_py() {
        let gold = GoldDoc::parse(
            r#"{"projects": [{"name": "瑞梅铁路", "alt": ["瑞金至梅州铁路"]},
                             {"name": "三峡水库", "required": false}],
                "officials": [{"name": "李强"}]}"#,
        )
        .unwrap();
        let item = |kind, text: &str| {
            Item::bare(
                String::new(),
                kind,
                "f.txt".into(),
                text.into(),
                0..text.chars().count(),
            )
        };
        let items = vec![
            item(ItemKind::Project, "瑞梅铁路"),
            item(ItemKind::Project, "瑞梅铁路项目"),
            item(ItemKind::Project, "三峡水库"),
            item(ItemKind::Project, "形象工程"),
        ];
        assert_eq!(
            score(&items, &gold, ItemKind::Project),
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            score(&items, &gold, ItemKind::Official),
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(label(&items[2], &gold), None);
        assert_eq!(label(&items[3], &gold), Some(false));
        assert_eq!(label(&items[0], &gold), Some(true));
        assert_eq!(group_of("gen_000492.txt"), "xinhua");
        assert_eq!(group_of("000_0231f8137fa1da98.txt"), "seeds");
    }
}
