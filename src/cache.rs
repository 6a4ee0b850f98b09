//! The extraction cache: what the extractor found in each file, kept in
//! `.policylens/extraction-cache.bin` so that re-opening an unchanged folder skips
//! extraction. An entry is reused only when the file's size, modification time and
//! SHA-256 of its bytes all match and the extractor's version is the one that wrote it.
//!
//! The cache is an optimisation and never a source of truth: a missing, damaged, foreign
//! or older cache is ignored, and failing to write one only costs speed next time.
//! A CRC-32 over the whole file is checked on every read; when it fails (a flipped bit),
//! each file's entry is checked against its own CRC-32 and only the damaged entries are
//! dropped, so one bad entry costs only that file's re-extraction.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::{DATA_DIR_NAME, Document, Fingerprint};
use crate::extract::{EXTRACTOR_VERSION, Item};

const CACHE_NAME: &str = "extraction-cache.bin";
/// Beside the extraction cache: the text read from each PDF, by content
/// ([`crate::corpus::pdf::cached_text`]).
pub const PDF_TEXT_DIR: &str = "pdf-text";
/// Layout of the file itself; bumped when [`CachedDocument`] changes shape.
const CACHE_FORMAT: u32 = 5;
/// Written first, so a file of another kind is recognised before it is parsed.
const MAGIC: &[u8; 8] = b"PLCACHE\0";

/// One file's extraction, as cached: its items are `items[first..first + count]` of the
/// cache's one flat list (kept flat so an unchanged folder's items are taken over whole,
/// without a copy of every item).
#[derive(Debug, Serialize, Deserialize)]
struct CachedDocument {
    file: String,
    fingerprint: Fingerprint,
    title: String,
    encoding: Option<String>,
    chars: usize,
    first: usize,
    count: usize,
    /// CRC-32 of the fields above and of the serialised bytes of the document's items.
    checksum: u32,
}

impl CachedDocument {
    fn expected_checksum(&self, item_bytes: &[u8]) -> u32 {
        let fields = (
            &self.file,
            &self.fingerprint,
            &self.title,
            &self.encoding,
            self.chars,
            self.first,
            self.count,
        );
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&postcard::to_stdvec(&fields).unwrap_or_default());
        hasher.update(item_bytes);
        hasher.finalize()
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    extractor_version: u32,
    /// [`crate::corpus::READERS_VERSION`]: a PDF read differently has different offsets.
    readers_version: u32,
    /// The words the analyst's lexicons taught the segmenter
    /// ([`crate::lexicon::Lexicon::segmenter_digest`]; empty for none): they change what
    /// the rules find, so a cache made with other words is not used.
    segmenter_words: String,
}

/// The cached extractions of one folder, looked up one file at a time while loading.
#[derive(Debug, Default)]
pub struct ExtractionCache {
    documents: HashMap<String, CachedDocument>,
    items: Vec<Item>,
}

/// Where the cache of `folder` lives.
pub fn cache_path(folder: &Path) -> PathBuf {
    folder.join(DATA_DIR_NAME).join(CACHE_NAME)
}

impl ExtractionCache {
    /// Reads the cache of `folder`, made with `segmenter_words` (see [`save`]); empty
    /// when there is none or it cannot be used.
    pub fn load(folder: &Path, segmenter_words: &str) -> ExtractionCache {
        let Ok(bytes) = std::fs::read(cache_path(folder)) else {
            return ExtractionCache::default();
        };
        let Some((documents, items)) = parse(&bytes, segmenter_words) else {
            return ExtractionCache::default();
        };
        let in_range = documents.iter().all(|d| {
            d.first
                .checked_add(d.count)
                .is_some_and(|end| end <= items.len())
        });
        if !in_range {
            return ExtractionCache::default();
        }
        ExtractionCache {
            documents: documents.into_iter().map(|d| (d.file.clone(), d)).collect(),
            items,
        }
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Where the cached items of `document` are, when its bytes are the ones they were
    /// extracted from; the document gets its cached title.
    pub fn lookup(
        &self,
        document: &mut Document,
        fingerprint: &Fingerprint,
    ) -> Option<std::ops::Range<usize>> {
        let cached = self.documents.get(&document.file)?;
        if cached.fingerprint != *fingerprint
            || cached.chars != document.chars
            || cached.encoding != document.encoding
        {
            return None;
        }
        document.title.clone_from(&cached.title);
        Some(cached.first..cached.first + cached.count)
    }

    /// Every cached item; a document's are at the range [`ExtractionCache::lookup`] gives.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The items of documents found with [`ExtractionCache::lookup`], in the order of
    /// `ranges`: the cache's own list when the ranges cover it in order (an unchanged
    /// folder), else copies.
    pub fn into_items(self, ranges: &[std::ops::Range<usize>]) -> Vec<Item> {
        let mut next = 0;
        let whole = ranges.iter().filter(|r| !r.is_empty()).all(|range| {
            let follows = range.start == next;
            next = range.end;
            follows
        }) && next == self.items.len();
        if whole {
            return self.items;
        }
        ranges
            .iter()
            .flat_map(|range| self.items[range.clone()].iter().cloned())
            .collect()
    }
}

fn parse(bytes: &[u8], segmenter_words: &str) -> Option<(Vec<CachedDocument>, Vec<Item>)> {
    let body = bytes.strip_prefix(MAGIC)?;
    let (rest, trailer) = body.split_at_checked(body.len().checked_sub(4)?)?;
    let whole_file_intact =
        crc32fast::hash(rest).to_le_bytes() == <[u8; 4]>::try_from(trailer).ok()?;
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    if header.format != CACHE_FORMAT
        || header.extractor_version != EXTRACTOR_VERSION
        || header.readers_version != crate::corpus::READERS_VERSION
        || header.segmenter_words != segmenter_words
    {
        return None;
    }
    let (documents, rest): (Vec<CachedDocument>, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    // The items are read one by one into a list of the final size: letting the list grow
    // by doubling left the abandoned smaller copies resident (hundreds of MB for a
    // 100,000-file folder).
    let (count, mut rest): (usize, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    // Every item takes more than one byte, so a damaged count cannot reserve more.
    let mut items = Vec::with_capacity(count.min(rest.len()));
    let items_start = rest;
    // Where each item's bytes end, from the start of the items (to check entries).
    let mut ends = Vec::with_capacity(if whole_file_intact {
        0
    } else {
        count.min(rest.len())
    });
    for _ in 0..count {
        let (item, after): (Item, &[u8]) = postcard::take_from_bytes(rest).ok()?;
        items.push(item);
        rest = after;
        if !whole_file_intact {
            ends.push(items_start.len() - rest.len());
        }
    }
    if !rest.is_empty() {
        return None;
    }
    if whole_file_intact {
        return Some((documents, items));
    }
    let intact: Vec<CachedDocument> = documents
        .into_iter()
        .filter(|d| {
            d.first
                .checked_add(d.count)
                .and_then(|end| items_start.get(byte_span(&ends, d.first..end)?))
                .is_some_and(|bytes| d.expected_checksum(bytes) == d.checksum)
        })
        .collect();
    Some((intact, items))
}

/// The bytes of the serialised items `items` (indices), given where each item's bytes
/// end; `None` when the indices run past the items (a damaged entry).
fn byte_span(ends: &[usize], items: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let start = match items.start {
        0 => 0,
        first => *ends.get(first - 1)?,
    };
    let end = if items.is_empty() {
        start
    } else {
        *ends.get(items.end - 1)?
    };
    Some(start..end)
}

/// Writes the extraction of `documents` (each with the fingerprint of the bytes it was
/// read from; `items` grouped by document in the same order) as the cache of `folder`,
/// streamed to a temporary file and renamed into place, so a reader sees the old or the
/// new cache, never half of one. Documents that failed to load are left out, so they
/// are tried again next time.
pub fn save(
    folder: &Path,
    documents: &[Document],
    fingerprints: &[Option<Fingerprint>],
    items: &[Item],
    segmenter_words: &str,
) -> std::io::Result<()> {
    let mut runs: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    for (file, run) in crate::extract::runs_by_file(items) {
        runs.insert(file, run);
    }
    // The items are serialised first: each entry's checksum covers its items' bytes.
    let mut item_bytes = Vec::new();
    let mut ends = Vec::with_capacity(items.len());
    for item in items {
        item_bytes = postcard::to_extend(item, item_bytes).map_err(std::io::Error::other)?;
        ends.push(item_bytes.len());
    }
    let span = |run: &std::ops::Range<usize>| -> &[u8] {
        byte_span(&ends, run.clone()).map_or(&[], |bytes| &item_bytes[bytes])
    };
    let cached: Vec<CachedDocument> = documents
        .iter()
        .zip(fingerprints)
        .filter(|(document, _)| document.error.is_none())
        .filter_map(|(document, fingerprint)| {
            let run = runs.get(document.file.as_str()).cloned().unwrap_or(0..0);
            let mut entry = CachedDocument {
                file: document.file.clone(),
                fingerprint: (*fingerprint)?,
                title: document.title.clone(),
                encoding: document.encoding.clone(),
                chars: document.chars,
                first: run.start,
                count: run.len(),
                checksum: 0,
            };
            entry.checksum = entry.expected_checksum(span(&run));
            Some(entry)
        })
        .collect();
    let header = Header {
        format: CACHE_FORMAT,
        extractor_version: EXTRACTOR_VERSION,
        readers_version: crate::corpus::READERS_VERSION,
        segmenter_words: segmenter_words.to_owned(),
    };
    let path = cache_path(folder);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        let mut out = ChecksummedWriter {
            inner: std::io::BufWriter::new(std::fs::File::create(&temp)?),
            hasher: crc32fast::Hasher::new(),
        };
        out.inner.write_all(MAGIC)?;
        postcard::to_io(&header, &mut out).map_err(std::io::Error::other)?;
        postcard::to_io(&cached, &mut out).map_err(std::io::Error::other)?;
        postcard::to_io(&items.len(), &mut out).map_err(std::io::Error::other)?;
        out.write_all(&item_bytes)?;
        let checksum = out.hasher.finalize();
        let mut file = out.inner;
        file.write_all(&checksum.to_le_bytes())?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Writes through, keeping a CRC-32 of what it wrote.
struct ChecksummedWriter<W: Write> {
    inner: W,
    hasher: crc32fast::Hasher,
}

impl<W: Write> Write for ChecksummedWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(file: &str, text: &str) -> (Document, Fingerprint) {
        let document = Document {
            file: file.to_owned(),
            title: "标题".to_owned(),
            encoding: Some("UTF-8".to_owned()),
            chars: text.chars().count(),
            text: text.to_owned(),
            ..Document::default()
        };
        let fingerprint = Fingerprint {
            size: text.len() as u64,
            modified: Some((1_700_000_000, 5)),
            sha256: [7; 32],
        };
        (document, fingerprint)
    }

    #[test]
    fn a_cached_file_comes_back_only_with_the_same_fingerprint() {
        let folder = tempfile::tempdir().unwrap();
        let (document, fingerprint) = document("a.txt", "古交市投资10亿元");
        let items = crate::Extractor::shared().extract(&document);
        assert!(!items.is_empty());
        save(
            folder.path(),
            std::slice::from_ref(&document),
            &[Some(fingerprint)],
            &items,
            "",
        )
        .unwrap();

        let cache = ExtractionCache::load(folder.path(), "");
        assert_eq!(cache.len(), 1);
        let mut reloaded = Document {
            title: String::new(),
            ..document.clone()
        };
        let touched = Fingerprint {
            modified: Some((1_700_000_001, 5)),
            ..fingerprint
        };
        assert!(cache.lookup(&mut reloaded, &touched).is_none());
        let changed = Fingerprint {
            sha256: [8; 32],
            ..fingerprint
        };
        assert!(cache.lookup(&mut reloaded, &changed).is_none());
        let range = cache.lookup(&mut reloaded, &fingerprint).unwrap();
        assert_eq!(reloaded.title, "标题");
        assert_eq!(cache.into_items(&[range]), items);
    }

    #[test]
    fn an_unchanged_folder_takes_the_cached_items_without_copying_them() {
        let folder = tempfile::tempdir().unwrap();
        let (first, fingerprint) = document("a.txt", "古交市投资10亿元");
        let (empty, _) = document("b.txt", "无");
        let (last, _) = document("c.txt", "清徐县投资8亿元");
        let documents = [first, empty, last];
        let items: Vec<Item> = documents
            .iter()
            .flat_map(|d| crate::Extractor::shared().extract(d))
            .collect();
        assert!(documents.iter().all(|d| !d.file.is_empty()));
        save(
            folder.path(),
            &documents,
            &[Some(fingerprint); 3],
            &items,
            "",
        )
        .unwrap();
        let cache = ExtractionCache::load(folder.path(), "");
        let ranges: Vec<_> = documents
            .clone()
            .iter_mut()
            .map(|d| cache.lookup(d, &fingerprint).unwrap())
            .collect();
        assert!(ranges[1].is_empty(), "the middle article has no items");
        let cached_at = cache.items().as_ptr();
        let taken = cache.into_items(&ranges);
        assert_eq!(taken, items);
        assert_eq!(
            taken.as_ptr(),
            cached_at,
            "the cached list is taken over whole"
        );
    }

    /// Words a lexicon taught the segmenter change what the rules find: a cache made
    /// with other words (or none) is not used.
    #[test]
    fn a_cache_made_with_other_segmenter_words_is_not_used() {
        let folder = tempfile::tempdir().unwrap();
        let (document, fingerprint) = document("a.txt", "古交市投资10亿元");
        let items = crate::Extractor::shared().extract(&document);
        let save_with = |words: &str| {
            save(
                folder.path(),
                std::slice::from_ref(&document),
                &[Some(fingerprint)],
                &items,
                words,
            )
            .unwrap();
        };
        save_with("");
        assert_eq!(ExtractionCache::load(folder.path(), "").len(), 1);
        assert!(ExtractionCache::load(folder.path(), "1f2e").is_empty());
        save_with("1f2e");
        assert_eq!(ExtractionCache::load(folder.path(), "1f2e").len(), 1);
        assert!(ExtractionCache::load(folder.path(), "").is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_ignored() {
        let folder = tempfile::tempdir().unwrap();
        let (document, fingerprint) = document("a.txt", "古交市投资10亿元");
        let items = crate::Extractor::shared().extract(&document);
        save(
            folder.path(),
            std::slice::from_ref(&document),
            &[Some(fingerprint)],
            &items,
            "",
        )
        .unwrap();
        let path = cache_path(folder.path());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(ExtractionCache::load(folder.path(), "").len(), 1);
        for damaged in [
            bytes[..bytes.len() / 2].to_vec(),
            b"not a cache at all".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            let cache = ExtractionCache::load(folder.path(), "");
            assert!(cache.is_empty());
        }
        // A cache from another extractor version is not reused.
        let mut other_version = MAGIC.to_vec();
        other_version.extend(
            postcard::to_stdvec(&Header {
                format: CACHE_FORMAT,
                extractor_version: EXTRACTOR_VERSION + 1,
                readers_version: crate::corpus::READERS_VERSION,
                segmenter_words: String::new(),
            })
            .unwrap(),
        );
        // The saved header is three bytes: two small numbers and an empty string.
        other_version.extend(&bytes[MAGIC.len() + 3..]);
        std::fs::write(&path, &other_version).unwrap();
        assert!(ExtractionCache::load(folder.path(), "").is_empty());
    }

    /// A flipped bit anywhere in the file never brings back wrong items: every entry the
    /// cache still offers holds exactly the items that were saved, and a flip inside one
    /// document's items costs only that document.
    #[test]
    fn a_flipped_bit_never_reuses_wrong_items() {
        let folder = tempfile::tempdir().unwrap();
        let (a, a_print) = document("a.txt", "古交市投资10亿元建设山西省重点项目");
        let (b, b_print) = document("b.txt", "清徐县县委书记王剑峰说，总投资8亿元");
        let mut items = crate::Extractor::shared().extract(&a);
        let a_count = items.len();
        items.extend(crate::Extractor::shared().extract(&b));
        let documents = [a, b];
        let prints = [Some(a_print), Some(b_print)];
        save(folder.path(), &documents, &prints, &items, "").unwrap();
        let path = cache_path(folder.path());
        let bytes = std::fs::read(&path).unwrap();
        let mut lost_one_only = 0;
        for at in MAGIC.len()..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            std::fs::write(&path, &flipped).unwrap();
            let cache = ExtractionCache::load(folder.path(), "");
            let mut offered = 0;
            for (document, print) in documents.iter().zip(&prints) {
                let mut reloaded = document.clone();
                if let Some(range) = cache.lookup(&mut reloaded, print.as_ref().unwrap()) {
                    let saved = if document.file == "a.txt" {
                        &items[..a_count]
                    } else {
                        &items[a_count..]
                    };
                    assert_eq!(&cache.items()[range], saved, "flip at byte {at}");
                    assert_eq!(reloaded.title, document.title, "flip at byte {at}");
                    offered += 1;
                }
            }
            // A flip in the trailing whole-file checksum leaves every entry intact.
            let in_trailer = at >= bytes.len() - 4;
            assert!(
                offered < 2 || in_trailer,
                "a flip at byte {at} went unnoticed"
            );
            if offered == 1 {
                lost_one_only += 1;
            }
        }
        // Flips in the items (most of the file) cost one document, not both.
        assert!(
            lost_one_only > bytes.len() / 2,
            "{lost_one_only} of {}",
            bytes.len()
        );
    }
}
