//! Extraction: from a document's text to items of five kinds (district, official,
//! project, amount, date; plus city for prefectures and provinces), each with character
//! offsets into the text and the district it belongs to.
//!
//! The pipeline per document: [`Structure`] → chunks without page breaks
//! ([`text::chunks`]) → place mentions ([`district::find_places`]) → officials, amounts,
//! dates and projects over each chunk → attribution to districts by section heading,
//! interview subject, explicit locator or nearest preceding mention
//! ([`attribution`]).

pub mod amount;
mod attribution;
pub mod date;
pub mod district;
pub mod gazetteer;
mod numbers;
pub mod official;
pub mod project;
pub mod scorer;
pub mod scoring;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::Document;
use crate::corpus::structure::{ParagraphKind, Structure};
pub use date::DateKind;
use district::Places;
pub use gazetteer::{Gazetteer, Level};
use text::{CharIndex, Chunk};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    District,
    Official,
    Project,
    Amount,
    Date,
    /// A prefecture city or province.
    City,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::District,
        ItemKind::Official,
        ItemKind::Project,
        ItemKind::Amount,
        ItemKind::Date,
        ItemKind::City,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::District => "district",
            ItemKind::Official => "official",
            ItemKind::Project => "project",
            ItemKind::Amount => "amount",
            ItemKind::Date => "date",
            ItemKind::City => "city",
        }
    }
}

/// One extracted item. Offsets are character offsets (Unicode scalar values) into the
/// document's decoded text: `text == doc.chars()[start..end]`. Fields that do not apply
/// to the item's kind are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable across runs and across edits to other files: derived from the file, kind,
    /// text and the occurrence number of that text in the file.
    pub id: String,
    pub kind: ItemKind,
    pub file: String,
    /// As written (may contain the line breaks of a page break it crosses).
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Canonical name of a place; the full name of a project reconstructed from an
    /// enumeration (`玖方100兆瓦储能项目`).
    pub canonical: Option<String>,
    /// NBS code of a place.
    pub code: Option<String>,
    /// The county-level unit the item belongs to.
    pub district: Option<String>,
    pub city: Option<String>,
    pub province: Option<String>,
    /// An official's posts in textual order.
    pub titles: Option<Vec<String>>,
    /// A project's stated investment, as written.
    pub investment: Option<String>,
    /// An amount's value (or a project's investment) in yuan.
    pub amount_yuan: Option<f64>,
    /// ISO 4217 currency of an amount.
    pub currency: Option<String>,
    /// A project's capacity, as written (`150MW`, `2×1000兆瓦`).
    pub capacity: Option<String>,
    /// ISO 8601 date, or `--MM-DD` when the year is unknown.
    pub date: Option<String>,
    pub date_kind: Option<DateKind>,
    /// The project an amount belongs to.
    pub project: Option<String>,
    /// How sure the extractor is that the item is right, 0–1 (the scorer's estimate,
    /// calibrated on the development gold).
    pub confidence: Option<f32>,
}

impl Item {
    /// An item over a byte range of a chunk, with the chunk's text (page breaks removed;
    /// `extract_text` restores the document's own text afterwards).
    fn at(kind: ItemKind, file: &str, chunk: &Chunk, bytes: std::ops::Range<usize>) -> Item {
        let range = chunk.doc_range(bytes.clone());
        Item::bare(
            String::new(),
            kind,
            file.to_owned(),
            chunk.text[bytes].to_owned(),
            range,
        )
    }

    /// An item with only its identity and span; every optional field is `None`.
    pub fn bare(
        id: String,
        kind: ItemKind,
        file: String,
        text: String,
        chars: std::ops::Range<usize>,
    ) -> Item {
        Item {
            id,
            kind,
            file,
            text,
            start: chars.start,
            end: chars.end,
            canonical: None,
            code: None,
            district: None,
            city: None,
            province: None,
            titles: None,
            investment: None,
            amount_yuan: None,
            currency: None,
            capacity: None,
            date: None,
            date_kind: None,
            project: None,
            confidence: None,
        }
    }

    /// The county-level district the item belongs to; `None` when it is placed only as
    /// far as a prefecture city or province (a city's own figures are not a county's).
    pub fn county(&self) -> Option<&str> {
        let name = self.district.as_deref()?;
        let is_city_level =
            self.city.as_deref() == Some(name) || self.province.as_deref() == Some(name);
        (!is_city_level).then_some(name)
    }

    /// Sets the district (with its city and province) the item belongs to.
    /// Only a county-level unit or zone is a district; a city or province locates the
    /// item no further than its `city`/`province` (GUIDELINES: items of provincial or
    /// national scope have no district).
    fn locate(&mut self, place: &district::Place) {
        let county_level = matches!(place.level, Level::County | Level::Zone);
        self.district = county_level.then(|| place.canonical.clone());
        self.city = place.city.clone();
        self.province = place.province.clone();
    }
}

/// One project is in one place: a mention that the text does not place (a headline,
/// `吉林水网骨干工程今天开工`) takes the place of another mention of the same project
/// (`…在吉林省东丰县…开工`), when all placed mentions agree. Mentions are the same
/// project when one name, without a trailing 项目, starts the other (上海迪士尼项目,
/// 上海迪士尼乐园).
fn share_project_places(items: &mut [Item], indices: &[usize]) {
    let key = |item: &Item| {
        let name = item.canonical.as_deref().unwrap_or(&item.text);
        name.strip_suffix("项目").unwrap_or(name).to_owned()
    };
    let keys: Vec<String> = indices.iter().map(|&i| key(&items[i])).collect();
    for (n, &index) in indices.iter().enumerate() {
        if items[index].district.is_some() {
            continue;
        }
        let same = |m: usize| {
            let (a, b) = (&keys[n], &keys[m]);
            a.chars().count() >= 2
                && b.chars().count() >= 2
                && (a.starts_with(b.as_str()) || b.starts_with(a.as_str()))
        };
        let mut placed = indices
            .iter()
            .enumerate()
            .filter(|&(m, &other)| m != n && same(m) && items[other].district.is_some())
            .map(|(_, &other)| other);
        let Some(first) = placed.next() else {
            continue;
        };
        let district = items[first].district.clone();
        if placed.any(|other| items[other].district != district) {
            continue;
        }
        let (city, province) = (items[first].city.clone(), items[first].province.clone());
        let item = &mut items[index];
        item.district = district;
        item.city = city;
        item.province = province;
    }
}

/// The runs of consecutive items from one file, as (file, index range). Extraction
/// returns items grouped by document, so each document is one run.
pub fn runs_by_file(items: &[Item]) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let file = items[start].file.as_str();
        let end = start + items[start..].iter().take_while(|i| i.file == file).count();
        runs.push((file, start..end));
        start = end;
    }
    runs
}

/// The shared, read-only state of extraction: gazetteer and segmenter, built once.
pub struct Extractor {
    gazetteer: Gazetteer,
    jieba: jieba_rs::Jieba,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("gazetteer", &self.gazetteer)
            .finish()
    }
}

/// Version of the extraction rules and of the document titles; bump when either changes
/// (the extraction cache keys on it and keeps titles).
pub const EXTRACTOR_VERSION: u32 = 6;

impl Extractor {
    /// The process-wide extractor (loading the segmenter's dictionary takes a moment).
    pub fn shared() -> &'static Extractor {
        static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
        EXTRACTOR.get_or_init(|| Extractor {
            gazetteer: Gazetteer::builtin(),
            jieba: jieba_rs::Jieba::new(),
        })
    }

    /// An extractor whose segmenter also knows `words` (word, part-of-speech tag), so
    /// that it keeps them whole: the names an analyst's lexicon always extracts.
    /// Building one loads the dictionary again (about a tenth of a second).
    pub fn with_words(words: &[(String, &str)]) -> Extractor {
        let mut jieba = jieba_rs::Jieba::new();
        for (word, tag) in words {
            // A frequency above the word's parts' makes the segmenter prefer it whole.
            let freq = jieba.suggest_freq(word).max(1000);
            jieba.add_word(word, Some(freq), Some(tag));
        }
        Extractor {
            gazetteer: Gazetteer::builtin(),
            jieba,
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The shared segmenter, for keyword extraction over the same words.
    pub fn jieba(&self) -> &jieba_rs::Jieba {
        &self.jieba
    }

    /// Extracts the items of one loaded document, in text order.
    pub fn extract(&self, document: &Document) -> Vec<Item> {
        if document.error.is_some() || document.text.is_empty() {
            return Vec::new();
        }
        self.extract_text(&document.file, &document.text)
    }

    /// Extracts the items of a text as if it were the file `file`: the rules'
    /// candidates, each given a confidence by the built-in scorer, without those the
    /// scorer rejects.
    pub fn extract_text(&self, file: &str, text: &str) -> Vec<Item> {
        let model = scorer::Model::builtin();
        let mut items: Vec<Item> = self
            .candidates(file, text)
            .into_iter()
            .filter_map(|c| c.scored(model))
            .collect();
        assign_ids(&mut items);
        items
    }

    /// Every candidate the rules propose, with the features the scorer reads, in text
    /// order (for training and evaluating the scorer).
    pub fn candidates(&self, file: &str, text: &str) -> Vec<scoring::Candidate> {
        let structure = Structure::parse(text);
        let index = CharIndex::new(text);
        let chunks = text::chunks(text, &structure, &index);
        let places = district::find_places(&self.gazetteer, &chunks);
        let context = attribution::Context::new(&structure, &chunks, &places);
        // The article's own date: month-and-day dates take its year, bare days its month.
        let article_day = article_date(file, text);
        let doc_year = article_day
            .as_deref()
            .and_then(|d| d.get(..4)?.parse().ok());
        let article_month = article_day
            .as_deref()
            .and_then(|d| d.get(5..7)?.parse().ok());
        let mut items = Vec::new();
        let mut hints = scoring::Hints::new();
        self.place_items(file, &chunks, &places, &mut items);
        let tags = TagCache::new(&self.jieba, &chunks);
        self.official_items(file, &chunks, &places, &tags, &mut items);
        let projects = project::find_projects(&tags, &chunks, &places);
        let project_items =
            self.project_items(file, &chunks, &context, &places, &projects, &mut items);
        for (project, index) in projects.iter().zip(&project_items) {
            hints.entry(*index).or_default().push(project.rule);
            if project.locator.is_some() {
                hints.entry(*index).or_default().push("explicit_locator");
            }
        }
        self.amount_items(
            file,
            &chunks,
            &context,
            &projects,
            &project_items,
            &mut items,
        );
        self.date_items(file, &chunks, &context, doc_year, article_month, &mut items);
        // Spans come from chunks without page breaks; the item text is the document's own.
        let char_starts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        for item in &mut items {
            let written = &text[char_starts[item.start]..char_starts[item.end]];
            if written != item.text {
                if item.kind == ItemKind::Project && item.canonical.is_none() {
                    item.canonical = Some(std::mem::take(&mut item.text));
                }
                item.text = written.to_owned();
            }
        }
        let features = scoring::features_of(self, text, &items, &hints);
        let mut candidates: Vec<scoring::Candidate> = items
            .into_iter()
            .zip(features)
            .map(|(item, features)| scoring::Candidate { item, features })
            .collect();
        candidates.sort_by_key(|c| (c.item.start, c.item.end, c.item.kind));
        candidates
    }

    fn place_items(&self, file: &str, chunks: &[Chunk], places: &Places, items: &mut Vec<Item>) {
        for mention in &places.mentions {
            let chunk = &chunks[mention.chunk];
            let place = places.place_of(mention);
            let kind = if places.is_district(mention) {
                ItemKind::District
            } else {
                ItemKind::City
            };
            let mut item = Item::at(kind, file, chunk, mention.bytes.clone());
            item.canonical = Some(place.canonical.clone());
            item.code = place.code.clone();
            item.locate(place);
            if kind == ItemKind::City {
                item.district = None;
            }
            items.push(item);
        }
    }

    fn official_items(
        &self,
        file: &str,
        chunks: &[Chunk],
        places: &Places,
        tags: &TagCache,
        items: &mut Vec<Item>,
    ) {
        let rules = official::OfficialRules::builtin();
        let mut found: Vec<(usize, official::OfficialMention)> = Vec::new();
        let mut known: HashSet<String> = HashSet::new();
        let mut person_tokens_by_chunk: HashMap<usize, Vec<std::ops::Range<usize>>> =
            HashMap::new();
        for (chunk_index, chunk) in chunks.iter().enumerate() {
            if chunk.kind == ParagraphKind::Byline || !official::might_hold_officials(&chunk.text) {
                continue;
            }
            let tokens = tags.tokens(chunk_index, official::might_hold_officials);
            let spans: Vec<official::TaggedSpan> =
                tokens.iter().map(|t| (t.range.clone(), t.tag)).collect();
            let persons: Vec<_> = tokens
                .iter()
                .filter(|t| t.tag.starts_with("nr"))
                .map(|t| t.range.clone())
                .collect();
            let place_ranges: Vec<_> = places
                .mentions
                .iter()
                .filter(|m| m.chunk == chunk_index)
                .map(|m| m.bytes.clone())
                .collect();
            for mention in rules.find(&chunk.text, &place_ranges, &spans) {
                if !official::plausible_name(&mention.name, &spans, &chunk.text) {
                    continue;
                }
                known.insert(chunk.text[mention.name.clone()].to_owned());
                found.push((chunk_index, mention));
            }
            // `国务院总理⏎李克强`: a title closing its line, the name alone on the next.
            if let Some(mention) = title_then_name_line(rules, chunks, chunk_index, &spans, tags) {
                let next = &chunks[chunk_index + 1];
                known.insert(next.text[mention.name.clone()].to_owned());
                found.push((chunk_index + 1, mention));
            }
            person_tokens_by_chunk.insert(chunk_index, persons);
        }
        for (chunk_index, persons) in &person_tokens_by_chunk {
            let chunk = &chunks[*chunk_index];
            for mention in rules.find_name_then_post(&chunk.text, persons, &known) {
                // `伊拉克总理阿巴迪`: a post that already titles the name after it is not
                // also the post of the word before it.
                let post = &mention.titles[0];
                let overlaps = found.iter().any(|(c, m)| {
                    c == chunk_index
                        && ((m.name.start < mention.name.end && mention.name.start < m.name.end)
                            || m.titles.last().is_some_and(|t| t.end == post.end))
                });
                if !overlaps {
                    found.push((*chunk_index, mention));
                }
            }
        }
        for (chunk_index, mut mention) in found {
            let chunk = &chunks[chunk_index];
            // `靳伟因…`: a third character that is a function word, on a name the article
            // also writes with two, belongs to the sentence.
            let name = &chunk.text[mention.name.clone()];
            if name.chars().count() == 3
                && name.ends_with(['因', '对', '在', '向', '被', '为', '和', '与', '等', '说'])
            {
                let short = name
                    .char_indices()
                    .nth(2)
                    .map(|(i, _)| i)
                    .unwrap_or(name.len());
                if known.contains(&name[..short]) {
                    mention.name.end = mention.name.start + short;
                }
            }
            let titles: Vec<String> = match &mention.title_text {
                Some(titles) => titles.clone(),
                None => mention
                    .titles
                    .iter()
                    .map(|t| chunk.text[t.clone()].to_owned())
                    .collect(),
            };
            if !titles.iter().all(|t| official::is_public_post(t)) {
                continue;
            }
            let mut item = Item::at(ItemKind::Official, file, chunk, mention.name.clone());
            // The district of an official is the county-level unit of their post.
            let district = places
                .mentions
                .iter()
                .filter(|m| m.chunk == chunk_index && places.is_district(m))
                .find(|m| {
                    mention
                        .titles
                        .iter()
                        .any(|t| t.start <= m.bytes.start && m.bytes.end <= t.end)
                })
                .map(|m| places.place_of(m));
            if let Some(place) = district {
                item.locate(place);
            }
            item.titles = Some(titles);
            items.push(item);
        }
    }

    fn project_items(
        &self,
        file: &str,
        chunks: &[Chunk],
        context: &attribution::Context,
        places: &Places,
        projects: &[project::ProjectMention],
        items: &mut Vec<Item>,
    ) -> Vec<usize> {
        let mut indices = Vec::new();
        for project in projects {
            let chunk = &chunks[project.chunk];
            let mut item = Item::at(ItemKind::Project, file, chunk, project.bytes.clone());
            if project.name != item.text {
                item.canonical = Some(project.name.clone());
            }
            // The first written locator at county level; else the first written one
            // (it still gives city and province); else the context.
            let written = [project.locator, project.locator_after];
            let written = written
                .iter()
                .flatten()
                .find(|&&m| places.is_district(&places.mentions[m]))
                .or(written.iter().flatten().next());
            let place = written
                .map(|&m| places.place_of(&places.mentions[m]))
                .or_else(|| {
                    if project.is_line {
                        return None;
                    }
                    context.district_for(
                        project.chunk,
                        project.bytes.start,
                        attribution::Rule::NearestOrArticle,
                    )
                });
            if let Some(place) = place {
                item.locate(place);
            }
            item.capacity = project.capacity.clone();
            indices.push(items.len());
            items.push(item);
        }
        share_project_places(items, &indices);
        indices
    }

    fn amount_items(
        &self,
        file: &str,
        chunks: &[Chunk],
        context: &attribution::Context,
        projects: &[project::ProjectMention],
        project_items: &[usize],
        items: &mut Vec<Item>,
    ) {
        for (chunk_index, chunk) in chunks.iter().enumerate() {
            for amount in amount::find_amounts(&chunk.text) {
                let mut item = Item::at(ItemKind::Amount, file, chunk, amount.bytes.clone());
                let text = item.text.clone();
                item.amount_yuan = Some(amount.yuan);
                item.currency = Some(amount.currency.to_owned());
                if let Some(link) =
                    project::link_amount(chunks, chunk_index, &amount.bytes, projects)
                {
                    let project_item = &mut items[project_items[link.project]];
                    let project_name = project_item
                        .canonical
                        .clone()
                        .unwrap_or_else(|| project_item.text.clone());
                    if link.is_investment && project_item.investment.is_none() {
                        project_item.investment = Some(text);
                        project_item.amount_yuan = Some(amount.yuan);
                    }
                    item.project = Some(project_name);
                }
                if let Some(place) = context.district_for(
                    chunk_index,
                    amount.bytes.start,
                    attribution::Rule::Nearest,
                ) {
                    item.locate(place);
                }
                items.push(item);
            }
        }
    }

    fn date_items(
        &self,
        file: &str,
        chunks: &[Chunk],
        context: &attribution::Context,
        doc_year: Option<i32>,
        article_month: Option<u32>,
        items: &mut Vec<Item>,
    ) {
        // A bare day (28日) takes the month of the nearest date before it, else the
        // article's own month; with neither it is too vague to be a date.
        let mut last_month = article_month;
        for (chunk_index, chunk) in chunks.iter().enumerate() {
            for mut date in date::find_dates(&chunk.text) {
                if date.month.is_none() && date.kind == DateKind::Day {
                    let Some(month) = last_month else {
                        continue;
                    };
                    date.month = Some(month);
                } else if let Some(month) = date.end_month.or(date.month) {
                    last_month = Some(month);
                }
                let mut item = Item::at(ItemKind::Date, file, chunk, date.bytes.clone());
                item.date = date.normalized(doc_year);
                item.date_kind = Some(date.kind);
                if let Some(place) = context.district_for(
                    chunk_index,
                    date.bytes.start,
                    attribution::Rule::ParagraphTopic,
                ) {
                    item.locate(place);
                }
                items.push(item);
            }
        }
    }
}

/// `国务院总理⏎李克强`: a chunk that ends with a post, followed by a chunk that is only
/// a personal name. The mention is in the next chunk; its title is text of this one.
fn title_then_name_line(
    rules: &official::OfficialRules,
    chunks: &[Chunk],
    index: usize,
    spans: &[official::TaggedSpan],
    tags: &TagCache,
) -> Option<official::OfficialMention> {
    let next = chunks.get(index + 1)?;
    let line = chunks[index].text.trim_end();
    let name_line = next.text.trim();
    let chars = name_line.chars().count();
    if next.text.chars().count() > 8 || !(2..=4).contains(&chars) {
        return None;
    }
    let post = rules.post_at_end(line)?;
    let start = official::extend_title_start(line, post.start, spans);
    let title = &line[start..];
    if title.chars().count() < 2 || !official::is_public_post(title) {
        return None;
    }
    // Only now is the name line worth segmenting.
    let lead = next.text.len() - next.text.trim_start().len();
    let name_ends: Vec<usize> = tags
        .tokens(index + 1, |_| true)
        .iter()
        .map(|t| t.range.end.saturating_sub(lead))
        .collect();
    if rules.name_len(name_line, &name_ends)? != name_line.len() {
        return None;
    }
    Some(official::OfficialMention {
        name: lead..lead + name_line.len(),
        titles: Vec::new(),
        title_text: Some(vec![title.to_owned()]),
    })
}

/// A token of the segmenter with its byte range in its chunk.
#[derive(Debug, Clone)]
pub(crate) struct Token<'t> {
    pub word: &'t str,
    pub tag: &'t str,
    pub range: std::ops::Range<usize>,
}

/// The tag of a token standing for a whole sentence that was not segmented.
pub(crate) const UNSEGMENTED: &str = "unsegmented";

/// Part-of-speech tags of each sentence, computed at most once and only for sentences a
/// rule asks for: segmentation is the most expensive step, and most sentences hold
/// neither a post nor a project head. Segmenting sentence by sentence gives the same
/// tokens as segmenting the whole chunk, because the segmenter itself cuts its input at
/// the punctuation sentences end with.
pub struct TagCache<'c> {
    jieba: &'c jieba_rs::Jieba,
    chunks: &'c [Chunk],
    /// Per chunk: its sentences' byte ranges, each with its tags once computed.
    sentences: Vec<std::cell::OnceCell<Vec<Sentence<'c>>>>,
}

struct Sentence<'c> {
    bytes: std::ops::Range<usize>,
    tags: std::cell::OnceCell<Vec<jieba_rs::Tag<'c>>>,
}

impl<'c> TagCache<'c> {
    fn new(jieba: &'c jieba_rs::Jieba, chunks: &'c [Chunk]) -> TagCache<'c> {
        TagCache {
            jieba,
            chunks,
            sentences: (0..chunks.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// The tokens of chunk `index`, covering it without gaps. Sentences for which
    /// `wanted` is false become one token tagged [`UNSEGMENTED`]; the others are
    /// segmented with the HMM on so that unknown names hold together.
    pub(crate) fn tokens(&self, index: usize, wanted: impl Fn(&str) -> bool) -> Vec<Token<'c>> {
        let text: &'c str = &self.chunks[index].text;
        let sentences = self.sentences[index].get_or_init(|| {
            sentence_ranges(text)
                .map(|bytes| Sentence {
                    bytes,
                    tags: std::cell::OnceCell::new(),
                })
                .collect()
        });
        let mut out = Vec::new();
        for sentence in sentences {
            let body = &text[sentence.bytes.clone()];
            if !wanted(body) {
                out.push(Token {
                    word: body,
                    tag: UNSEGMENTED,
                    range: sentence.bytes.clone(),
                });
                continue;
            }
            let tags = sentence.tags.get_or_init(|| self.jieba.tag(body, true));
            let mut at = sentence.bytes.start;
            for tag in tags {
                out.push(Token {
                    word: tag.word,
                    tag: tag.tag,
                    range: at..at + tag.word.len(),
                });
                at += tag.word.len();
            }
        }
        out
    }
}

/// Byte ranges of a text's sentences, each with its closing punctuation, covering the
/// text without gaps.
fn sentence_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    let mut ends = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n'))
        .map(|(at, c)| at + c.len_utf8())
        .chain(std::iter::once(text.len()));
    std::iter::from_fn(move || {
        loop {
            let end = ends.next()?;
            if end > start {
                let range = start..end;
                start = end;
                return Some(range);
            }
        }
    })
}

/// The year an article was published, when its file name (`cctv_20220101_01.txt`) or a
/// full date in its text (`2023年1月14日`) tells; month-and-day dates resolve against it.
pub fn article_year(file: &str, text: &str) -> Option<i32> {
    article_date(file, text)?.get(..4)?.parse().ok()
}

/// The article's own date, `YYYY-MM-DD`: from a date in the file name
/// (`cctv_20220101_01.txt`), else a timestamp line at the top, else the first full date
/// written near the top.
pub fn article_date(file: &str, text: &str) -> Option<String> {
    static FILE_DATE: OnceLock<regex::Regex> = OnceLock::new();
    let file_date = FILE_DATE.get_or_init(|| regex::Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12][0-9]|3[01])(?:[^0-9]|$)").expect("regex"));
    if let Some(caps) = file_date.captures(file) {
        return Some(format!("{}-{}-{}", &caps[1], &caps[2], &caps[3]));
    }
    // A wire story's timestamp line near the top (`2015-02-02 17:21:16`).
    if let Some(date) = text
        .lines()
        .take(8)
        .find_map(crate::corpus::structure::timestamp_date)
    {
        return Some(date);
    }
    static FULL_DATE: OnceLock<regex::Regex> = OnceLock::new();
    let full_date = FULL_DATE.get_or_init(|| {
        regex::Regex::new(r"((?:19|20)[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日").expect("regex")
    });
    let head: String = text.chars().take(2000).collect();
    let caps = full_date.captures(&head)?;
    let month: u32 = caps[2].parse().ok()?;
    let day: u32 = caps[3].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{}-{month:02}-{day:02}", &caps[1]))
}

/// Gives every item an id from its file, kind, text and occurrence number, so an item
/// keeps its id when other files, or other parts of its own file, change.
fn assign_ids(items: &mut [Item]) {
    let mut seen: HashMap<(ItemKind, String), u32> = HashMap::new();
    for item in items.iter_mut() {
        let normalized: String = item.text.chars().filter(|c| !c.is_whitespace()).collect();
        let occurrence = seen.entry((item.kind, normalized.clone())).or_insert(0);
        let mut hasher = Sha256::new();
        hasher.update(item.file.as_bytes());
        hasher.update([0]);
        hasher.update(item.kind.as_str().as_bytes());
        hasher.update([0]);
        hasher.update(normalized.as_bytes());
        hasher.update([0]);
        hasher.update(occurrence.to_le_bytes());
        *occurrence += 1;
        let digest = hasher.finalize();
        item.id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words the analyst's lexicon always extracts stay whole in segmentation (issue 16
    /// §3), where the plain dictionary splits them.
    #[test]
    fn lexicon_words_stay_whole_in_segmentation() {
        let text = "清源水城科技园昨天开工";
        let words = |extractor: &Extractor| -> Vec<String> {
            extractor
                .jieba
                .cut(text, true)
                .iter()
                .map(|t| t.word.to_owned())
                .collect()
        };
        let plain = words(Extractor::shared());
        assert!(!plain.iter().any(|w| w == "清源水城科技园"), "{plain:?}");
        let extractor = Extractor::with_words(&[("清源水城科技园".to_owned(), "nz")]);
        let taught = words(&extractor);
        assert!(taught.iter().any(|w| w == "清源水城科技园"), "{taught:?}");
    }

    /// A Xinhua story's wire timestamp is its date (issue 15 §7), and so gives the year
    /// of the month-and-day dates in it.
    #[test]
    fn a_wire_timestamp_dates_the_article() {
        let text = "（国际）德法俄乌外长商讨和平解决乌克兰危机办法\n2015-01-22 12:16:02\n\n  新华社柏林1月22日电。";
        assert_eq!(article_date("a.txt", text).as_deref(), Some("2015-01-22"));
        assert_eq!(article_year("a.txt", text), Some(2015));
        assert_eq!(
            article_date("a.txt", "正文\n2015年1月2日，全市召开大会"),
            Some("2015-01-02".to_owned())
        );
    }

    /// Segmenting sentence by sentence must give the tokens of segmenting the whole
    /// chunk, or skipping sentences would change what the rules see.
    #[test]
    fn sentence_tokens_equal_whole_chunk_tokens() {
        let text = "近日，市委书记王剑峰说：清徐县将投资8.16亿元建设文源路汾河大桥！\
                    “十四五”期间；晋城经开区新建2个产业园?Project A.B 完成。最后一句";
        let structure = Structure::parse(text);
        let index = CharIndex::new(text);
        let chunks = text::chunks(text, &structure, &index);
        let jieba = &Extractor::shared().jieba;
        let cache = TagCache::new(jieba, &chunks);
        for (i, chunk) in chunks.iter().enumerate() {
            let whole: Vec<(&str, &str)> = jieba
                .tag(&chunk.text, true)
                .iter()
                .map(|t| (t.word, t.tag))
                .collect();
            let by_sentence = cache.tokens(i, |_| true);
            let pairs: Vec<(&str, &str)> = by_sentence.iter().map(|t| (t.word, t.tag)).collect();
            assert_eq!(pairs, whole);
            for token in &by_sentence {
                assert_eq!(&chunk.text[token.range.clone()], token.word);
            }
        }
    }

    /// The project candidates the rules propose (before the scorer), with their district.
    fn projects_in(text: &str) -> Vec<(String, Option<String>)> {
        Extractor::shared()
            .candidates("t.txt", text)
            .into_iter()
            .filter(|c| c.item.kind == ItemKind::Project)
            .map(|c| (c.item.canonical.unwrap_or(c.item.text), c.item.district))
            .collect()
    }

    fn project_named<'p>(
        projects: &'p [(String, Option<String>)],
        name: &str,
    ) -> Option<&'p Option<String>> {
        projects.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    /// Names the dev set's wire and CCTV stories lost: a verb, time word or part after
    /// the name, an adverb inside it, a dash before it, a route between two places.
    #[test]
    fn project_names_end_at_the_name() {
        let cases = [
            ("记者在上海迪士尼乐园看到，游客络绎不绝。", "上海迪士尼乐园"),
            ("引入100万吨级煤直接液化项目。", "100万吨级煤直接液化项目"),
            (
                "国家重大水利工程——南水北调中线引江补汉工程主隧洞目前掘进已完成2120米。",
                "南水北调中线引江补汉工程",
            ),
            (
                "这标志着历时7年的青藏铁路无缝钢轨换铺工程全面完成。",
                "青藏铁路无缝钢轨换铺工程",
            ),
            ("今年6月，郑渝高铁通车。", "郑渝高铁"),
            (
                "随着沪蓉高速宜昌至恩施巴东段通车，境内有了高速公路。",
                "沪蓉高速宜昌至恩施巴东段",
            ),
            // A time noun that belongs to the name stays.
            ("清徐县建设现代农业产业园。", "现代农业产业园"),
        ];
        for (text, name) in cases {
            let projects = projects_in(text);
            assert!(
                project_named(&projects, name).is_some(),
                "{name} not proposed in {text}: {projects:?}"
            );
        }
        // What is counted is a category: 引进140多个大湾区项目.
        let counted = projects_in("寻乌先后引进140多个大湾区项目落地。");
        assert!(
            project_named(&counted, "大湾区项目").is_none(),
            "{counted:?}"
        );
        // From the corpus's Xinhua folder: quantities of a category, and members that
        // are kinds of a described category rather than names.
        for (text, not_a_name) in [
            ("融合农作的众多比赛项目让选手投入。", "众多比赛项目"),
            ("成都将启动新一轮对外高铁、航空通道建设。", "新一轮对外高铁"),
            ("共同开发铝、钛等金属冶炼及深加工项目。", "钛"),
            (
                "加强对“三农”、小微企业、保障性安居工程等重点领域和民生工程的支持。",
                "小微企业",
            ),
        ] {
            let projects = projects_in(text);
            assert!(
                project_named(&projects, not_a_name).is_none(),
                "{not_a_name}: {projects:?}"
            );
        }
        // A category word right after 等 still makes the members projects.
        let listed = projects_in("推进双塔汇、奥特莱斯等重点项目。");
        assert!(project_named(&listed, "奥特莱斯").is_some(), "{listed:?}");
    }

    /// Lines cross counties: one belongs to a county only when the text says it starts
    /// at or passes through it, never by the paragraph it is in. Other projects take
    /// the place the sentence puts them in after their name, also for a headline
    /// mention of the same project.
    #[test]
    fn projects_are_placed_by_what_the_text_says() {
        let lines = projects_in(
            "湖北兴山县交通不便。2015年初，随着沪蓉高速宜昌至恩施巴东段通车，兴山县境内有了高速公路。今年6月，郑渝高铁通车。",
        );
        assert_eq!(
            project_named(&lines, "沪蓉高速宜昌至恩施巴东段"),
            Some(&None)
        );
        assert_eq!(project_named(&lines, "郑渝高铁"), Some(&None));
        let through = projects_in("江西寻乌县交通改善，瑞金经寻乌县到梅州的瑞梅铁路也将开工建设。");
        assert_eq!(
            project_named(&through, "瑞梅铁路"),
            Some(&Some("寻乌县".to_owned()))
        );
        let water = projects_in(
            "吉林水网骨干工程今天开工\n\n今天，吉林水网骨干工程在吉林省东丰县金牛支洞施工现场开工。",
        );
        let districts: Vec<&Option<String>> = water
            .iter()
            .filter(|(n, _)| n == "吉林水网骨干工程")
            .map(|(_, d)| d)
            .collect();
        assert_eq!(districts.len(), 2, "{water:?}");
        assert!(
            districts.iter().all(|d| d.as_deref() == Some("东丰县")),
            "{water:?}"
        );
    }

    fn officials_in(text: &str) -> Vec<(String, Vec<String>)> {
        Extractor::shared()
            .extract_text("t.txt", text)
            .into_iter()
            .filter(|i| i.kind == ItemKind::Official)
            .map(|i| (i.text, i.titles.unwrap_or_default()))
            .collect()
    }

    /// What the corpus's Xinhua folder showed as officials: words, countries, a club.
    #[test]
    fn officials_are_people_with_public_posts() {
        assert_eq!(
            officials_in("李克强会见越南总理阮春福。"),
            vec![("阮春福".to_owned(), vec!["越南总理".to_owned()])]
        );
        let iraq = officials_in("同来华进行正式访问的伊拉克总理阿巴迪举行会谈。");
        assert_eq!(
            iraq.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["阿巴迪"]
        );
        assert!(officials_in("乡镇案件大部存在乡镇领导干部或与乡镇勾结。").is_empty());
        assert!(officials_in("巴黎圣日耳曼俱乐部主席阿尔赫表示。").is_empty());
        assert_eq!(
            officials_in("全国青联副主席周长奎在开幕致辞中说。")[0].0,
            "周长奎"
        );
        // CCTV: 韩/j 正在/t, 和/c 卢拉/nr.
        assert_eq!(officials_in("国家副主席韩正在京会见。"), vec![]);
        assert!(
            !officials_in("国家主席和卢拉总统会谈。")
                .iter()
                .any(|(n, _)| n == "和卢拉")
        );
    }

    #[test]
    fn skipped_sentences_become_one_token_each() {
        let chunk_text = "第一句没有。第二句有项目；第三句";
        let structure = Structure::parse(chunk_text);
        let index = CharIndex::new(chunk_text);
        let chunks = text::chunks(chunk_text, &structure, &index);
        let cache = TagCache::new(&Extractor::shared().jieba, &chunks);
        let tokens = cache.tokens(0, |s| s.contains("项目"));
        let skipped: Vec<&str> = tokens
            .iter()
            .filter(|t| t.tag == UNSEGMENTED)
            .map(|t| t.word)
            .collect();
        assert_eq!(skipped, ["第一句没有。", "第三句"]);
        let covered: String = tokens.iter().map(|t| t.word).collect();
        assert_eq!(covered, chunk_text);
    }
}
