//! Extraction accuracy on the five seed articles against the hand-made gold
//! (`tests/gold/`, a copy of shared/gold). Matching follows GUIDELINES.md and
//! shared/tools/score.py exactly: NFKC, no whitespace or quotes, a trailing 项目 is
//! insignificant, aliases/alt accepted, optional items neither rewarded nor penalised,
//! project names matched leniently.

mod common;

use std::collections::{BTreeMap, HashSet};

use policylens::{Item, ItemKind};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

const QUOTES: &[char] = &[
    '“', '”', '‘', '’', '"', '\'', '「', '」', '『', '』', '《', '》',
];

fn norm(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !QUOTES.contains(c))
        .collect()
}

fn norm_project(s: &str) -> String {
    let n = norm(s);
    match n.strip_suffix("项目") {
        Some(stem) if !stem.is_empty() => stem.to_owned(),
        _ => n,
    }
}

fn bigrams(s: &str) -> HashSet<String> {
    let chars: Vec<char> = s.chars().collect();
    let set: HashSet<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    if set.is_empty() {
        std::iter::once(s.to_owned()).collect()
    } else {
        set
    }
}

fn project_match(a: &str, b: &str) -> bool {
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

fn names(entry: &Value, keys: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for key in keys {
        if let Some(s) = entry.get(*key).and_then(Value::as_str) {
            out.push(s.to_owned());
        }
    }
    for key in ["aliases", "alt"] {
        for a in entry
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = a.as_str() {
                out.push(s.to_owned());
            }
        }
    }
    out
}

/// Greedy one-to-one matching as in score.py: (tp, fp, fn).
fn match_sets(
    pred: &[String],
    gold: &[(Vec<String>, bool)],
    same: &dyn Fn(&str, &str) -> bool,
) -> (usize, usize, usize) {
    let mut used = vec![false; gold.len()];
    let (mut tp, mut fp) = (0, 0);
    for p in pred {
        let hit = gold
            .iter()
            .enumerate()
            .position(|(i, (names, _))| !used[i] && names.iter().any(|n| same(p, n)));
        match hit {
            Some(i) => {
                used[i] = true;
                if gold[i].1 {
                    tp += 1;
                }
            }
            None => {
                if !gold
                    .iter()
                    .any(|(names, _)| names.iter().any(|n| same(p, n)))
                {
                    fp += 1;
                }
            }
        }
    }
    let fn_ = gold
        .iter()
        .enumerate()
        .filter(|(i, (_, req))| *req && !used[*i])
        .count();
    (tp, fp, fn_)
}

fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

fn scores() -> BTreeMap<&'static str, f64> {
    let extraction = common::sample_extraction();
    let mut totals: BTreeMap<&'static str, (usize, usize, usize)> = BTreeMap::new();
    let gold_dir = common::repo_path("tests/gold");
    let mut files: Vec<_> = std::fs::read_dir(&gold_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut seen = 0;
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        seen += 1;
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let base = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let items: Vec<&Item> = extraction
            .items
            .iter()
            .filter(|i| {
                std::path::Path::new(&i.file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    == Some(base.as_str())
            })
            .collect();
        let of = |kind: ItemKind| items.iter().filter(move |i| i.kind == kind);
        let required = |v: &Value| v.get("required").and_then(Value::as_bool).unwrap_or(true);
        let list = |key: &str| gold[key].as_array().cloned().unwrap_or_default();
        let eq = |a: &str, b: &str| a == b;
        let mut add = |kind: &'static str, r: (usize, usize, usize)| {
            let t = totals.entry(kind).or_default();
            t.0 += r.0;
            t.1 += r.1;
            t.2 += r.2;
        };

        let mut districts: Vec<String> = of(ItemKind::District)
            .map(|i| norm(i.canonical.as_deref().unwrap_or(&i.text)))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        districts.sort();
        let gold_d: Vec<_> = list("districts")
            .iter()
            .map(|d| {
                (
                    names(d, &["name", "canonical"])
                        .iter()
                        .map(|n| norm(n))
                        .collect(),
                    required(d),
                )
            })
            .collect();
        add("district", match_sets(&districts, &gold_d, &eq));

        let mut officials: Vec<String> = of(ItemKind::Official)
            .map(|i| norm(&i.text))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        officials.sort();
        let gold_o: Vec<_> = list("officials")
            .iter()
            .map(|o| (vec![norm(o["name"].as_str().unwrap())], required(o)))
            .collect();
        add("official", match_sets(&officials, &gold_o, &eq));

        let projects: Vec<String> = of(ItemKind::Project)
            .map(|i| norm_project(&i.text))
            .collect();
        let gold_p: Vec<_> = list("projects")
            .iter()
            .map(|p| {
                let mut n: Vec<String> = names(p, &["name"])
                    .iter()
                    .map(|n| norm_project(n))
                    .collect();
                if let Some(span) = p.get("source_span").and_then(Value::as_str) {
                    n.push(norm_project(span));
                }
                (n, required(p))
            })
            .collect();
        add("project", match_sets(&projects, &gold_p, &project_match));

        let amounts: Vec<String> = of(ItemKind::Amount).map(|i| norm(&i.text)).collect();
        let gold_a: Vec<_> = list("amounts")
            .iter()
            .map(|a| (vec![norm(a["amount"].as_str().unwrap())], required(a)))
            .collect();
        add("amount", match_sets(&amounts, &gold_a, &eq));

        let dates: Vec<String> = of(ItemKind::Date).map(|i| norm(&i.text)).collect();
        let gold_t: Vec<_> = list("dates")
            .iter()
            .map(|d| (vec![norm(d["date"].as_str().unwrap())], required(d)))
            .collect();
        add("date", match_sets(&dates, &gold_t, &eq));
    }
    assert_eq!(seen, 5, "five gold files expected in tests/gold");
    totals
        .into_iter()
        .map(|(k, (tp, fp, fn_))| (k, f1(tp, fp, fn_)))
        .collect()
}

#[test]
fn extraction_meets_the_accuracy_bars_on_the_seed_articles() {
    let scores = scores();
    eprintln!("{scores:?}");
    for (kind, f) in &scores {
        let bar = if *kind == "project" { 0.80 } else { 0.85 };
        assert!(*f >= bar, "{kind} F1 {f:.3} is under {bar}: {scores:?}");
    }
    let macro_f1 = scores.values().sum::<f64>() / scores.len() as f64;
    assert!(macro_f1 >= 0.90, "macro-F1 {macro_f1:.3} is under 0.90");
}

#[test]
fn every_item_span_is_its_text_and_ids_are_unique() {
    let extraction = common::sample_extraction();
    let texts: BTreeMap<&str, Vec<char>> = extraction
        .documents
        .iter()
        .map(|d| (d.file.as_str(), d.text.chars().collect()))
        .collect();
    let mut ids = HashSet::new();
    for item in &extraction.items {
        let chars = &texts[item.file.as_str()];
        let span: String = chars[item.start..item.end].iter().collect();
        assert_eq!(span, item.text, "{item:?}");
        assert!(ids.insert(item.id.clone()), "duplicate id {}", item.id);
    }
    assert!(extraction.items.len() > 200);
}

#[test]
fn attribution_follows_document_structure() {
    let extraction = common::sample_extraction();
    let find = |file: &str, kind: ItemKind, text: &str| {
        extraction
            .items
            .iter()
            .find(|i| i.file.starts_with(file) && i.kind == kind && i.text == text)
            .unwrap_or_else(|| panic!("{text} not found in {file}"))
    };
    // Round-up heading: 古交市 section.
    let solar = find("001", ItemKind::Project, "中石化150MW光伏发电项目");
    assert_eq!(solar.district.as_deref(), Some("古交市"));
    assert_eq!(solar.capacity.as_deref(), Some("150MW"));
    assert_eq!(solar.investment.as_deref(), Some("8.16亿元"));
    // Interview subject: the 清徐 block.
    let park = find("000", ItemKind::Project, "精细化工循环产业园");
    assert_eq!(park.district.as_deref(), Some("清徐县"));
    // Official's district from their own post, with every title in order.
    let wang = find("000", ItemKind::Official, "王剑峰");
    assert_eq!(wang.district.as_deref(), Some("清徐县"));
    assert_eq!(
        wang.titles.as_deref(),
        Some(&["市人大常委会副主任".to_owned(), "清徐县委书记".to_owned()][..])
    );
    // Explicit locator in a tour report without sections.
    let scenic = find("002", ItemKind::Project, "陵川县王莽岭景区");
    assert_eq!(scenic.district.as_deref(), Some("陵川县"));
    // Aggregates are not attached to any project.
    let aggregate = find("000", ItemKind::Amount, "63亿元");
    assert_eq!(aggregate.project, None);
    let invest = find("000", ItemKind::Amount, "140亿元");
    assert_eq!(invest.project.as_deref(), Some("光伏产业龙头项目"));
    // 晋城市城区 is the 城区 of 晋城, with its code.
    let chengqu = extraction
        .items
        .iter()
        .find(|i| i.file.starts_with("002") && i.canonical.as_deref() == Some("城区"))
        .unwrap();
    assert_eq!(chengqu.code.as_deref(), Some("140502"));
    // Dates resolve against the round-up heading.
    let date = extraction
        .items
        .iter()
        .find(|i| i.file.starts_with("001") && i.kind == ItemKind::Date && i.text == "1月12日")
        .unwrap();
    assert_eq!(date.district.as_deref(), Some("尖草坪区"));
}

/// Re-opened folders reuse cached items while `EXTRACTOR_VERSION` is unchanged, so any
/// change to the extraction output must come with a new version. This pins the sample
/// output to the version: when a rule change makes it fail, bump `EXTRACTOR_VERSION` and
/// put the new digest here.
#[test]
fn the_extractor_version_changes_with_the_output() {
    use sha2::Digest;
    let extraction = common::sample_extraction();
    let json = serde_json::to_vec(&extraction.items).unwrap();
    let digest: String = sha2::Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        (policylens::extract::EXTRACTOR_VERSION, digest.as_str()),
        (
            2,
            "027d96632b5ac61e67e9a1f670b9526d9efbca90c0a6fc067b8276bea3e29440"
        ),
        "the extraction of sample_data changed: bump EXTRACTOR_VERSION and update the digest"
    );
}
