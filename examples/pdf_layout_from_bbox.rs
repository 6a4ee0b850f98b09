//! Reads poppler's word boxes (`pdftotext -bbox FILE.pdf -`, XHTML) on standard input and
//! prints the text PolicyLens's layout makes of them. With `policylens text FILE.pdf`
//! (pdf-extract's glyphs through the same layout) this compares the two decoders on equal
//! terms; `tests/fixtures/pdf/compare_readers.py` runs both over the fixtures.
//! `--pdf-extract FILE` prints pdf-extract's own text output instead.

use std::io::Read;

use policylens::corpus::pdf::{Glyph, Page, layout_text};
use quick_xml::events::Event;

fn main() -> anyhow::Result<()> {
    // `--pdf-extract FILE`: pdf-extract's own plain-text output, for the raw baseline.
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, file] = args.as_slice()
        && flag == "--pdf-extract"
    {
        let bytes = std::fs::read(file)?;
        let text = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&bytes));
        match text {
            Ok(Ok(text)) => println!("{text}"),
            Ok(Err(err)) => eprintln!("pdf-extract: {err}"),
            Err(_) => eprintln!("pdf-extract panicked"),
        }
        return Ok(());
    }
    let mut xhtml = String::new();
    std::io::stdin().read_to_string(&mut xhtml)?;
    let mut reader = quick_xml::Reader::from_str(&xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<(f64, f64, f64, f64)> = None;
    let number = |e: &quick_xml::events::BytesStart, name: &[u8]| -> f64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
            .unwrap_or(0.0)
    };
    loop {
        match reader.read_event()? {
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
                    // Poppler's box is the font's ascent to descent, 1.3 em for these
                    // fonts, with the baseline a quarter em above its bottom.
                    let size = (y1 - y0) / 1.3;
                    page.glyphs.push(Glyph {
                        x: x0,
                        y: y1 - 0.27 * size,
                        advance: x1 - x0,
                        size,
                        text: quick_xml::escape::unescape(&t.decode()?)?.into_owned(),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    println!("{}", layout_text(&pages).text);
    Ok(())
}
