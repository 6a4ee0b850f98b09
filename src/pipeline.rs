//! Loading and extracting a whole folder in parallel, with progress and cancellation
//! through plain atomics so the command line and the desktop app share it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::cache::{self, ExtractionCache};
use crate::corpus::{self, Document, Fingerprint, LoadOptions};
use crate::error::Result;
use crate::extract::{Extractor, Item};

/// Progress of a running extraction, readable from another thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
    pub errors: AtomicUsize,
    cancel: AtomicBool,
    current: Mutex<String>,
}

impl Progress {
    /// Asks the run to stop; files already in flight finish.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The file most recently started.
    pub fn current_file(&self) -> String {
        self.current.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn set_current(&self, file: &str) {
        if let Ok(mut current) = self.current.lock() {
            current.clear();
            current.push_str(file);
        }
    }
}

/// Everything extracted from a folder.
#[derive(Debug, Default)]
pub struct Extraction {
    pub folder: PathBuf,
    /// Sorted by relative path.
    pub documents: Vec<Document>,
    /// Grouped by document in document order, each group in text order.
    pub items: Vec<Item>,
    /// True when the run was cancelled before every file was processed.
    pub cancelled: bool,
    /// How many documents' items came from the extraction cache.
    pub reused: usize,
    /// Why the extraction cache could not be written, if it could not.
    pub cache_error: Option<String>,
    /// What the analyst's lexicons changed.
    pub lexicon: crate::lexicon::Applied,
}

/// Loads every supported file under `folder` and extracts its items, in parallel.
/// Fails only when the folder itself cannot be read; bad files become documents with an
/// error.
pub fn extract_folder(
    folder: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Extraction> {
    if !options.use_cache {
        let entries = corpus::scan(folder)?;
        return Ok(extract_entries(folder, &entries, options, progress));
    }
    let options = LoadOptions {
        pdf_text_cache: Some(
            folder
                .join(corpus::DATA_DIR_NAME)
                .join(crate::cache::PDF_TEXT_DIR),
        ),
        ..options.clone()
    };
    let mut extraction = extract_folder_cached(folder, &options, progress)?;
    apply_lexicon(&mut extraction, &options);
    Ok(extraction)
}

/// An extractor of its own when the options' lexicon teaches the segmenter words; the
/// shared one serves otherwise.
fn own_extractor(options: &LoadOptions) -> Option<Extractor> {
    options.lexicon.as_ref()?.own_extractor()
}

/// Applies the options' lexicon, after the cache (which keeps what the rules found).
fn apply_lexicon(extraction: &mut Extraction, options: &LoadOptions) {
    if let Some(lexicon) = &options.lexicon {
        extraction.lexicon = lexicon.apply(&extraction.documents, &mut extraction.items);
    }
}

fn extract_folder_cached(
    folder: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Extraction> {
    // The cache holds what the rules find, with the words the lexicons teach the
    // segmenter (if any) as part of its key; the lexicons' other entries apply after it.
    let words = (options.lexicon.as_ref()).map_or_else(String::new, |l| l.segmenter_digest());
    // Reading the cache and walking the folder overlap.
    let (entries, cache) = rayon::join(
        || corpus::scan(folder),
        || ExtractionCache::load(folder, &words),
    );
    let entries = entries?;
    let cached_files = cache.len();
    let (mut extraction, fingerprints) =
        extract_with_cache(folder, &entries, options, progress, Some(cache));
    // Rewritten only when it would differ: a file was extracted anew, or one is gone.
    let unchanged =
        extraction.reused == cached_files && extraction.reused == extraction.documents.len();
    if !extraction.cancelled && !unchanged {
        let saved = cache::save(
            folder,
            &extraction.documents,
            &fingerprints,
            &extraction.items,
            &words,
        );
        if let Err(err) = saved {
            extraction.cache_error = Some(format!(
                "cannot save the extraction cache ({err}): {}",
                cache::cache_path(folder).display()
            ));
        }
    }
    Ok(extraction)
}

/// Extracts the given files and folders (relative to their common folder); see
/// [`extract_folder`].
pub fn extract_paths(
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Extraction> {
    let (root, entries) = corpus::scan_paths(paths)?;
    Ok(extract_entries(&root, &entries, options, progress))
}

/// Loads and extracts scanned entries in parallel.
pub fn extract_entries(
    folder: &Path,
    entries: &[corpus::Entry],
    options: &LoadOptions,
    progress: &Progress,
) -> Extraction {
    let mut extraction = extract_with_cache(folder, entries, options, progress, None).0;
    apply_lexicon(&mut extraction, options);
    extraction
}

/// [`extract_entries`], taking each file's items from `cache` when its fingerprint
/// matches; also returns the fingerprint of every document.
fn extract_with_cache(
    folder: &Path,
    entries: &[corpus::Entry],
    options: &LoadOptions,
    progress: &Progress,
    cache: Option<ExtractionCache>,
) -> (Extraction, Vec<Option<Fingerprint>>) {
    progress.total.store(entries.len(), Ordering::Relaxed);
    let own = own_extractor(options);
    let extractor = own.as_ref().unwrap_or_else(|| Extractor::shared());
    let results: Vec<Option<(Document, Option<Fingerprint>, ItemsOf)>> = entries
        .par_iter()
        .map(|entry| {
            if progress.is_cancelled() {
                return None;
            }
            progress.set_current(&entry.file);
            let (mut document, fingerprint) = corpus::load_entry_untitled(entry, options);
            if let (Some(cache), Some(fingerprint)) = (&cache, &fingerprint)
                && let Some(range) = cache.lookup(&mut document, fingerprint)
            {
                progress.done.fetch_add(1, Ordering::Relaxed);
                return Some((document, Some(*fingerprint), ItemsOf::Cached(range)));
            }
            if document.error.is_none() {
                document.title = corpus::structure::title_of(&document.text);
            }
            let items = extract_guarded(extractor, &mut document);
            if document.error.is_some() {
                progress.errors.fetch_add(1, Ordering::Relaxed);
            }
            progress.done.fetch_add(1, Ordering::Relaxed);
            Some((document, fingerprint, ItemsOf::Extracted(items)))
        })
        .collect();
    let cancelled = results.iter().any(Option::is_none);
    let mut extraction = Extraction {
        folder: folder.to_path_buf(),
        cancelled,
        ..Extraction::default()
    };
    let mut fingerprints = Vec::with_capacity(results.len());
    let mut sources = Vec::with_capacity(results.len());
    for (document, fingerprint, items) in results.into_iter().flatten() {
        extraction.documents.push(document);
        fingerprints.push(fingerprint);
        sources.push(items);
    }
    extraction.reused = sources
        .iter()
        .filter(|s| matches!(s, ItemsOf::Cached(_)))
        .count();
    extraction.items = merge_items(sources, cache);
    release_free_memory();
    (extraction, fingerprints)
}

/// The items of one document. A bug in one rule must cost one document, not the
/// analyst's whole folder: a panic becomes the document's error.
fn extract_guarded(extractor: &Extractor, document: &mut Document) -> Vec<Item> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extractor.extract(document))) {
        Ok(items) => items,
        Err(_) => {
            document.error = Some(crate::error::DocumentError::internal(&document.path));
            Vec::new()
        }
    }
}

/// Where a document's items come from.
enum ItemsOf {
    /// A range of the cache's items.
    Cached(std::ops::Range<usize>),
    Extracted(Vec<Item>),
}

/// The items of every document in one list, in document order. An unchanged folder
/// takes the cache's list as it is; otherwise each document's items are moved or copied
/// in, and the memory of the emptied per-document lists is handed back as it goes, so
/// the two do not add up on a large folder.
fn merge_items(sources: Vec<ItemsOf>, cache: Option<ExtractionCache>) -> Vec<Item> {
    if let Some(cache) = cache {
        let ranges: Option<Vec<std::ops::Range<usize>>> = sources
            .iter()
            .map(|s| match s {
                ItemsOf::Cached(range) => Some(range.clone()),
                ItemsOf::Extracted(_) => None,
            })
            .collect();
        if let Some(ranges) = ranges {
            return cache.into_items(&ranges);
        }
        return merge_lists(sources, cache.items());
    }
    merge_lists(sources, &[])
}

fn merge_lists(sources: Vec<ItemsOf>, cached: &[Item]) -> Vec<Item> {
    let count = sources
        .iter()
        .map(|s| match s {
            ItemsOf::Cached(range) => range.len(),
            ItemsOf::Extracted(items) => items.len(),
        })
        .sum();
    let mut items = Vec::with_capacity(count);
    for (done, source) in sources.into_iter().enumerate() {
        match source {
            ItemsOf::Cached(range) => items.extend_from_slice(&cached[range]),
            ItemsOf::Extracted(list) => items.extend(list),
        }
        if done % 4096 == 4095 {
            release_free_memory();
        }
    }
    items
}

/// Returns memory the allocator holds but no longer uses to the system (glibc keeps it
/// otherwise, and a 100,000-file folder frees hundreds of MB while loading).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Which files a [`refresh`] found added, changed or removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FolderChanges {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl FolderChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every file whose items may differ.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.added
            .iter()
            .chain(&self.changed)
            .chain(&self.removed)
            .map(String::as_str)
    }
}

/// Brings an extraction of `folder` up to date with the files at `paths` (files or
/// folders that were created, modified, renamed or removed; `rescan` checks every file).
/// Only files whose text differs are extracted again; everything else is reused.
///
/// Fails only when the folder itself is gone or unreadable.
pub fn refresh(
    folder: &Path,
    documents: &[Document],
    items: &[Item],
    paths: &BTreeSet<PathBuf>,
    rescan: bool,
    options: &LoadOptions,
) -> Result<(Extraction, FolderChanges)> {
    // The folder may be gone (an unplugged drive) even when no event said so.
    let entries_now = if rescan || paths.iter().any(|p| p == folder) {
        Some(corpus::scan(folder)?)
    } else {
        if !folder.is_dir() {
            return Err(crate::Error::FolderUnreadable {
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
                path: folder.to_path_buf(),
            });
        }
        None
    };
    let known: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.file.as_str(), i))
        .collect();
    let mut candidates: Vec<corpus::Entry> = Vec::new();
    let mut removed: BTreeSet<String> = BTreeSet::new();
    match entries_now {
        Some(entries) => {
            let present: BTreeSet<&str> = entries.iter().map(|e| e.file.as_str()).collect();
            removed.extend(
                documents
                    .iter()
                    .filter(|d| !present.contains(d.file.as_str()))
                    .map(|d| d.file.clone()),
            );
            candidates = entries;
        }
        None => {
            for path in paths {
                let name = corpus::relative_file_name(folder, path);
                if path.is_dir() {
                    let inside = corpus::scan(path).unwrap_or_default();
                    let present: BTreeSet<String> = inside
                        .iter()
                        .map(|e| format!("{name}/{}", e.file))
                        .collect();
                    removed.extend(
                        documents
                            .iter()
                            .filter(|d| is_under(&d.file, &name) && !present.contains(&d.file))
                            .map(|d| d.file.clone()),
                    );
                    candidates.extend(
                        inside
                            .into_iter()
                            .filter_map(|e| corpus::file_entry(folder, &e.path)),
                    );
                } else if path.exists() {
                    candidates.extend(corpus::file_entry(folder, path));
                } else {
                    removed.extend(
                        documents
                            .iter()
                            .filter(|d| d.file == name || is_under(&d.file, &name))
                            .map(|d| d.file.clone()),
                    );
                }
            }
            candidates.sort_by(|a, b| a.file.cmp(&b.file));
            candidates.dedup_by(|a, b| a.file == b.file);
        }
    }
    let own = own_extractor(options);
    let extractor = own.as_ref().unwrap_or_else(|| Extractor::shared());
    let fresh: Vec<(Document, Vec<Item>, bool)> = candidates
        .par_iter()
        .filter_map(|entry| {
            let mut document = corpus::load_entry(entry, options);
            let existing = known.get(entry.file.as_str()).map(|&i| &documents[i]);
            if let Some(old) = existing
                && old.text == document.text
                && old.error == document.error
            {
                return None;
            }
            let added = existing.is_none();
            let mut items = extract_guarded(extractor, &mut document);
            if let Some(lexicon) = &options.lexicon {
                lexicon.apply(std::slice::from_ref(&document), &mut items);
            }
            Some((document, items, added))
        })
        .collect();
    let mut changes = FolderChanges {
        removed: removed.into_iter().collect(),
        ..FolderChanges::default()
    };
    let mut replaced: HashMap<String, (Document, Vec<Item>)> = HashMap::new();
    for (document, items, added) in fresh {
        if added {
            changes.added.push(document.file.clone());
        } else {
            changes.changed.push(document.file.clone());
        }
        replaced.insert(document.file.clone(), (document, items));
    }
    let gone: BTreeSet<&str> = changes.removed.iter().map(String::as_str).collect();
    let mut items_of: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    for (file, run) in crate::extract::runs_by_file(items) {
        items_of.insert(file, run);
    }
    let mut merged: Vec<(Document, Option<Vec<Item>>)> = documents
        .iter()
        .filter(|d| !gone.contains(d.file.as_str()))
        .map(|d| match replaced.remove(&d.file) {
            Some((document, items)) => (document, Some(items)),
            None => (d.clone(), None),
        })
        .collect();
    merged.extend(
        replaced
            .into_values()
            .map(|(document, items)| (document, Some(items))),
    );
    merged.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    let mut extraction = Extraction {
        folder: folder.to_path_buf(),
        ..Extraction::default()
    };
    for (document, new_items) in merged {
        match new_items {
            Some(new_items) => extraction.items.extend(new_items),
            None => {
                if let Some(run) = items_of.get(document.file.as_str()) {
                    extraction.items.extend_from_slice(&items[run.clone()]);
                }
            }
        }
        extraction.documents.push(document);
    }
    Ok((extraction, changes))
}

fn is_under(file: &str, folder_name: &str) -> bool {
    file.len() > folder_name.len()
        && file.starts_with(folder_name)
        && file.as_bytes()[folder_name.len()] == b'/'
}

/// What a change of lexicon did to an open folder's items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LexiconChange {
    /// The texts of the entries that changed.
    pub texts: Vec<String>,
    pub removed: usize,
    pub added: usize,
    /// The files whose items changed, sorted.
    pub files: Vec<String>,
}

/// Applies a changed lexicon to a folder already extracted with `before`: only the
/// documents where a changed entry's text occurs (in the text, or as an item's text) are
/// extracted again, from the text in memory, with `after`; every other document keeps
/// its items, ids and all. `items` are grouped by document in document order, as
/// [`extract_folder`] makes them. Returns the new items and what changed.
pub fn reapply_lexicon(
    documents: &[Document],
    items: &[Item],
    before: &crate::lexicon::Lexicon,
    after: &crate::lexicon::Lexicon,
) -> (Vec<Item>, LexiconChange) {
    let texts = before.changed_texts(after);
    let mut change = LexiconChange {
        texts,
        ..LexiconChange::default()
    };
    if change.texts.is_empty() {
        return (items.to_vec(), change);
    }
    let runs: HashMap<&str, std::ops::Range<usize>> =
        crate::extract::runs_by_file(items).into_iter().collect();
    let run_of = |file: &str| {
        runs.get(file)
            .map_or(&items[..0], |run| &items[run.clone()])
    };
    let Ok(matcher) = aho_corasick::AhoCorasick::new(&change.texts) else {
        return (items.to_vec(), change);
    };
    let own = after.own_extractor();
    let extractor = own.as_ref().unwrap_or_else(|| Extractor::shared());
    let affected: Vec<usize> = (0..documents.len())
        .into_par_iter()
        .filter(|&index| {
            let document = &documents[index];
            document.error.is_none()
                && (matcher.is_match(&document.text)
                    || run_of(&document.file).iter().any(|item| {
                        (change.texts.iter()).any(|t| crate::lexicon::same_text(&item.text, t))
                    }))
        })
        .collect();
    let mut affected_documents: Vec<Document> =
        affected.iter().map(|&i| documents[i].clone()).collect();
    let mut fresh: Vec<Item> = affected_documents
        .par_iter_mut()
        .flat_map_iter(|document| extract_guarded(extractor, document))
        .collect();
    // One pass of the lexicon over all of them (it builds its matcher once).
    after.apply(&affected_documents, &mut fresh);
    let fresh_runs: HashMap<&str, std::ops::Range<usize>> =
        crate::extract::runs_by_file(&fresh).into_iter().collect();
    let mut fresh: HashMap<usize, &[Item]> = affected
        .iter()
        .map(|&index| {
            let file = documents[index].file.as_str();
            let run = fresh_runs.get(file).map_or(0..0, Clone::clone);
            (index, &fresh[run])
        })
        .collect();
    let mut merged = Vec::with_capacity(items.len());
    let mut files = BTreeSet::new();
    for (index, document) in documents.iter().enumerate() {
        let old = run_of(&document.file);
        let Some(new) = fresh.remove(&index) else {
            merged.extend_from_slice(old);
            continue;
        };
        let old_ids: BTreeSet<&str> = old.iter().map(|i| i.id.as_str()).collect();
        let new_ids: BTreeSet<&str> = new.iter().map(|i| i.id.as_str()).collect();
        let removed = old_ids.difference(&new_ids).count();
        let added = new_ids.difference(&old_ids).count();
        if removed + added > 0 {
            change.removed += removed;
            change.added += added;
            files.insert(document.file.clone());
        }
        merged.extend_from_slice(new);
    }
    change.files = files.into_iter().collect();
    (merged, change)
}
