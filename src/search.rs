//! Full-text search over a folder's articles (not its items): plain text or a regular
//! expression, case-insensitive and width-insensitive (`１２７３` finds `1273`, `ＰＰＰ`
//! finds `ppp`). Matches are character offsets into the decoded text, like every
//! offset that leaves the core, with the byte offsets kept for showing them.
//!
//! Width folding maps the full-width forms that numbers, codes and Latin names are
//! written with (digits, letters, `．` `％` `＋` `－` `／`, the ideographic space) to their
//! ASCII counterparts, one character for one, so a match in the folded text is at the
//! same character offsets in the article. Chinese punctuation (`，` `（` `：`…) is left as
//! it is: every article has it, and folding it would mean a second copy of every text.
//! Only the articles that hold a foldable character get a folded copy ([`SearchIndex`]);
//! the rest are searched as they are.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::corpus::Document;
use crate::extract::text::CharCursor;

/// Documents searched between two looks at the cancel flag and two batches of results:
/// small enough that the first results arrive at once, large enough to keep both cores
/// busy.
const BATCH_DOCUMENTS: usize = 512;

/// Why a query cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("not a regular expression: {0}")]
    BadRegex(String),
}

/// A compiled query.
#[derive(Debug, Clone)]
pub struct Query {
    regex: regex::Regex,
}

impl Query {
    /// `text` as typed; with `is_regex` a regular expression (Rust `regex` syntax).
    pub fn new(text: &str, is_regex: bool) -> Result<Query, QueryError> {
        if text.trim().is_empty() {
            return Err(QueryError::Empty);
        }
        let pattern = if is_regex {
            fold_pattern(text)
        } else {
            regex::escape(&fold(text))
        };
        let regex = regex::RegexBuilder::new(&pattern)
            .case_insensitive(true)
            // A pathological pattern is refused rather than allowed to eat the memory.
            .size_limit(50 << 20)
            .build()
            .map_err(|err| QueryError::BadRegex(err.to_string()))?;
        Ok(Query { regex })
    }

    /// The matches in `text`, in order, as character and byte ranges of `text`. Empty
    /// matches (a regex like `a*`) are skipped.
    pub fn find_in(&self, text: &str, folded: Option<&str>) -> Vec<Found> {
        let searched = folded.unwrap_or(text);
        let mut found = Vec::new();
        let mut searched_cursor = CharCursor::new(searched);
        let mut text_cursor = CharCursor::new(text);
        for hit in self.regex.find_iter(searched) {
            if hit.is_empty() {
                continue;
            }
            let start = searched_cursor.char_at(hit.start());
            let end = searched_cursor.char_at(hit.end());
            let bytes = if folded.is_some() {
                text_cursor.byte_at(start)..text_cursor.byte_at(end)
            } else {
                hit.range()
            };
            found.push(Found {
                chars: start..end,
                bytes,
            });
        }
        found
    }
}

/// One match in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub chars: Range<usize>,
    pub bytes: Range<usize>,
}

/// One match in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into the folder's documents.
    pub document: usize,
    pub chars: Range<usize>,
    pub bytes: Range<usize>,
}

/// The folded copies of the articles that need one, built once per folder.
#[derive(Debug, Default)]
pub struct SearchIndex {
    folded: Vec<Option<String>>,
}

impl SearchIndex {
    pub fn build(documents: &[Document]) -> SearchIndex {
        SearchIndex {
            folded: documents
                .par_iter()
                .map(|d| d.text.chars().any(needs_folding).then(|| fold(&d.text)))
                .collect(),
        }
    }

    /// Bytes held by the folded copies.
    pub fn bytes(&self) -> usize {
        self.folded.iter().flatten().map(String::len).sum()
    }

    fn folded(&self, document: usize) -> Option<&str> {
        self.folded.get(document).and_then(|f| f.as_deref())
    }
}

/// Searches `documents` in order, a batch at a time, handing each batch's matches (in
/// document and text order) to `on_batch` until it returns `false` or `cancel` is set.
/// At most `limit` matches are handed over; whether the search stopped at the limit.
pub fn search(
    documents: &[Document],
    index: &SearchIndex,
    query: &Query,
    limit: usize,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(Vec<Match>, usize) -> bool,
) -> bool {
    let mut handed = 0;
    for (batch, chunk) in documents.chunks(BATCH_DOCUMENTS).enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return false;
        }
        let first = batch * BATCH_DOCUMENTS;
        let per_document: Vec<Vec<Match>> = chunk
            .par_iter()
            .enumerate()
            .map(|(offset, document)| {
                let at = first + offset;
                if document.error.is_some() {
                    return Vec::new();
                }
                query
                    .find_in(&document.text, index.folded(at))
                    .into_iter()
                    .map(|found| Match {
                        document: at,
                        chars: found.chars,
                        bytes: found.bytes,
                    })
                    .collect()
            })
            .collect();
        let mut matches: Vec<Match> = per_document.into_iter().flatten().collect();
        let reached_limit = handed + matches.len() >= limit;
        matches.truncate(limit - handed);
        handed += matches.len();
        let searched = first + chunk.len();
        if !on_batch(matches, searched) || reached_limit {
            return reached_limit;
        }
    }
    false
}

/// The words around a match, within its sentence and at most `reach` characters each
/// side: (before, the match, after). Line breaks inside become spaces.
pub fn in_context(text: &str, bytes: Range<usize>, reach: usize) -> (String, String, String) {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | '；');
    let Some(hit) = text.get(bytes.clone()) else {
        return Default::default();
    };
    let before: Vec<char> = text[..bytes.start]
        .chars()
        .rev()
        .take_while(|&c| !is_end(c))
        .take(reach)
        .collect();
    let before: String = before.into_iter().rev().collect();
    let after: String = text[bytes.end..]
        .chars()
        .take_while(|&c| !is_end(c))
        .take(reach)
        .collect();
    let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    (flat(&before), flat(hit), flat(&after))
}

/// The sentence holding a match, whole (for the command line and citations).
pub fn sentence(text: &str, bytes: Range<usize>) -> String {
    let (before, hit, after) = in_context(text, bytes, usize::MAX);
    format!("{}{hit}{}", before.trim_start(), after.trim_end())
}

fn needs_folding(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '％' | '＋' | '－' | '／' | '\u{3000}')
}

/// One character for one: the full-width forms of numbers and Latin letters become
/// ASCII, the ideographic space a space.
fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        c if needs_folding(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `text` with full-width forms folded.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// A regular expression with full-width forms folded: a full-width character is always
/// a literal, so one that folds to a regex metacharacter (`（` to `(`) is escaped.
fn fold_pattern(pattern: &str) -> String {
    let mut folded = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        let f = fold_char(c);
        if f != c && !f.is_alphanumeric() && f != ' ' {
            folded.push_str(&regex::escape(&f.to_string()));
        } else {
            folded.push(f);
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars_of(text: &str, range: Range<usize>) -> String {
        text.chars().skip(range.start).take(range.len()).collect()
    }

    #[test]
    fn width_and_case_do_not_matter_and_offsets_are_characters() {
        let text = "清徐县投资１２７３万元，ＰＰＰ模式；另投1273万元建ppp项目。";
        let query = Query::new("1273", false).unwrap();
        let folded = fold(text);
        let found = query.find_in(text, Some(&folded));
        assert_eq!(found.len(), 2);
        assert_eq!(chars_of(text, found[0].chars.clone()), "１２７３");
        assert_eq!(&text[found[0].bytes.clone()], "１２７３");
        assert_eq!(&text[found[1].bytes.clone()], "1273");
        let query = Query::new("ｐｐｐ", false).unwrap();
        let found = query.find_in(text, Some(&folded));
        let texts: Vec<&str> = found.iter().map(|f| &text[f.bytes.clone()]).collect();
        assert_eq!(texts, ["ＰＰＰ", "ppp"]);
        for f in &found {
            assert_eq!(chars_of(text, f.chars.clone()), &text[f.bytes.clone()]);
        }
    }

    #[test]
    fn regular_expressions_and_their_mistakes() {
        let text = "总投资63亿元，总投资8.16亿元（含（二期））";
        let query = Query::new(r"总投资[\d.]+亿元", true).unwrap();
        let found = query.find_in(text, None);
        let texts: Vec<&str> = found.iter().map(|f| &text[f.bytes.clone()]).collect();
        assert_eq!(texts, ["总投资63亿元", "总投资8.16亿元"]);
        // A full-width bracket in a regex is a literal, not a group.
        let query = Query::new("（二期）", true).unwrap();
        let folded = fold(text);
        assert_eq!(query.find_in(text, Some(&folded)).len(), 1);
        assert!(matches!(
            Query::new("(", true),
            Err(QueryError::BadRegex(_))
        ));
        assert_eq!(Query::new("  ", false).unwrap_err(), QueryError::Empty);
        // A plain query with regex characters means them literally.
        assert_eq!(
            Query::new("8.16", false).unwrap().find_in(text, None).len(),
            1
        );
        assert_eq!(Query::new("a*", true).unwrap().find_in(text, None).len(), 0);
    }

    #[test]
    fn a_folder_is_searched_in_batches_in_order_and_stops_when_asked() {
        let documents: Vec<Document> = (0..1200)
            .map(|i| Document::from_text(&format!("{i:04}.txt"), "总投资１０亿元。总投资"))
            .collect();
        let index = SearchIndex::build(&documents);
        assert!(index.bytes() > 0);
        let query = Query::new("总投资", false).unwrap();
        let cancel = AtomicBool::new(false);
        let mut all = Vec::new();
        let mut batches = 0;
        let stopped = search(&documents, &index, &query, usize::MAX, &cancel, |m, _| {
            batches += 1;
            all.extend(m);
            true
        });
        assert!(!stopped);
        assert_eq!(batches, 3);
        assert_eq!(all.len(), 2400);
        assert!(
            all.windows(2)
                .all(|w| (w[0].document, w[0].chars.start) < (w[1].document, w[1].chars.start))
        );
        assert_eq!(all[1].chars, 8..11);
        // The limit stops the search and says so.
        let mut limited = 0;
        assert!(search(&documents, &index, &query, 700, &cancel, |m, _| {
            limited += m.len();
            true
        }));
        assert_eq!(limited, 700);
        // The caller can stop it after the first batch.
        let mut calls = 0;
        search(&documents, &index, &query, usize::MAX, &cancel, |_, _| {
            calls += 1;
            false
        });
        assert_eq!(calls, 1);
        cancel.store(true, Ordering::Relaxed);
        search(&documents, &index, &query, usize::MAX, &cancel, |_, _| {
            panic!("cancelled")
        });
    }

    #[test]
    fn a_match_is_shown_within_its_sentence() {
        let text = "第一句。清徐县签约项目11个，总投资80.46亿元。\n下一段";
        let start = text.find("总投资").unwrap();
        let bytes = start..start + "总投资".len();
        let (before, hit, after) = in_context(text, bytes.clone(), 40);
        assert_eq!(
            (before.as_str(), hit.as_str(), after.as_str()),
            ("清徐县签约项目11个，", "总投资", "80.46亿元")
        );
        let (before, _, _) = in_context(text, bytes.clone(), 3);
        assert_eq!(before, "1个，");
        assert_eq!(sentence(text, bytes), "清徐县签约项目11个，总投资80.46亿元");
    }
}
