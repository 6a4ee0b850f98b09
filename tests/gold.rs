//! Extraction accuracy on the five seed articles against the hand-made gold
//! (`tests/gold/`, a copy of shared/gold). Matching is `policylens::evaluate`, which
//! follows GUIDELINES.md and shared/tools/score.py: NFKC, no whitespace or quotes, a
//! trailing 项目 is insignificant, aliases/alt accepted, optional items neither rewarded
//! nor penalised, project names matched leniently.

mod common;

use std::collections::{BTreeMap, HashSet};

use policylens::ItemKind;

/// F1 per kind over the five seed articles.
fn scores() -> BTreeMap<&'static str, f64> {
    common::seed_scores(&common::sample_extraction())
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
            6,
            "2455f8fe5a765e464fa73676ec951f1eb3d88de32e0599a086b29e3b7c3712ac"
        ),
        "the extraction of sample_data changed: bump EXTRACTOR_VERSION and update the digest"
    );
}
