//! The extraction cache: what the extractor found in each file, kept in
//! `.policylens/extraction-cache.bin` so that re-opening an unchanged folder skips
//! extraction. An entry is reused only when the file's size, modification time and
//! SHA-256 of its bytes all match and the extractor's version is the one that wrote it.
//!
//! The cache is an optimisation and never a source of truth: a missing, damaged, foreign
//! or older cache is ignored, and failing to write one only costs speed next time.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::corpus::{DATA_DIR_NAME, Document, Fingerprint};
use crate::extract::{EXTRACTOR_VERSION, Item};

const CACHE_NAME: &str = "extraction-cache.bin";
/// Layout of the file itself; bumped when [`CachedDocument`] changes shape.
const CACHE_FORMAT: u32 = 1;
/// Written first, so a file of another kind is recognised before it is parsed.
const MAGIC: &[u8; 8] = b"PLCACHE\0";

/// One file's extraction, as cached.
#[derive(Debug, Serialize, Deserialize)]
struct CachedDocument {
    fingerprint: Fingerprint,
    title: String,
    encoding: Option<String>,
    chars: usize,
    items: Vec<Item>,
}

/// The same, borrowed from a finished extraction (serialises identically).
#[derive(Serialize)]
struct CachedDocumentRef<'a> {
    fingerprint: Fingerprint,
    title: &'a str,
    encoding: Option<&'a str>,
    chars: usize,
    items: &'a [Item],
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    extractor_version: u32,
}

/// The cached extractions of one folder, taken out one file at a time while loading.
#[derive(Debug, Default)]
pub struct ExtractionCache {
    files: Mutex<HashMap<String, CachedDocument>>,
    /// Entries in the cache when it was read.
    pub loaded_entries: usize,
}

/// Where the cache of `folder` lives.
pub fn cache_path(folder: &Path) -> PathBuf {
    folder.join(DATA_DIR_NAME).join(CACHE_NAME)
}

impl ExtractionCache {
    /// Reads the cache of `folder`; empty when there is none or it cannot be used.
    pub fn load(folder: &Path) -> ExtractionCache {
        let Ok(bytes) = std::fs::read(cache_path(folder)) else {
            return ExtractionCache::default();
        };
        let files = parse(&bytes).unwrap_or_default();
        ExtractionCache {
            loaded_entries: files.len(),
            files: Mutex::new(files),
        }
    }

    /// The cached items of `document` when its bytes are the ones they were extracted
    /// from; the document gets its cached title and the entry leaves the cache.
    pub fn take(&self, document: &mut Document, fingerprint: &Fingerprint) -> Option<Vec<Item>> {
        let mut files = self.files.lock().ok()?;
        let cached = files.get(&document.file)?;
        if cached.fingerprint != *fingerprint
            || cached.chars != document.chars
            || cached.encoding != document.encoding
        {
            return None;
        }
        let cached = files.remove(&document.file)?;
        document.title = cached.title;
        Some(cached.items)
    }
}

fn parse(bytes: &[u8]) -> Option<HashMap<String, CachedDocument>> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (header, rest): (Header, &[u8]) = postcard::take_from_bytes(rest).ok()?;
    if header.format != CACHE_FORMAT || header.extractor_version != EXTRACTOR_VERSION {
        return None;
    }
    postcard::from_bytes(rest).ok()
}

/// Writes the extraction of `documents` (each with the fingerprint of the bytes it was
/// read from) as the cache of `folder`, streamed to a temporary file and renamed into
/// place, so a reader sees the old or the new cache, never half of one. Documents that
/// failed to load are left out, so they are tried again next time.
pub fn save(
    folder: &Path,
    documents: &[Document],
    fingerprints: &[Option<Fingerprint>],
    items: &[Item],
) -> std::io::Result<()> {
    let mut items_of: HashMap<&str, &[Item]> = HashMap::new();
    for (file, run) in crate::extract::runs_by_file(items) {
        items_of.insert(file, &items[run]);
    }
    let entries: HashMap<&str, CachedDocumentRef<'_>> = documents
        .iter()
        .zip(fingerprints)
        .filter(|(document, _)| document.error.is_none())
        .filter_map(|(document, fingerprint)| {
            Some((
                document.file.as_str(),
                CachedDocumentRef {
                    fingerprint: (*fingerprint)?,
                    title: &document.title,
                    encoding: document.encoding.as_deref(),
                    chars: document.chars,
                    items: items_of.get(document.file.as_str()).copied().unwrap_or(&[]),
                },
            ))
        })
        .collect();
    let header = Header {
        format: CACHE_FORMAT,
        extractor_version: EXTRACTOR_VERSION,
    };
    let path = cache_path(folder);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        out.write_all(MAGIC)?;
        postcard::to_io(&header, &mut out).map_err(std::io::Error::other)?;
        postcard::to_io(&entries, &mut out).map_err(std::io::Error::other)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
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
        )
        .unwrap();

        let cache = ExtractionCache::load(folder.path());
        assert_eq!(cache.loaded_entries, 1);
        let mut reloaded = Document {
            title: String::new(),
            ..document.clone()
        };
        let touched = Fingerprint {
            modified: Some((1_700_000_001, 5)),
            ..fingerprint
        };
        assert!(cache.take(&mut reloaded, &touched).is_none());
        let changed = Fingerprint {
            sha256: [8; 32],
            ..fingerprint
        };
        assert!(cache.take(&mut reloaded, &changed).is_none());
        assert_eq!(cache.take(&mut reloaded, &fingerprint), Some(items));
        assert_eq!(reloaded.title, "标题");
        // Taken once: the entry has moved out of the cache.
        assert!(cache.take(&mut reloaded, &fingerprint).is_none());
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
        )
        .unwrap();
        let path = cache_path(folder.path());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(ExtractionCache::load(folder.path()).loaded_entries, 1);
        for damaged in [
            bytes[..bytes.len() / 2].to_vec(),
            b"not a cache at all".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&path, &damaged).unwrap();
            let cache = ExtractionCache::load(folder.path());
            assert_eq!(cache.loaded_entries, 0);
        }
        // A cache from another extractor version is not reused.
        let mut other_version = MAGIC.to_vec();
        other_version.extend(
            postcard::to_stdvec(&Header {
                format: CACHE_FORMAT,
                extractor_version: EXTRACTOR_VERSION + 1,
            })
            .unwrap(),
        );
        other_version.extend(&bytes[MAGIC.len() + 2..]);
        std::fs::write(&path, &other_version).unwrap();
        assert_eq!(ExtractionCache::load(folder.path()).loaded_entries, 0);
    }
}
