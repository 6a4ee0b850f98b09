//! District themes: the words that set a district's text apart from the rest of the
//! folder. A district's text is the paragraphs attributed to it (its section, its
//! interview block, a paragraph about it in a round-up): those whose items mostly belong
//! to it. Keywords are jieba-rs TF-IDF with the inverse document frequencies counted
//! over every paragraph of the folder, so words common to the whole folder rank low,
//! and officialese from `assets/theme_stopwords.txt` never ranks.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use jieba_rs::{KeywordExtract, KeywordExtractConfig, TfIdf};
use rayon::prelude::*;

use super::Reviewed;
use crate::annotate::lookup::NoNotes;
use crate::corpus::structure::{ParagraphKind, Structure};
use crate::extract::{Item, runs_by_file};
use crate::{Document, Extractor};

/// One theme word and its TF-IDF weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub word: String,
    pub weight: f64,
}

/// The themes of every district with text attributed to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Themes {
    pub by_district: BTreeMap<String, Vec<Keyword>>,
}

impl Themes {
    /// The top words joined for a table cell: `光伏 煤矿 储能`.
    pub fn summary(&self, district: &str, words: usize) -> String {
        self.by_district
            .get(district)
            .map(|keywords| {
                keywords
                    .iter()
                    .take(words)
                    .map(|k| k.word.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }
}

/// Parts of speech that can carry a theme: nouns, verbal nouns, place and organisation
/// names, idioms and abbreviations. Verbs are mostly officialese.
const THEME_TAGS: [&str; 9] = ["n", "nz", "vn", "ns", "nt", "nw", "l", "j", "eng"];

/// Keywords per district.
pub const KEYWORDS_PER_DISTRICT: usize = 12;

/// The officialese stop list (`assets/theme_stopwords.txt`).
pub fn stop_words() -> &'static BTreeSet<String> {
    static WORDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../assets/theme_stopwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    })
}

/// A body paragraph and the district it is about, if any.
struct AttributedParagraph {
    district: Option<String>,
    text: String,
}

/// The body paragraphs of a document, each attributed to the county-level district that
/// most of its items belong to (the first such district on a tie).
fn attributed_paragraphs(document: &Document, items: &[Item]) -> Vec<AttributedParagraph> {
    let text = &document.text;
    let structure = Structure::parse(text);
    let mut paragraphs = Vec::new();
    // Items are in text order, so one pass walks paragraphs and items together.
    let mut chars_before = 0;
    let mut bytes_counted = 0;
    let mut next_item = 0;
    for paragraph in &structure.paragraphs {
        let Some(last_piece) = paragraph.pieces.last() else {
            continue;
        };
        chars_before += text[bytes_counted..paragraph.start()].chars().count();
        bytes_counted = paragraph.start();
        let end_chars = chars_before + text[paragraph.start()..last_piece.end].chars().count();
        let mut counts: Vec<(&str, usize)> = Vec::new();
        while next_item < items.len() && items[next_item].start < end_chars {
            let item = Reviewed::new(items, &NoNotes, next_item);
            if item.item.start >= chars_before
                && let Some(district) = item.county()
            {
                match counts.iter_mut().find(|(d, _)| *d == district) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((district, 1)),
                }
            }
            next_item += 1;
        }
        if paragraph.kind != ParagraphKind::Body {
            continue;
        }
        let district = counts
            .iter()
            .rev()
            .max_by_key(|(_, count)| *count)
            .map(|(d, _)| (*d).to_owned());
        paragraphs.push(AttributedParagraph {
            district,
            text: paragraph.joined(text),
        });
    }
    paragraphs
}

/// Themes of every district in the folder. `items` are the extracted items, grouped by
/// document in text order (as extraction returns them). Reports each finished document
/// to `progress`. Takes a few seconds per 10 MB of text, so run it off the UI thread.
pub fn district_themes(
    extractor: &Extractor,
    documents: &[Document],
    items: &[Item],
    progress: &(dyn Fn() + Sync),
) -> Themes {
    let items_by_file: HashMap<&str, std::ops::Range<usize>> =
        runs_by_file(items).into_iter().collect();
    let jieba = extractor.jieba();
    let gazetteer = extractor.gazetteer();
    let stop = stop_words();
    // An official's given name is not a theme of the district (`剑峰` of 王剑峰).
    let official_names: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == crate::ItemKind::Official)
        .map(|i| i.text.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let is_candidate = |word: &str| {
        word.chars().count() >= 2
            && !stop.contains(word)
            && !word
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
    };
    // Per document: its attributed paragraphs, and in how many of them each word occurs.
    let per_document: Vec<(Vec<AttributedParagraph>, HashMap<String, u32>)> = documents
        .par_iter()
        .filter(|d| d.error.is_none())
        .map(|document| {
            let range = items_by_file
                .get(document.file.as_str())
                .cloned()
                .unwrap_or(0..0);
            let paragraphs = attributed_paragraphs(document, &items[range]);
            let mut frequencies: HashMap<String, u32> = HashMap::new();
            for paragraph in &paragraphs {
                let words: HashSet<&str> = jieba
                    .cut(&paragraph.text, false)
                    .into_iter()
                    .map(|t| t.word)
                    .filter(|w| is_candidate(w))
                    .collect();
                for word in words {
                    *frequencies.entry(word.to_owned()).or_default() += 1;
                }
            }
            progress();
            (paragraphs, frequencies)
        })
        .collect();
    let paragraph_count: usize = per_document.iter().map(|(p, _)| p.len()).sum();
    let mut document_frequency: HashMap<String, u32> = HashMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for (paragraphs, frequencies) in per_document {
        for (word, count) in frequencies {
            *document_frequency.entry(word).or_default() += count;
        }
        for paragraph in paragraphs {
            if let Some(district) = paragraph.district {
                let text = texts.entry(district).or_default();
                text.push_str(&paragraph.text);
                text.push('\n');
            }
        }
    }
    let mut idf = String::new();
    for (word, count) in &document_frequency {
        if !word.contains(char::is_whitespace) {
            let value = ((paragraph_count as f64 + 1.0) / (*count as f64 + 1.0)).ln() + 1.0;
            let _ = writeln!(idf, "{word} {value}");
        }
    }
    let config = KeywordExtractConfig::builder()
        .set_stop_words(stop.clone())
        .build();
    let tfidf = TfIdf::new(Some(&mut idf.as_bytes()), config);
    let allowed: Vec<String> = THEME_TAGS.iter().map(|t| (*t).to_owned()).collect();
    let by_district = texts
        .into_par_iter()
        .map(|(district, text)| {
            let own_name = |word: &str| district.contains(word) || word.contains(district.as_str());
            let keywords = tfidf
                .extract_keywords(jieba, &text, KEYWORDS_PER_DISTRICT * 2, allowed.clone())
                .into_iter()
                .filter(|k| {
                    is_candidate(&k.keyword)
                        && !own_name(&k.keyword)
                        // Other places are context, not what the district is doing.
                        && ["", "省", "市"]
                            .iter()
                            .all(|suffix| gazetteer.named(&format!("{}{suffix}", k.keyword)).is_empty())
                        && !official_names.iter().any(|name| name.contains(&k.keyword))
                })
                .take(KEYWORDS_PER_DISTRICT)
                .map(|k| Keyword {
                    word: k.keyword,
                    weight: k.weight,
                })
                .collect();
            (district, keywords)
        })
        .collect();
    Themes { by_district }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(file: &str, text: &str) -> Document {
        Document::from_text(file, text)
    }

    #[test]
    fn themes_come_from_the_paragraphs_about_each_district() {
        let text = "\
古交市大力发展光伏发电，光伏产业园和储能电站项目加快建设，煤矿安全生产稳定。

清徐县推动醋产业发展，老陈醋品牌和葡萄种植成为乡村振兴的支柱，醋文化旅游火热。

全市上下要坚持高质量发展，推动各项工作取得新成效。
";
        let documents = [document("a.txt", text)];
        let extractor = Extractor::shared();
        let items = extractor.extract(&documents[0]);
        let themes = district_themes(extractor, &documents, &items, &|| {});
        let words = |district: &str| -> Vec<&str> {
            themes.by_district[district]
                .iter()
                .map(|k| k.word.as_str())
                .collect()
        };
        let gujiao = words("古交市");
        let qingxu = words("清徐县");
        assert!(gujiao.contains(&"光伏"), "{gujiao:?}");
        assert!(qingxu.contains(&"葡萄"), "{qingxu:?}");
        assert!(
            !gujiao.iter().any(|w| qingxu.contains(w)),
            "{gujiao:?} {qingxu:?}"
        );
        for word in gujiao.iter().chain(&qingxu) {
            assert!(!stop_words().contains(*word), "officialese {word}");
            assert!(!["古交", "清徐"].contains(word), "own name {word}");
        }
        assert_eq!(
            themes.by_district.len(),
            2,
            "{:?}",
            themes.by_district.keys()
        );
    }
}
