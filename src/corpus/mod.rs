//! Loading a folder of articles: walking it, reading each supported file, decoding it and
//! recording what went wrong per file. A bad file never stops the load.

pub(crate) mod decode;
mod formats;
pub mod pdf;
pub mod structure;

use std::path::{Path, PathBuf};

pub use decode::{DecodeError, Decoded, decode, normalize_line_ends};
pub use formats::{Format, docx_to_text, html_to_text};
pub use structure::Structure;

use crate::error::{Error, Result};

/// Bumped when a reader of a container format (PDF, HTML, Word) changes the text it
/// gives for the same bytes: cached items point into that text.
pub const READERS_VERSION: u32 = 1;

/// The folder PolicyLens keeps its own data in, inside an article folder; never loaded.
pub const DATA_DIR_NAME: &str = ".policylens";

/// Limits that protect the loader from pathological input, and whether extraction
/// results are reused from the folder's cache.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this are reported, not read.
    pub max_file_bytes: u64,
    /// Reuse and refresh `.policylens/extraction-cache.bin` ([`crate::cache`]). The app
    /// does; the command line does not, so its output always comes from the rules built
    /// into it.
    pub use_cache: bool,
    /// The analyst's lexicons, applied on top of the extraction (and of the cache).
    pub lexicon: Option<std::sync::Arc<crate::lexicon::Lexicon>>,
    /// Time, page and glyph bounds for each PDF.
    pub pdf_limits: pdf::PdfLimits,
    /// Where the text read from PDFs is kept by content ([`pdf::cached_text`]), so a
    /// folder re-opens without reading its PDFs again. Set with `use_cache`.
    pub pdf_text_cache: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 20 * 1024 * 1024,
            use_cache: false,
            lexicon: None,
            pdf_limits: pdf::PdfLimits::default(),
            pdf_text_cache: None,
        }
    }
}

/// What identifies a file's content for the extraction cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub size: u64,
    /// Modification time as (seconds, nanoseconds) since the Unix epoch, when known.
    pub modified: Option<(u64, u32)>,
    pub sha256: [u8; 32],
}

/// A file found by the walk, or a place the walk could not enter.
#[derive(Debug)]
pub struct Entry {
    /// Path relative to the folder, `/`-separated, lossily converted if not Unicode.
    pub file: String,
    pub path: PathBuf,
    pub format: Format,
    /// Set when the walk itself failed here (symlink loop, unreadable directory).
    pub walk_error: Option<Error>,
    pub name_is_unicode: bool,
}

/// One article: its decoded text, or the reason it has none.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Path relative to the opened folder, `/`-separated.
    pub file: String,
    pub path: PathBuf,
    pub title: String,
    /// Name of the encoding the text was decoded from (`UTF-8`, `gb18030`, …).
    pub encoding: Option<String>,
    /// Decoded text with LF line ends; empty when `error` is set.
    pub text: String,
    /// Length of `text` in Unicode scalar values.
    pub chars: usize,
    /// Why the file could not be loaded, naming the file.
    pub error: Option<crate::error::DocumentError>,
    /// Problems that did not stop the load.
    pub warnings: Vec<String>,
    /// For a PDF: the character offset where each paragraph starts and its page (from
    /// 1), in order. Empty for other files.
    pub paragraph_pages: Vec<(usize, u32)>,
}

impl Document {
    /// A document made from text in memory (tests, and text that never was a file):
    /// `file` names it, nothing went wrong loading it.
    pub fn from_text(file: &str, text: &str) -> Document {
        Document {
            file: file.into(),
            path: file.into(),
            title: String::new(),
            encoding: None,
            text: text.into(),
            chars: text.chars().count(),
            error: None,
            warnings: Vec::new(),
            paragraph_pages: Vec::new(),
        }
    }

    /// The page the character at `offset` is on, for a PDF.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        let index = self
            .paragraph_pages
            .partition_point(|&(start, _)| start <= offset);
        index.checked_sub(1).map(|i| self.paragraph_pages[i].1)
    }

    /// What lists and tables call the document: its title, or its file name when it has
    /// none (the file name goes in a tooltip beside the title).
    pub fn label(&self) -> &str {
        if self.title.trim().is_empty() {
            &self.file
        } else {
            &self.title
        }
    }
}

/// Lists the loadable files under `folder`, sorted by relative path.
///
/// Hidden folders and PolicyLens's own data folder are skipped; symbolic links are
/// followed, and a link that loops is reported as an entry with `walk_error`.
pub fn scan(folder: &Path) -> Result<Vec<Entry>> {
    let metadata = std::fs::metadata(folder).map_err(|source| Error::FolderUnreadable {
        source,
        path: folder.to_path_buf(),
    })?;
    if !metadata.is_dir() {
        return Err(Error::NotAFolder {
            path: folder.to_path_buf(),
        });
    }
    std::fs::read_dir(folder).map_err(|source| Error::FolderUnreadable {
        source,
        path: folder.to_path_buf(),
    })?;
    let mut entries = Vec::new();
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for item in walker {
        match item {
            Ok(entry) => {
                if entry.file_type().is_file() {
                    entries.extend(file_entry(folder, entry.path()));
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| folder.to_path_buf());
                let detail = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_owned()
                } else if let Some(io) = err.io_error() {
                    io.to_string()
                } else {
                    err.to_string()
                };
                let (file, name_is_unicode) = relative_name(folder, &path);
                entries.push(Entry {
                    file,
                    path: path.clone(),
                    format: Format::PlainText,
                    walk_error: Some(Error::Walk { detail, path }),
                    name_is_unicode,
                });
            }
        }
    }
    entries.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(entries)
}

/// Lists the loadable files among `paths` (files dropped on the window, say), named
/// relative to their common folder, which is returned with them. Folders among the paths
/// are walked like [`scan`] walks one. Paths that cannot be read become entries with a
/// `walk_error`.
pub fn scan_paths(paths: &[PathBuf]) -> Result<(PathBuf, Vec<Entry>)> {
    let Some(root) = common_folder(paths) else {
        return Err(Error::NothingToOpen);
    };
    let mut entries = Vec::new();
    for path in paths {
        if path.is_dir() {
            entries.extend(scan(path)?.into_iter().map(|mut entry| {
                (entry.file, entry.name_is_unicode) = relative_name(&root, &entry.path);
                entry
            }));
            continue;
        }
        let (file, name_is_unicode) = relative_name(&root, path);
        let format = extension_of(path).and_then(|ext| Format::from_extension(&ext));
        let walk_error = match (&format, std::fs::metadata(path)) {
            (_, Err(source)) => Some(Error::Io {
                source,
                path: path.clone(),
            }),
            (None, Ok(_)) => Some(Error::Walk {
                detail: "not a supported kind of file (.txt, .md, .html, .docx, .pdf)".to_owned(),
                path: path.clone(),
            }),
            (Some(_), Ok(_)) => None,
        };
        entries.push(Entry {
            file,
            path: path.clone(),
            format: format.unwrap_or(Format::PlainText),
            walk_error,
            name_is_unicode,
        });
    }
    entries.sort_by(|a, b| a.file.cmp(&b.file));
    entries.dedup_by(|a, b| a.file == b.file);
    Ok((root, entries))
}

/// The entry of one file under `folder`, as [`scan`] would list it; `None` for files
/// the loader does not read (unsupported kinds, hidden files, PolicyLens's own data).
pub fn file_entry(folder: &Path, path: &Path) -> Option<Entry> {
    let relative = path.strip_prefix(folder).ok()?;
    if relative.components().any(|c| is_hidden(c.as_os_str())) {
        return None;
    }
    let format = extension_of(path).and_then(|ext| Format::from_extension(&ext))?;
    let (file, name_is_unicode) = relative_name(folder, path);
    Some(Entry {
        file,
        path: path.to_path_buf(),
        format,
        walk_error: None,
        name_is_unicode,
    })
}

/// The name [`scan`] gives `path` under `folder` (`/`-separated, relative).
pub fn relative_file_name(folder: &Path, path: &Path) -> String {
    relative_name(folder, path).0
}

/// The deepest folder that holds every path (a folder path holds itself).
fn common_folder(paths: &[PathBuf]) -> Option<PathBuf> {
    let folder_of = |path: &PathBuf| {
        if path.is_dir() {
            Some(path.clone())
        } else {
            path.parent().map(Path::to_path_buf)
        }
    };
    let mut common = folder_of(paths.first()?)?;
    for path in &paths[1..] {
        let folder = folder_of(path)?;
        while !folder.starts_with(&common) {
            common = common.parent()?.to_path_buf();
        }
    }
    Some(common)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.')) || name == DATA_DIR_NAME
}

fn extension_of(path: &Path) -> Option<String> {
    Some(path.extension()?.to_string_lossy().to_ascii_lowercase())
}

fn relative_name(folder: &Path, path: &Path) -> (String, bool) {
    let relative = path.strip_prefix(folder).unwrap_or(path);
    let unicode = relative.to_str().is_some();
    let name = relative
        .components()
        .map(|c| escaped_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/");
    (name, unicode)
}

/// A file name as text: as written when it is Unicode, else with each byte that is not
/// UTF-8 written as `%XX`. Unlike U+FFFD replacement this keeps two different names
/// different, so their items never share ids.
fn escaped_name(name: &std::ffi::OsStr) -> String {
    if let Some(text) = name.to_str() {
        return text.to_owned();
    }
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len() * 2);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads and decodes one entry. Never fails: problems end up in `Document::error`.
pub fn load_entry(entry: &Entry, options: &LoadOptions) -> Document {
    let mut document = load_entry_untitled(entry, options).0;
    document.title = structure::title_of(&document.text);
    document
}

/// [`load_entry`] without the title, which costs a structure parse (the extraction
/// cache supplies it for unchanged files), and with the fingerprint of the bytes it read
/// (none when it read none).
pub fn load_entry_untitled(
    entry: &Entry,
    options: &LoadOptions,
) -> (Document, Option<Fingerprint>) {
    let mut document = Document {
        file: entry.file.clone(),
        path: entry.path.clone(),
        ..Document::default()
    };
    if !entry.name_is_unicode {
        document.warnings.push(
            Error::NonUnicodeName {
                path: entry.path.clone(),
            }
            .to_string(),
        );
    }
    if let Some(err) = &entry.walk_error {
        document.error = Some(err.into());
        return (document, None);
    }
    let mut fingerprint = None;
    match read_text(entry, options, &mut fingerprint) {
        Ok(Read {
            text,
            encoding,
            warning,
            paragraph_pages,
        }) => {
            if let Some(detail) = warning {
                document.warnings.push(
                    Error::DecodingWarning {
                        detail,
                        path: entry.path.clone(),
                    }
                    .to_string(),
                );
            }
            document.chars = text.chars().count();
            document.text = text;
            document.encoding = Some(encoding);
            document.paragraph_pages = paragraph_pages;
        }
        Err(err) => document.error = Some((&err).into()),
    }
    (document, fingerprint)
}

/// What a reader made of a file's bytes.
struct Read {
    text: String,
    encoding: String,
    warning: Option<String>,
    paragraph_pages: Vec<(usize, u32)>,
}

fn read_text(
    entry: &Entry,
    options: &LoadOptions,
    fingerprint: &mut Option<Fingerprint>,
) -> Result<Read> {
    let path = &entry.path;
    let io = |source| Error::Io {
        source,
        path: path.clone(),
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    let size = metadata.len();
    if size > options.max_file_bytes {
        return Err(Error::TooLarge {
            size_bytes: size,
            limit_bytes: options.max_file_bytes,
            path: path.clone(),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    // The size can change between the stat and the read (a file being written).
    if bytes.len() as u64 > options.max_file_bytes {
        return Err(Error::TooLarge {
            size_bytes: bytes.len() as u64,
            limit_bytes: options.max_file_bytes,
            path: path.clone(),
        });
    }
    use sha2::Digest;
    *fingerprint = Some(Fingerprint {
        size: bytes.len() as u64,
        modified: metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|since| (since.as_secs(), since.subsec_nanos())),
        sha256: sha2::Sha256::digest(&bytes).into(),
    });
    let text_of = |bytes: &[u8]| -> Result<Decoded> {
        decode(bytes).map_err(|e| match e {
            DecodeError::Empty => Error::Empty { path: path.clone() },
            DecodeError::Binary => Error::Binary { path: path.clone() },
            DecodeError::Malformed(encoding) => Error::Undecodable {
                detail: format!("invalid byte sequences for {encoding}"),
                path: path.clone(),
            },
        })
    };
    let mut paragraph_pages = Vec::new();
    let (text, encoding, warning) = match entry.format {
        Format::PlainText => {
            let decoded = text_of(&bytes)?;
            (decoded.text, decoded.encoding.to_owned(), decoded.warning)
        }
        Format::Html => {
            let decoded = text_of(&bytes)?;
            (
                html_to_text(&decoded.text),
                decoded.encoding.to_owned(),
                decoded.warning,
            )
        }
        Format::Docx => {
            if bytes.is_empty() {
                return Err(Error::Empty { path: path.clone() });
            }
            let text =
                docx_to_text(&bytes, options.max_file_bytes).map_err(|detail| Error::Docx {
                    detail,
                    path: path.clone(),
                })?;
            (normalize_line_ends(&text), "UTF-8 (docx)".to_owned(), None)
        }
        Format::Pdf => {
            if bytes.is_empty() {
                return Err(Error::Empty { path: path.clone() });
            }
            let sha256 = fingerprint.as_ref().map(|f| f.sha256);
            let cached = options
                .pdf_text_cache
                .as_deref()
                .zip(sha256)
                .and_then(|(dir, sha256)| pdf::cached_text(dir, &sha256));
            let read = match cached {
                Some(read) => read,
                None => {
                    let read = pdf::pdf_to_text(&bytes, options.pdf_limits).map_err(|problem| {
                        Error::Pdf {
                            problem,
                            path: path.clone(),
                        }
                    })?;
                    if let (Some(dir), Some(sha256)) = (&options.pdf_text_cache, sha256) {
                        pdf::cache_text(dir, &sha256, &read);
                    }
                    read
                }
            };
            paragraph_pages = read.paragraph_pages;
            (read.text, "PDF".to_owned(), None)
        }
    };
    if text.trim().is_empty() {
        return Err(Error::Empty { path: path.clone() });
    }
    Ok(Read {
        text,
        encoding,
        warning,
        paragraph_pages,
    })
}
