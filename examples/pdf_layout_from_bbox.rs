//! Reads poppler's word boxes (`pdftotext -bbox FILE.pdf -`, XHTML) on standard input and
//! prints the text PolicyLens's layout makes of them. With `policylens text FILE.pdf`
//! (pdf-extract's glyphs through the same layout) this compares the two decoders on equal
//! terms; `tests/fixtures/pdf/compare_readers.py` runs both over the fixtures.
//! `--pdf-extract FILE` prints pdf-extract's own text output instead.

use std::io::Read;

use policylens::corpus::pdf::{layout_text, pages_from_poppler_bbox};

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
    let pages = pages_from_poppler_bbox(&xhtml).map_err(anyhow::Error::msg)?;
    println!("{}", layout_text(&pages).text);
    Ok(())
}
