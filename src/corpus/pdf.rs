//! Text out of PDF files with a text layer, in reading order.
//!
//! `pdf-extract` (pure Rust, on `lopdf`) decodes the glyphs: fonts' ToUnicode maps, and
//! the predefined Adobe-GB1 CMaps through [`cmaps`], which rewrites them into the form
//! `pdf-extract` reads. Everything after the glyphs is ours and independent of the
//! library: glyphs become line fragments; a recursive XY cut orders them (columns left to
//! right, bands top to bottom); lines that repeat at the top or bottom of the pages
//! (running headers, footers) and page numbers are dropped; lines join into paragraphs by
//! indentation, short last lines, spacing and centring, across column and page breaks.
//! The README's PDF section says why this library and not poppler.

mod cmaps;
mod layout;
mod nesting;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

pub use layout::Glyph;

/// Bounds on one PDF's reading, so a pathological file cannot hang or exhaust the app.
#[derive(Debug, Clone, Copy)]
pub struct PdfLimits {
    /// Reading stops with an error after this long.
    pub time: Duration,
    pub max_pages: usize,
    pub max_glyphs: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        Self {
            time: Duration::from_secs(30),
            max_pages: 3000,
            max_glyphs: 20_000_000,
        }
    }
}

/// A PDF's text and where its pages begin.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PdfText {
    pub text: String,
    /// `(character offset, page number from 1)` of every paragraph, in order.
    pub paragraph_pages: Vec<(usize, u32)>,
    pub pages: u32,
}

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfProblem {
    #[error("no text layer: scanned PDF? ({pages} page(s) of images)")]
    NoTextLayer { pages: u32 },
    #[error("encrypted PDF: it needs a password")]
    Encrypted,
    #[error("damaged or unreadable PDF: {0}")]
    Damaged(String),
    #[error("PDF has {pages} pages, over the limit of {limit}")]
    TooManyPages { pages: usize, limit: usize },
    #[error("reading the PDF took longer than {0} s")]
    TimedOut(u64),
    #[error("PDF has no text")]
    NoText,
    #[error("damaged or unreadable PDF: arrays or dictionaries nested more than {0} deep")]
    TooDeep(usize),
    #[error("PDF has more than {0} characters")]
    TooMuchText(usize),
}

/// The reader's stack. lopdf and pdf-extract parse nested arrays and dictionaries by
/// recursion, and a stack overflow aborts the whole process, past any `catch_unwind`.
/// The bytes, object streams and page contents are checked for deep nesting first
/// ([`nesting`]); the large stack is a second line (a release build parses some 50,000
/// levels in it). Only the pages touched are ever committed.
const PARSER_STACK_BYTES: usize = 256 << 20;

/// The text of a PDF in reading order. Runs on a thread of its own so that a file the
/// decoder loops on (or panics on: `pdf-extract` asserts on some malformed input) costs
/// its time limit and gives an error, never the caller's thread.
pub fn pdf_to_text(bytes: &[u8], limits: PdfLimits) -> Result<PdfText, PdfProblem> {
    let (sender, receiver) = mpsc::channel();
    let bytes = bytes.to_vec();
    let deadline = Instant::now() + limits.time;
    let spawned = std::thread::Builder::new()
        .name("pdf".into())
        .stack_size(PARSER_STACK_BYTES)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| read(&bytes, limits, deadline))
                .unwrap_or_else(|panic| Err(PdfProblem::Damaged(panic_message(&panic))));
            let _ = sender.send(result);
        });
    if let Err(err) = spawned {
        return Err(PdfProblem::Damaged(format!("cannot start a reader: {err}")));
    }
    // The reader checks the deadline itself as it goes; the margin covers a decoder stuck
    // inside one operation, whose thread is then left to finish on its own.
    match receiver.recv_timeout(limits.time + Duration::from_secs(2)) {
        Ok(result) => result,
        Err(_) => Err(PdfProblem::TimedOut(limits.time.as_secs())),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let detail = detail
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .collect::<String>();
    if detail.is_empty() {
        "the decoder gave up".to_owned()
    } else {
        format!("the decoder gave up: {detail}")
    }
}

fn read(bytes: &[u8], limits: PdfLimits, deadline: Instant) -> Result<PdfText, PdfProblem> {
    if nesting::too_deep_in_file(bytes).is_some() {
        return Err(PdfProblem::TooDeep(nesting::MAX_DEPTH));
    }
    let mut document = pdf_extract::Document::load_mem(bytes).map_err(|err| match err {
        pdf_extract::Error::Decryption(_) => PdfProblem::Encrypted,
        other => PdfProblem::Damaged(other.to_string()),
    })?;
    // Many PDFs are encrypted with an empty user password, only to restrict printing or
    // copying; those open. Any other password is the analyst's to supply.
    if document.is_encrypted() && (document.decrypt("").is_err() || document.is_encrypted()) {
        return Err(PdfProblem::Encrypted);
    }
    let pages = document.get_pages();
    if pages.len() > limits.max_pages {
        return Err(PdfProblem::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pages,
        });
    }
    let page_count = pages.len() as u32;
    if nesting::too_deep_in_content(&document).is_some() {
        return Err(PdfProblem::TooDeep(nesting::MAX_DEPTH));
    }
    cmaps::rewrite_predefined_cmaps(&mut document);
    let mut collector = Collector::new(limits.max_glyphs, deadline);
    let outcome = pdf_extract::output_doc(&document, &mut collector);
    if collector.timed_out {
        return Err(PdfProblem::TimedOut(limits.time.as_secs()));
    }
    if collector.glyphs > limits.max_glyphs {
        return Err(PdfProblem::TooMuchText(limits.max_glyphs));
    }
    if let Err(err) = outcome {
        // Pages read before a damaged one still count; with none, the file is damaged.
        if collector.pages.iter().all(|page| page.glyphs.is_empty()) {
            return Err(PdfProblem::Damaged(err.to_string()));
        }
    }
    let visible = collector
        .pages
        .iter()
        .flat_map(|page| &page.glyphs)
        .any(|glyph| !glyph.text.trim().is_empty());
    if !visible {
        return Err(if has_images(&document) {
            PdfProblem::NoTextLayer { pages: page_count }
        } else {
            PdfProblem::NoText
        });
    }
    let text = layout::reading_order(&collector.pages);
    if text.text.trim().is_empty() {
        return Err(PdfProblem::NoText);
    }
    Ok(PdfText {
        pages: page_count,
        ..text
    })
}

/// The file in `dir` that keeps the text read from a PDF with these contents by this
/// version of the readers.
fn cache_file(dir: &std::path::Path, sha256: &[u8; 32]) -> std::path::PathBuf {
    let hex: String = sha256.iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{hex}-r{}.json", super::READERS_VERSION))
}

/// The text read earlier from a PDF with these contents, if kept and whole.
pub fn cached_text(dir: &std::path::Path, sha256: &[u8; 32]) -> Option<PdfText> {
    let bytes = std::fs::read(cache_file(dir, sha256)).ok()?;
    let text: PdfText = serde_json::from_slice(&bytes).ok()?;
    // A paragraph start past the end means the file is not what was written.
    let chars = text.text.chars().count();
    text.paragraph_pages
        .iter()
        .all(|&(start, _)| start <= chars)
        .then_some(text)
}

/// Keeps what was read from a PDF for [`cached_text`]. Best effort: a folder that cannot
/// be written to is read again next time, nothing more.
pub fn cache_text(dir: &std::path::Path, sha256: &[u8; 32], text: &PdfText) {
    let path = cache_file(dir, sha256);
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temp, serde_json::to_vec(text).unwrap_or_default()))
        .and_then(|()| std::fs::rename(&temp, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}

/// Reading order and paragraphs for glyphs from any reader: what [`pdf_to_text`] does
/// after decoding. `examples/pdf_layout_from_bbox.rs` feeds it poppler's words to compare
/// the two decoders on equal terms.
pub fn layout_text(pages: &[Page]) -> PdfText {
    layout::reading_order(pages)
}

/// Pages of word boxes from poppler's `pdftotext -bbox` (XHTML), as glyphs for
/// [`layout_text`]: how the tests and `examples/pdf_layout_from_bbox.rs` compare poppler
/// with pdf-extract through the same layout. Each word is one glyph.
pub fn pages_from_poppler_bbox(xhtml: &str) -> Result<Vec<Page>, String> {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<(f64, f64, f64, f64)> = None;
    let number = |e: &BytesStart, name: &[u8]| -> f64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
            .unwrap_or(0.0)
    };
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.name().as_ref() == b"page" => pages.push(Page {
                number: pages.len() as u32 + 1,
                width: number(&e, b"width"),
                height: number(&e, b"height"),
                glyphs: Vec::new(),
            }),
            Event::Start(e) if e.name().as_ref() == b"word" => {
                word = Some((
                    number(&e, b"xMin"),
                    number(&e, b"yMin"),
                    number(&e, b"xMax"),
                    number(&e, b"yMax"),
                ))
            }
            Event::Text(t) => {
                if let (Some((x0, y0, x1, y1)), Some(page)) = (word.take(), pages.last_mut()) {
                    // Poppler's box is the font's ascent to descent, 1.3 em for the
                    // fixtures' fonts, with the baseline a quarter em above its bottom.
                    let size = (y1 - y0) / 1.3;
                    let text = t.decode().map_err(|e| e.to_string())?;
                    page.glyphs.push(Glyph {
                        x: x0,
                        y: y1 - 0.27 * size,
                        advance: x1 - x0,
                        size,
                        text: text.into_owned(),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages)
}

fn has_images(document: &pdf_extract::Document) -> bool {
    document.objects.values().any(|object| {
        object.as_stream().is_ok_and(|stream| {
            stream
                .dict
                .get(b"Subtype")
                .and_then(|subtype| subtype.as_name())
                .is_ok_and(|name| name == b"Image")
        })
    })
}

/// The glyphs of one page in content order.
#[derive(Debug, Default)]
pub struct Page {
    pub number: u32,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
}

struct Collector {
    pages: Vec<Page>,
    flip: Transform,
    glyphs: usize,
    max_glyphs: usize,
    deadline: Instant,
    timed_out: bool,
}

impl Collector {
    fn new(max_glyphs: usize, deadline: Instant) -> Self {
        Self {
            pages: Vec::new(),
            flip: Transform::identity(),
            glyphs: 0,
            max_glyphs,
            deadline,
            timed_out: false,
        }
    }
}

/// Stops `pdf-extract`'s walk: it passes the error up and returns.
fn stop() -> OutputError {
    OutputError::FormatError(std::fmt::Error)
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        if Instant::now() > self.deadline {
            self.timed_out = true;
            return Err(stop());
        }
        // Page space has y upwards from the bottom; layout wants y downwards from the top.
        self.flip = Transform::row_major(1., 0., 0., -1., -media_box.llx, media_box.ury);
        self.pages.push(Page {
            number: page_num,
            width: (media_box.urx - media_box.llx).abs(),
            height: (media_box.ury - media_box.lly).abs(),
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs > self.max_glyphs {
            return Err(stop());
        }
        if self.glyphs.is_multiple_of(4096) && Instant::now() > self.deadline {
            self.timed_out = true;
            return Err(stop());
        }
        let position = trm.post_transform(&self.flip);
        // The font size in page units: the side of the square with the area of the
        // transformed em square (as `pdf-extract`'s own text output computes it).
        let scaled_x = font_size * (trm.m11 + trm.m21);
        let scaled_y = font_size * (trm.m12 + trm.m22);
        let size = (scaled_x * scaled_y).abs().sqrt();
        if !size.is_finite() || size <= 0.0 || char.is_empty() {
            return Ok(());
        }
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        page.glyphs.push(Glyph {
            x: position.m31,
            y: position.m32,
            advance: width * size,
            size,
            text: char.to_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
