//! What the analyst knows about names, as lexicons the extractor obeys: *never* extract
//! this text as this kind (`形象工程` is not a project), *always* extract that one (a
//! roster of officials, the projects a desk tracks). A lexicon is a plain UTF-8 TSV file
//! with a header row (columns separated by tabs, shown here as `→`):
//!
//! ```text
//! kind → text → action → district → note
//! project → 形象工程 → never → → a slogan, not a project
//! official → 王剑峰 → always → 清徐县 → county party secretary
//! ```
//!
//! `kind` is `district`, `official`, `project`, `amount` or `date`; `action` is `never`
//! or `always`; `district` (optional) places an `always` item. One lexicon lives with
//! the folder (`.policylens/lexicon.tsv`, so it travels when the folder is shared), one
//! with the user (it applies to every folder).
//!
//! Lexicons apply on top of the extraction, after the cache, and the ids of the items
//! they leave are unchanged. When a lexicon changes, only the documents where a changed
//! entry's text occurs are extracted again ([`crate::pipeline::reapply_lexicon`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::corpus::Document;
use crate::extract::text::CharCursor;
use crate::extract::{Item, ItemKind};

/// The file name of a lexicon, in a folder's data directory and in the user's.
pub const FILE_NAME: &str = "lexicon.tsv";
const HEADER: [&str; 5] = ["kind", "text", "action", "district", "note"];

/// What an entry asks of the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Never,
    Always,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Never => "never",
            Action::Always => "always",
        }
    }
}

/// One line of a lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    pub kind: ItemKind,
    pub text: String,
    pub action: Action,
    pub district: Option<String>,
    pub note: String,
}

impl Entry {
    pub fn never(kind: ItemKind, text: &str) -> Entry {
        Entry {
            kind,
            text: text.to_owned(),
            action: Action::Never,
            district: None,
            note: String::new(),
        }
    }

    pub fn always(kind: ItemKind, text: &str, district: Option<&str>) -> Entry {
        Entry {
            kind,
            text: text.to_owned(),
            action: Action::Always,
            district: district.map(str::to_owned),
            note: String::new(),
        }
    }
}

/// A line that could not be read; the rest of the lexicon still applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}: line {line} of {}", path.display())]
pub struct LineProblem {
    pub path: PathBuf,
    /// 1-based, counting the header.
    pub line: usize,
    pub problem: Problem,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("unknown kind {0:?} (district, official, project, amount or date)")]
    UnknownKind(String),
    #[error("unknown action {0:?} (never or always)")]
    UnknownAction(String),
    #[error("empty text")]
    EmptyText,
    #[error("too few fields (kind, text and action are needed)")]
    TooFewFields,
    #[error("unreadable ({0})")]
    Unreadable(String),
}

/// Entries, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
    /// Comments and lines that could not be read, as written: saving the lexicon keeps
    /// them (after the entries), so a change made in the app never loses a line the
    /// analyst wrote and is still to fix.
    pub kept_lines: Vec<String>,
}

impl Lexicon {
    /// Reads the TSV text of a lexicon (`path` names it in problems). A header row is
    /// optional; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str, path: &Path) -> (Lexicon, Vec<LineProblem>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut entries = Vec::new();
        let mut kept_lines = Vec::new();
        let mut problems = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let problem = |problem| LineProblem {
                path: path.to_path_buf(),
                line,
                problem,
            };
            if raw.trim().is_empty() {
                continue;
            }
            if raw.trim_start().starts_with('#') {
                kept_lines.push(raw.to_owned());
                continue;
            }
            let fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
            let field = |i: usize| fields.get(i).copied().unwrap_or("");
            if field(0).eq_ignore_ascii_case("kind") && field(1).eq_ignore_ascii_case("text") {
                continue;
            }
            if fields.len() < 3 {
                problems.push(problem(Problem::TooFewFields));
                kept_lines.push(raw.to_owned());
                continue;
            }
            let Some(kind) = kind_named(field(0)) else {
                problems.push(problem(Problem::UnknownKind(field(0).to_owned())));
                kept_lines.push(raw.to_owned());
                continue;
            };
            let action = match field(2).to_ascii_lowercase().as_str() {
                "never" => Action::Never,
                "always" => Action::Always,
                other => {
                    problems.push(problem(Problem::UnknownAction(other.to_owned())));
                    kept_lines.push(raw.to_owned());
                    continue;
                }
            };
            if field(1).is_empty() {
                problems.push(problem(Problem::EmptyText));
                kept_lines.push(raw.to_owned());
                continue;
            }
            entries.push(Entry {
                kind,
                text: field(1).to_owned(),
                action,
                district: Some(field(3)).filter(|d| !d.is_empty()).map(str::to_owned),
                note: field(4).to_owned(),
            });
        }
        (
            Lexicon {
                entries,
                kept_lines,
            },
            problems,
        )
    }

    /// Reads a lexicon file; a missing file is an empty lexicon.
    pub fn read(path: &Path) -> std::io::Result<(Lexicon, Vec<LineProblem>)> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Lexicon::parse(&String::from_utf8_lossy(&bytes), path)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Ok((Lexicon::default(), Vec::new()))
            }
            Err(err) => Err(err),
        }
    }

    /// Writes the lexicon as TSV with its header, replacing the file only once the new
    /// one is complete.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut text = HEADER.join("\t");
        text.push('\n');
        for entry in &self.entries {
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                entry.kind.as_str(),
                clean(&entry.text),
                entry.action.as_str(),
                clean(entry.district.as_deref().unwrap_or("")),
                clean(&entry.note),
            ));
        }
        for line in &self.kept_lines {
            text.push_str(line);
            text.push('\n');
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temp = path.with_extension("tsv.tmp");
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, path)
    }

    /// Adds an entry unless the same kind and text already has one; an opposite action
    /// for the same kind and text is replaced. Returns whether anything changed.
    pub fn insert(&mut self, entry: Entry) -> bool {
        let key = normalized(&entry.text);
        if let Some(existing) = self
            .entries
            .iter_mut()
            .find(|e| e.kind == entry.kind && normalized(&e.text) == key)
        {
            if existing.action == entry.action && existing.district == entry.district {
                return false;
            }
            *existing = entry;
            return true;
        }
        self.entries.push(entry);
        true
    }

    /// Removes the entry for `kind` and `text`; whether there was one.
    pub fn remove(&mut self, kind: ItemKind, text: &str) -> bool {
        let key = normalized(text);
        let before = self.entries.len();
        self.entries
            .retain(|e| !(e.kind == kind && normalized(&e.text) == key));
        self.entries.len() != before
    }

    /// This lexicon's entries followed by `other`'s (a folder's, then the user's: the
    /// first entry for a kind and text wins).
    pub fn merged(&self, other: &Lexicon) -> Lexicon {
        let mut merged = self.clone();
        for entry in &other.entries {
            let key = normalized(&entry.text);
            if !merged
                .entries
                .iter()
                .any(|e| e.kind == entry.kind && normalized(&e.text) == key)
            {
                merged.entries.push(entry.clone());
            }
        }
        merged
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// An extractor whose segmenter knows [`Lexicon::segmenter_words`], when there are
    /// any (building one loads the dictionary again); the shared one serves otherwise.
    pub fn own_extractor(&self) -> Option<crate::Extractor> {
        let words = self.segmenter_words();
        (!words.is_empty()).then(|| crate::Extractor::with_words(&words))
    }

    /// A digest of [`Lexicon::segmenter_words`], empty when there are none: what the
    /// extraction cache is keyed by besides the extractor's version.
    pub fn segmenter_digest(&self) -> String {
        let mut words = self.segmenter_words();
        if words.is_empty() {
            return String::new();
        }
        words.sort();
        let mut hasher = Sha256::new();
        for (word, tag) in &words {
            for field in [word.as_str(), tag] {
                hasher.update(field.as_bytes());
                hasher.update([0]);
            }
        }
        hasher.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The texts (trimmed) of the entries that differ between this lexicon and `other`:
    /// added, removed, or with another action or district. Each text once, in order.
    pub fn changed_texts(&self, other: &Lexicon) -> Vec<String> {
        let key = |e: &Entry| (e.kind, normalized(&e.text), e.action, e.district.clone());
        let mine: HashSet<_> = self.entries.iter().map(key).collect();
        let theirs: HashSet<_> = other.entries.iter().map(key).collect();
        let mut texts: Vec<String> = Vec::new();
        let differing = (self.entries.iter().filter(|e| !theirs.contains(&key(e))))
            .chain(other.entries.iter().filter(|e| !mine.contains(&key(e))));
        for entry in differing {
            let text = entry.text.trim();
            if !text.is_empty() && !texts.iter().any(|t| t == text) {
                texts.push(text.to_owned());
            }
        }
        texts
    }

    /// The words of `always` entries for the segmenter, with a part-of-speech tag fit
    /// for their kind (person, place, other proper noun); amounts and dates are not
    /// words the segmenter needs to keep.
    pub fn segmenter_words(&self) -> Vec<(String, &'static str)> {
        self.entries
            .iter()
            .filter(|e| e.action == Action::Always)
            .filter_map(|e| {
                let tag = match e.kind {
                    ItemKind::Official => "nr",
                    ItemKind::District | ItemKind::City => "ns",
                    ItemKind::Project => "nz",
                    ItemKind::Amount | ItemKind::Date => return None,
                };
                let word = normalized(&e.text);
                (!word.is_empty()).then_some((word, tag))
            })
            .collect()
    }

    /// Applies the lexicon to a folder's items (grouped by document, each group in text
    /// order, as the pipeline makes them): items a `never` entry names go, every
    /// occurrence of an `always` entry's text becomes an item unless an item of that kind
    /// already covers it. The order is kept.
    pub fn apply(&self, documents: &[Document], items: &mut Vec<Item>) -> Applied {
        let mut applied = Applied::default();
        if self.entries.is_empty() {
            return applied;
        }
        // Text → the kinds never to extract it as; looked up without allocating for the
        // usual text without whitespace.
        let mut never: HashMap<String, Vec<ItemKind>> = HashMap::new();
        for entry in self.entries.iter().filter(|e| e.action == Action::Never) {
            never
                .entry(normalized(&entry.text))
                .or_default()
                .push(entry.kind);
        }
        if !never.is_empty() {
            let before = items.len();
            items.retain(|item| {
                let kinds = if item.text.contains(char::is_whitespace) {
                    never.get(&normalized(&item.text))
                } else {
                    never.get(item.text.as_str())
                };
                let named = kinds.is_some_and(|kinds| kinds.contains(&item.kind));
                if named {
                    applied.files.insert(item.file.clone());
                }
                !named
            });
            applied.removed = before - items.len();
        }
        let always: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.action == Action::Always && !e.text.trim().is_empty())
            .collect();
        if always.is_empty() {
            return applied;
        }
        // A DFA scans the whole corpus about twice as fast as the default NFA; a lexicon
        // too large for one (the DFA has a size limit) gets the default.
        let patterns: Vec<&str> = always.iter().map(|e| e.text.trim()).collect();
        let builder = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&patterns)
        };
        let Ok(matcher) =
            builder(Some(aho_corasick::AhoCorasickKind::DFA)).or_else(|_| builder(None))
        else {
            return applied;
        };
        let runs = runs_by_file(items);
        let existing_items: &[Item] = items;
        // Documents are searched in parallel, like extraction itself.
        let found: Vec<(&str, Vec<Item>)> = documents
            .par_iter()
            .filter(|d| d.error.is_none() && !d.text.is_empty())
            .filter_map(|document| {
                let mut hits = matcher.find_iter(&document.text).peekable();
                hits.peek()?;
                let existing: Vec<&Item> = runs
                    .get(document.file.as_str())
                    .map(|run| existing_items[run.clone()].iter().collect())
                    .unwrap_or_default();
                let mut chars = CharCursor::new(&document.text);
                let mut occurrences: HashMap<(ItemKind, &str), u32> = HashMap::new();
                let mut new = Vec::new();
                for hit in hits {
                    let entry = always[hit.pattern().as_usize()];
                    let start = chars.char_at(hit.start());
                    let end = chars.char_at(hit.end());
                    let covered = existing
                        .iter()
                        .any(|i| i.kind == entry.kind && i.start < end && start < i.end);
                    if covered {
                        continue;
                    }
                    let text = &document.text[hit.start()..hit.end()];
                    let occurrence = occurrences.entry((entry.kind, text)).or_insert(0);
                    let mut item = Item::bare(
                        lexicon_item_id(&document.file, entry.kind, text, *occurrence),
                        entry.kind,
                        document.file.clone(),
                        text.to_owned(),
                        start..end,
                    );
                    *occurrence += 1;
                    item.district = entry
                        .district
                        .clone()
                        .or_else(|| district_before(&existing, start));
                    item.canonical = (entry.kind == ItemKind::District).then(|| text.to_owned());
                    new.push(item);
                }
                (!new.is_empty()).then_some((document.file.as_str(), new))
            })
            .collect();
        let added: HashMap<&str, Vec<Item>> = found.into_iter().collect();
        if added.is_empty() {
            return applied;
        }
        applied.added = added.values().map(Vec::len).sum();
        applied.files.extend(added.keys().map(|f| (*f).to_owned()));
        // Each document's items stay together and in text order; items move, never copy.
        let mut added: HashMap<String, Vec<Item>> = added
            .into_iter()
            .map(|(file, new)| (file.to_owned(), new))
            .collect();
        let mut old = std::mem::take(items).into_iter().peekable();
        let mut merged = Vec::with_capacity(old.len() + applied.added);
        for document in documents {
            let first = merged.len();
            while let Some(item) = old.next_if(|i: &Item| i.file == document.file) {
                merged.push(item);
            }
            if let Some(new) = added.remove(document.file.as_str()) {
                merged.extend(new);
                merged[first..].sort_by_key(|i| (i.start, i.end));
            }
        }
        // Items of files not among the documents (none are expected) are kept.
        merged.extend(old);
        *items = merged;
        applied
    }
}

/// What applying a lexicon changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub removed: usize,
    pub added: usize,
    /// The files whose items changed.
    pub files: std::collections::BTreeSet<String>,
}

/// Where each file's run of items is in the grouped list.
fn runs_by_file(items: &[Item]) -> HashMap<&str, std::ops::Range<usize>> {
    let mut runs: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        runs.entry(item.file.as_str())
            .and_modify(|run| run.end = index + 1)
            .or_insert(index..index + 1);
    }
    runs
}

/// The county-level district last named before `start`, for an `always` item without
/// one of its own (a round-up names the district before its projects).
fn district_before(items: &[&Item], start: usize) -> Option<String> {
    items
        .iter()
        .filter(|i| i.start < start && i.kind == ItemKind::District)
        .filter_map(|i| i.county())
        .next_back()
        .map(str::to_owned)
}

/// Ids of lexicon items: like the extractor's (file, kind, text, occurrence), salted so
/// they never equal an extracted item's.
fn lexicon_item_id(file: &str, kind: ItemKind, text: &str, occurrence: u32) -> String {
    let mut hasher = Sha256::new();
    for part in ["lexicon", file, kind.as_str(), text] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.update(occurrence.to_le_bytes());
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `item`'s text is `text`, whitespace aside.
pub fn same_text(item_text: &str, text: &str) -> bool {
    item_text
        .chars()
        .filter(|c| !c.is_whitespace())
        .eq(text.chars().filter(|c| !c.is_whitespace()))
}

/// Text compared without whitespace (page breaks split names: `储⏎⏎能项目`).
fn normalized(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn kind_named(name: &str) -> Option<ItemKind> {
    let name = name.to_ascii_lowercase();
    ItemKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name && *k != ItemKind::City)
}

/// `.policylens/lexicon.tsv` of a folder.
pub fn folder_lexicon_path(folder: &Path) -> PathBuf {
    folder.join(crate::corpus::DATA_DIR_NAME).join(FILE_NAME)
}

/// The user's own lexicon, which applies to every folder.
pub fn user_lexicon_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "PolicyLens")?;
    Some(dirs.data_dir().join(FILE_NAME))
}

/// The lexicons that apply to `folder` (none for dropped files): its own, then the
/// user's at `user` (the app's; the command line leaves it out so its output depends
/// only on what it is given), then `extra` files (`--lexicon`), merged with the earlier
/// entry winning. Problems of every file are returned; a file that cannot be read is one
/// problem.
pub fn for_folder(
    folder: Option<&Path>,
    user: Option<&Path>,
    extra: &[PathBuf],
) -> (Lexicon, Vec<LineProblem>) {
    let mut lexicon = Lexicon::default();
    let mut problems = Vec::new();
    let paths = folder
        .map(folder_lexicon_path)
        .into_iter()
        .chain(user.map(Path::to_path_buf))
        .chain(extra.iter().cloned());
    for path in paths {
        match Lexicon::read(&path) {
            Ok((read, mut found)) => {
                lexicon = lexicon.merged(&read);
                problems.append(&mut found);
            }
            Err(err) => problems.push(LineProblem {
                path: path.clone(),
                line: 0,
                problem: Problem::Unreadable(err.to_string()),
            }),
        }
    }
    (lexicon, problems)
}

/// Why a list could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {detail}", path.display())]
    Unreadable { detail: String, path: PathBuf },
    #[error("no column of names (name, 姓名, text, 名称, 项目…) in {}", path.display())]
    NoNameColumn { path: PathBuf },
}

/// Reads a list the analyst keeps (a roster of officials with posts and counties, a
/// list of tracked projects) from CSV or XLSX as `always` entries of `kind`. The first
/// row names the columns; the names are found under `name`, `text`, `姓名`, `名称`,
/// `项目`, the district under `district`, `county`, `区县`, `县`, and a post or note
/// under `post`, `title`, `note`, `职务`, `备注`. A `kind` column, when present, wins
/// over `kind` row by row. Rows without a name are skipped.
pub fn import_list(path: &Path, kind: ItemKind) -> Result<Vec<Entry>, ImportError> {
    let unreadable = |detail: String| ImportError::Unreadable {
        detail,
        path: path.to_path_buf(),
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows: Vec<Vec<String>> = if extension == "xlsx" || extension == "xls" {
        use calamine::Reader;
        let mut workbook =
            calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
        let sheet = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheet".into()))?;
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| unreadable(e.to_string()))?;
        range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| cell.to_string().trim().to_owned())
                    .collect()
            })
            .collect()
    } else {
        let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let delimiter =
            if extension == "tsv" || text.lines().next().is_some_and(|l| l.contains('\t')) {
                b'\t'
            } else {
                b','
            };
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(|f| f.trim().to_owned()).collect())
            .collect()
    };
    let Some((header, rows)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let name =
        column(&["name", "text", "姓名", "名称", "项目", "项目名称", "官员"]).ok_or_else(|| {
            ImportError::NoNameColumn {
                path: path.to_path_buf(),
            }
        })?;
    let district = column(&["district", "county", "区县", "县", "县区", "地区"]);
    let note = column(&["post", "title", "note", "职务", "备注"]);
    let kind_column = column(&["kind", "类型"]);
    // A shared lexicon or a list of names to ignore says so; a roster needs no column.
    let action_column = column(&["action", "规则"]);
    let cell = |row: &[String], index: Option<usize>| {
        index
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
            .to_owned()
    };
    Ok(rows
        .iter()
        .filter(|row| !cell(row, Some(name)).is_empty())
        .map(|row| Entry {
            kind: kind_named(&cell(row, kind_column)).unwrap_or(kind),
            text: cell(row, Some(name)),
            action: match cell(row, action_column).to_ascii_lowercase().as_str() {
                "never" | "不提取" => Action::Never,
                _ => Action::Always,
            },
            district: Some(cell(row, district)).filter(|d| !d.is_empty()),
            note: cell(row, note),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(file: &str, text: &str) -> Document {
        Document::from_text(file, text)
    }

    fn item(file: &str, kind: ItemKind, text: &str, start: usize) -> Item {
        Item::bare(
            format!("{file}{start}"),
            kind,
            file.into(),
            text.into(),
            start..start + text.chars().count(),
        )
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number_and_the_rest_applies() {
        let text = "kind\ttext\taction\tdistrict\tnote\n\
                    project\t形象工程\tnever\t\t口号\n\
                    projekt\t某某\tnever\n\
                    official\t王剑峰\talways\t清徐县\n\
                    project\t\tnever\n\
                    official\t某人\tmaybe\n\
                    # a comment\n\
                    \n\
                    amount\n";
        let (lexicon, problems) = Lexicon::parse(text, Path::new("lexicon.tsv"));
        assert_eq!(lexicon.entries.len(), 2);
        assert_eq!(lexicon.entries[1].district.as_deref(), Some("清徐县"));
        let lines: Vec<(usize, &Problem)> = problems.iter().map(|p| (p.line, &p.problem)).collect();
        assert_eq!(
            lines,
            [
                (3, &Problem::UnknownKind("projekt".into())),
                (5, &Problem::EmptyText),
                (6, &Problem::UnknownAction("maybe".into())),
                (9, &Problem::TooFewFields),
            ]
        );
        assert!(problems[0].to_string().ends_with("line 3 of lexicon.tsv"));
        // Saving the lexicon (after a change in the app) keeps every line it could not
        // read, and the comment, for the analyst to fix; reading it again gives the same.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lexicon.tsv");
        let mut changed = lexicon.clone();
        changed.insert(Entry::never(ItemKind::Project, "某某工程"));
        changed.write(&path).unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        for line in [
            "projekt\t某某\tnever",
            "official\t某人\tmaybe",
            "# a comment",
            "amount",
        ] {
            assert!(saved.lines().any(|l| l == line), "{line:?} lost: {saved}");
        }
        let (again, problems_again) = Lexicon::read(&path).unwrap();
        assert_eq!(again, changed);
        assert_eq!(problems_again.len(), problems.len());
    }

    #[test]
    fn never_removes_and_always_adds_in_every_document() {
        let documents = [
            document("a.txt", "清徐县建设形象工程。王剑峰说，清源水城开工。"),
            document("b.txt", "阳曲县也有形象工程，清源水城。"),
        ];
        let mut items = vec![
            item("a.txt", ItemKind::District, "清徐县", 0),
            item("a.txt", ItemKind::Project, "形象工程", 5),
            item("a.txt", ItemKind::Official, "王剑峰", 10),
            item("b.txt", ItemKind::District, "阳曲县", 0),
            item("b.txt", ItemKind::Project, "形象工程", 5),
        ];
        items[0].district = Some("清徐县".into());
        items[0].canonical = Some("清徐县".into());
        items[3].district = Some("阳曲县".into());
        items[3].canonical = Some("阳曲县".into());
        let ids_before: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
        let lexicon = Lexicon {
            entries: vec![
                Entry::never(ItemKind::Project, "形象工程"),
                Entry::always(ItemKind::Project, "清源水城", None),
                Entry::always(ItemKind::Official, "王剑峰", Some("清徐县")),
            ],
            ..Lexicon::default()
        };
        let applied = lexicon.apply(&documents, &mut items);
        assert_eq!(applied.removed, 2);
        assert_eq!(applied.added, 2, "王剑峰 was already extracted");
        let shown: Vec<(&str, &str, Option<&str>)> = items
            .iter()
            .map(|i| (i.file.as_str(), i.text.as_str(), i.district.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a.txt", "清徐县", Some("清徐县")),
                ("a.txt", "王剑峰", None),
                ("a.txt", "清源水城", Some("清徐县")),
                ("b.txt", "阳曲县", Some("阳曲县")),
                ("b.txt", "清源水城", Some("阳曲县")),
            ]
        );
        // Character offsets, and the ids of the items that stay do not change.
        let qingyuan = &items[2];
        let chars: Vec<char> = documents[0].text.chars().collect();
        let span: String = chars[qingyuan.start..qingyuan.end].iter().collect();
        assert_eq!(span, "清源水城");
        assert!(ids_before.contains(&items[0].id) && ids_before.contains(&items[1].id));
    }

    /// Whatever a lexicon holds, extraction goes on: one entry per character of the
    /// text, thousands of entries, text that is only spaces.
    #[test]
    fn pathological_lexicons_never_break_extraction() {
        let text = "清徐县建设清源水城项目，总投资8.16亿元。".repeat(50);
        let documents = [document("a.txt", &text)];
        let every_character = Lexicon {
            entries: text
                .chars()
                .map(|c| Entry::always(ItemKind::Project, &c.to_string(), None))
                .chain([Entry::always(ItemKind::Official, "   ", None)])
                .collect(),
            ..Lexicon::default()
        };
        let mut items = Vec::new();
        let applied = every_character.apply(&documents, &mut items);
        assert_eq!(applied.added, text.chars().count());
        assert!(items.windows(2).all(|w| w[0].start < w[1].start));
        let many = Lexicon {
            entries: (0..10_000)
                .map(|i| Entry::never(ItemKind::Project, &format!("项目{i}")))
                .collect(),
            ..Lexicon::default()
        };
        let mut items = vec![item("a.txt", ItemKind::Project, "项目42", 0)];
        many.apply(&documents, &mut items);
        assert!(items.is_empty());
    }

    /// A roster kept in Excel or CSV becomes `always` entries: names, counties, posts.
    #[test]
    fn a_roster_is_imported_from_csv_and_xlsx() {
        let dir = tempfile::tempdir().unwrap();
        let csv_path = dir.path().join("roster.csv");
        std::fs::write(
            &csv_path,
            "\u{feff}姓名,职务,区县\n王剑峰,县委书记,清徐县\n,空行,\n裴耀军,区委书记,阳曲县\n",
        )
        .unwrap();
        let entries = import_list(&csv_path, ItemKind::Official).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].text, "王剑峰");
        assert_eq!(entries[0].district.as_deref(), Some("清徐县"));
        assert_eq!(entries[0].note, "县委书记");
        assert!(
            entries
                .iter()
                .all(|e| e.action == Action::Always && e.kind == ItemKind::Official)
        );
        let xlsx_path = dir.path().join("projects.xlsx");
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, values) in [["名称", "区县"], ["清源水城", "清徐县"], ["光伏产业园", ""]]
            .iter()
            .enumerate()
        {
            for (column, value) in values.iter().enumerate() {
                sheet
                    .write_string(row as u32, column as u16, *value)
                    .unwrap();
            }
        }
        workbook.save(&xlsx_path).unwrap();
        let entries = import_list(&xlsx_path, ItemKind::Project).unwrap();
        let names: Vec<(&str, Option<&str>)> = entries
            .iter()
            .map(|e| (e.text.as_str(), e.district.as_deref()))
            .collect();
        assert_eq!(names, [("清源水城", Some("清徐县")), ("光伏产业园", None)]);
        // An `action` column (a colleague's lexicon, a list of names to ignore) is kept.
        let tsv_path = dir.path().join("shared.tsv");
        std::fs::write(&tsv_path, "kind\ttext\taction\nproject\t形象工程\tnever\n").unwrap();
        let entries = import_list(&tsv_path, ItemKind::Official).unwrap();
        assert_eq!(entries, [Entry::never(ItemKind::Project, "形象工程")]);
        std::fs::write(dir.path().join("bad.csv"), "a,b\n1,2\n").unwrap();
        assert!(matches!(
            import_list(&dir.path().join("bad.csv"), ItemKind::Project),
            Err(ImportError::NoNameColumn { .. })
        ));
    }

    #[test]
    fn a_lexicon_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut lexicon = Lexicon::default();
        assert!(lexicon.insert(Entry::never(ItemKind::Project, "形象工程")));
        assert!(!lexicon.insert(Entry::never(ItemKind::Project, "形象 工程")));
        assert!(lexicon.insert(Entry::always(ItemKind::Official, "王剑峰", Some("清徐县"))));
        lexicon.write(&path).unwrap();
        let (read, problems) = Lexicon::read(&path).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read, lexicon);
        assert!(read.clone().remove(ItemKind::Project, "形象工程"));
        assert_ne!(
            read.segmenter_digest(),
            Lexicon::default().segmenter_digest()
        );
    }
}
