//! The features the scorer reads for each candidate: generic shape of the item and
//! of the words around it (see [`super::scorer`]).

use std::collections::HashMap;

use super::{Extractor, Item, ItemKind, project};

/// What a rule knows about the item it proposed (which rule, which form of a place),
/// by the item's index in the document's list, before sorting.
pub type Hints = HashMap<usize, Vec<&'static str>>;

/// A proposed item and the features the scorer reads.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub item: Item,
    pub features: Vec<String>,
}

impl Candidate {
    /// The item with its confidence under `model`, or `None` when the model rejects it.
    pub fn scored(self, model: &super::scorer::Model) -> Option<Item> {
        let confidence = model.confidence(self.item.kind, &self.features);
        if confidence < model.threshold(self.item.kind) {
            return None;
        }
        let mut item = self.item;
        item.confidence = Some((confidence * 1000.0).round() as f32 / 1000.0);
        Some(item)
    }
}

/// Modifiers that make a name a category or a national programme, not one undertaking.
const GENERIC_MODIFIERS: &[&str] = &[
    "国家", "全国", "世界", "重点", "重大", "各类", "一批", "各项", "相关", "主要", "重要", "大型",
    "领域", "行业", "龙头", "惠民", "民生", "形象",
];

/// Verbs that present something as an undertaking.
const UNDERTAKING_VERBS: &[&str] = &[
    "建设", "开工", "建成", "投产", "竣工", "通车", "签约", "落地", "动工", "启动", "推进", "实施",
    "规划", "新建", "扩建", "改造", "投运", "并网", "开通", "完工", "上马", "开建",
];

/// Features of every item of one document, in the order of `items`.
pub fn features_of(
    extractor: &Extractor,
    text: &str,
    items: &[Item],
    hints: &Hints,
) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let mut features: Vec<String> = hints
                .get(&index)
                .into_iter()
                .flatten()
                .map(|h| (*h).to_owned())
                .collect();
            match item.kind {
                ItemKind::Project => project_features(extractor, &chars, item, &mut features),
                ItemKind::Official => official_features(item, &mut features),
                ItemKind::District => {
                    let written: String =
                        item.text.chars().filter(|c| !c.is_whitespace()).collect();
                    let full = item.canonical.as_deref() == Some(written.as_str());
                    features.push(if full { "full_name" } else { "other_form" }.to_owned());
                    features.push(format!(
                        "chars={}",
                        bucket(written.chars().count(), &[2, 3, 5])
                    ));
                }
                ItemKind::Amount => {
                    let digits = item
                        .text
                        .chars()
                        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
                    features.push(if digits { "digits" } else { "no_digits" }.to_owned());
                }
                ItemKind::Date => {
                    let kind = item.date_kind.map(|k| format!("{k:?}")).unwrap_or_default();
                    features.push(format!("date_kind={kind}"));
                    if !item.text.contains('月') && !item.text.contains('年') {
                        features.push("bare_day".to_owned());
                    }
                }
                ItemKind::City => {}
            }
            features
        })
        .collect()
}

fn bucket(n: usize, bounds: &[usize]) -> String {
    match bounds.iter().position(|b| n <= *b) {
        Some(0) => format!("≤{}", bounds[0]),
        Some(i) => format!("{}-{}", bounds[i - 1] + 1, bounds[i]),
        None => format!(">{}", bounds[bounds.len() - 1]),
    }
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '！' | '？' | '：' | ',' | ';' | '!' | '?' | ':' | '\n'
    )
}

fn project_features(extractor: &Extractor, chars: &[char], item: &Item, out: &mut Vec<String>) {
    let name = item.canonical.clone().unwrap_or_else(|| item.text.clone());
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let head = project::head_of(&name).unwrap_or("none");
    out.push(format!("head={head}"));
    let length = name.chars().count();
    out.push(format!("chars={}", bucket(length, &[3, 5, 8, 12])));
    let tags = extractor.jieba.tag(&name, true);
    let words: Vec<(&str, &str)> = tags.iter().map(|t| (t.word, t.tag)).collect();
    if words.len() == 1 {
        out.push("one_word".to_owned());
    }
    let body_words: Vec<&(&str, &str)> = {
        let mut consumed = 0;
        let body_len = name.len() - if head == "none" { 0 } else { head.len() };
        words
            .iter()
            .take_while(|(w, _)| {
                let keep = consumed < body_len;
                consumed += w.len();
                keep
            })
            .collect()
    };
    if let Some((_, tag)) = words.first() {
        out.push(format!("first_tag={}", coarse_tag(tag)));
    }
    let proper = body_words.iter().any(|(w, tag)| {
        matches!(
            *tag,
            "ns" | "nr" | "nrfg" | "nrt" | "nt" | "nz" | "eng" | "j"
        ) || w.chars().any(|c| c.is_ascii_alphanumeric())
    });
    out.push(if proper { "proper" } else { "no_proper" }.to_owned());
    if body_words.len() == 1 {
        out.push("one_word_body".to_owned());
    }
    // `当地花大力气进行…基地`: a verb inside the name means the cut went wrong.
    if body_words
        .iter()
        .skip(1)
        .any(|(_, tag)| *tag == "v" || *tag == "d")
    {
        out.push("verb_inside".to_owned());
    }
    // `广州2024年一季度重大项目`, `主体工程`: the word before the head is a category word.
    if let Some((last, _)) = body_words.last()
        && GENERIC_MODIFIERS
            .iter()
            .chain(&["主体", "控制性", "合作", "配套", "承接"])
            .any(|m| last.ends_with(m))
    {
        out.push("generic_before_head".to_owned());
    }
    if GENERIC_MODIFIERS.iter().any(|m| name.contains(m)) {
        out.push("generic_modifier".to_owned());
    }
    if name.contains(['“', '”', '‘', '’', '"']) {
        out.push("quoted".to_owned());
    }
    if item.capacity.is_some() {
        out.push("capacity".to_owned());
    }
    if item.district.is_some() {
        out.push("located".to_owned());
    }
    // The words around it.
    let before: String = chars[item.start.saturating_sub(4)..item.start]
        .iter()
        .collect();
    let after: String = chars[item.end..(item.end + 3).min(chars.len())]
        .iter()
        .collect();
    let previous =
        if before.ends_with(|c: char| is_clause_break(c) || c == '、') || before.is_empty() {
            "break"
        } else if before.ends_with('的') {
            "de"
        } else if UNDERTAKING_VERBS
            .iter()
            .chain(&["加快", "打造", "推动", "支持"])
            .any(|v| before.ends_with(v))
        {
            "verb"
        } else if before.ends_with(['在', '于', '从', '对', '将', '与', '和', '及']) {
            "function"
        } else {
            "other"
        };
    out.push(format!("before={previous}"));
    let next = if after.starts_with('等') {
        "deng"
    } else if after.starts_with(|c: char| is_clause_break(c)) || after.is_empty() {
        "break"
    } else if after.starts_with('、') {
        "list"
    } else if after.starts_with('的') {
        "de"
    } else if UNDERTAKING_VERBS.iter().any(|v| after.starts_with(v)) {
        "verb"
    } else {
        "other"
    };
    out.push(format!("after={next}"));
    // The sentence it stands in.
    let is_end = |c: &char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let start = chars[..item.start]
        .iter()
        .rposition(is_end)
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = chars[item.end..]
        .iter()
        .position(is_end)
        .map(|i| item.end + i)
        .unwrap_or(chars.len());
    let sentence: String = chars[start..end].iter().collect();
    if UNDERTAKING_VERBS.iter().any(|v| sentence.contains(v)) {
        out.push("sentence_undertaking".to_owned());
    }
    if sentence.contains("投资") || sentence.contains("亿元") || sentence.contains("万元") {
        out.push("sentence_money".to_owned());
    }
}

fn official_features(item: &Item, out: &mut Vec<String>) {
    let name_chars = item.text.chars().filter(|c| !c.is_whitespace()).count();
    out.push(format!("name_chars={name_chars}"));
    let titles = item.titles.as_deref().unwrap_or_default();
    out.push(format!("titles={}", titles.len().min(3)));
    let longest = titles.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    out.push(format!("title_chars={}", bucket(longest, &[2, 4, 8])));
    if item.district.is_some() {
        out.push("county_post".to_owned());
    }
}

/// The segmenter's tag reduced to its family (nr, ns, n, v, …).
fn coarse_tag(tag: &str) -> &str {
    match tag {
        t if t.starts_with("nr") => "nr",
        "ns" | "nt" | "nz" | "j" | "eng" | "x" | "m" => tag,
        t if t.starts_with('n') => "n",
        t if t.starts_with('v') => "v",
        t if t.starts_with('a') => "a",
        _ => "other",
    }
}
