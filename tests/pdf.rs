//! PDF articles (`tests/fixtures/pdf/`, made by `make_fixtures.py` there): the text read
//! back equals the article, in reading order, without running heads or page numbers;
//! paragraphs know their page; scans, damaged and encrypted files say what they are and
//! the rest of the folder loads; extraction from the PDFs scores as from the texts.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use policylens::LoadOptions;
use policylens::corpus::pdf::{
    Glyph, Page, PdfLimits, PdfProblem, layout_text, pages_from_poppler_bbox, pdf_to_text,
};
use policylens::error::DocumentErrorKind;

fn fixture(relative: &str) -> PathBuf {
    common::repo_path("tests/fixtures/pdf").join(relative)
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Paragraphs as the loader separates them (blank lines), white space removed.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .flat_map(|block| block.split('\n'))
        .map(squeezed)
        .filter(|p| !p.is_empty())
        .collect()
}

fn read(path: &Path) -> policylens::corpus::pdf::PdfText {
    pdf_to_text(&std::fs::read(path).unwrap(), PdfLimits::default())
        .unwrap_or_else(|problem| panic!("{}: {problem}", path.display()))
}

fn layouts() -> [&'static str; 3] {
    ["single", "two_column", "three_column"]
}

fn pdfs_in(layout: &str) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(fixture(layout))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

#[test]
fn every_layout_reads_back_as_the_article_paragraph_for_paragraph() {
    let mut checked = 0;
    for layout in layouts() {
        for pdf in pdfs_in(layout) {
            let stem = pdf.file_stem().unwrap().to_str().unwrap();
            let article = std::fs::read_to_string(
                common::repo_path("sample_data").join(format!("{stem}.txt")),
            )
            .unwrap();
            let text = read(&pdf).text;
            assert_eq!(
                paragraphs(&text),
                paragraphs(&article),
                "{layout}/{stem}: paragraphs differ"
            );
            // No running head ("晋阳日报 · 电子版 · 要闻") or footer ("第 N 页") is left.
            assert!(
                !text.contains("电子版"),
                "{layout}/{stem}: running head kept"
            );
            assert!(
                !text
                    .lines()
                    .any(|l| l.starts_with('第') && l.trim_end().ends_with('页')),
                "{layout}/{stem}: page number kept"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 11,
        "5 single-column, 5 two-column and 1 three-column PDF"
    );
}

#[test]
fn predefined_adobe_gb1_cmaps_are_decoded() {
    let expected = squeezed(&std::fs::read_to_string(fixture("cmap.txt")).unwrap());
    for name in ["cmap_unigb_ucs2.pdf", "cmap_gbk_euc.pdf"] {
        let text = read(&fixture(name)).text;
        assert_eq!(squeezed(&text), expected, "{name}");
        // Digits in the GBK file are one-byte codes among two-byte ones.
        assert!(text.contains("14日"), "{name}: {text}");
    }
}

#[test]
fn paragraphs_carry_the_page_they_start_on() {
    let pdf = fixture("single/001_43fc77b577ed78f0.pdf");
    let read = read(&pdf);
    assert_eq!(read.pages, 4);
    let pages = &read.paragraph_pages;
    assert_eq!(pages.first(), Some(&(0, 1)));
    assert!(
        pages
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
    );
    assert_eq!(pages.last().map(|p| p.1), Some(4));
    // Every paragraph start is where a paragraph starts in the text.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            read.text
                .match_indices("\n\n")
                .map(|(b, _)| read.text[..b].chars().count() + 2),
        )
        .collect();
    assert_eq!(pages.iter().map(|p| p.0).collect::<Vec<_>>(), starts);
    // 尖草坪区's round-up paragraph is the first on page 2 of this rendering (the
    // fixture's page images show it there).
    let page_of = |needle: &str| {
        let at = read.text[..read.text.find(needle).unwrap()].chars().count();
        pages.iter().rev().find(|p| p.0 <= at).unwrap().1
    };
    assert_eq!(page_of("蓝佛安在参加"), 1);
    assert_eq!(page_of("尖草坪区表示"), 2);
}

fn load_folder(
    files: &[(&str, PathBuf)],
) -> (tempfile::TempDir, Vec<policylens::corpus::Document>) {
    let folder = tempfile::tempdir().unwrap();
    for (name, from) in files {
        std::fs::copy(from, folder.path().join(name)).unwrap();
    }
    std::fs::write(folder.path().join("d_empty.pdf"), b"").unwrap();
    let entries = policylens::corpus::scan(folder.path()).unwrap();
    let documents = entries
        .iter()
        .map(|entry| policylens::corpus::load_entry(entry, &LoadOptions::default()))
        .collect();
    (folder, documents)
}

#[test]
fn scans_damaged_and_encrypted_pdfs_say_so_and_the_rest_loads() {
    let (_folder, documents) = load_folder(&[
        ("a_scan.pdf", fixture("scanned.pdf")),
        ("b_damaged.pdf", fixture("damaged.pdf")),
        ("c_locked.pdf", fixture("encrypted.pdf")),
        ("e_good.pdf", fixture("single/004_2c3bb7cba85163a1.pdf")),
        (
            "f_text.txt",
            common::repo_path("sample_data/003_6db4a980af955398.txt"),
        ),
    ]);
    let kind = |i: usize| documents[i].error.as_ref().map(|e| e.kind);
    let message = |i: usize| documents[i].error.as_ref().unwrap().to_string();
    assert_eq!(kind(0), Some(DocumentErrorKind::ScannedPdf));
    assert!(
        message(0).starts_with("no text layer: scanned PDF?"),
        "{}",
        message(0)
    );
    assert!(
        message(0).ends_with("a_scan.pdf"),
        "the message names the file"
    );
    assert_eq!(kind(1), Some(DocumentErrorKind::Pdf));
    assert!(message(1).contains("damaged"), "{}", message(1));
    assert_eq!(kind(2), Some(DocumentErrorKind::EncryptedPdf));
    assert!(message(2).contains("encrypted"), "{}", message(2));
    assert_eq!(kind(3), Some(DocumentErrorKind::Empty));
    for good in [4, 5] {
        assert!(
            documents[good].error.is_none(),
            "{:?}",
            documents[good].error
        );
        assert!(documents[good].chars > 1000);
    }
    assert_eq!(documents[4].encoding.as_deref(), Some("PDF"));
    assert!(!documents[4].paragraph_pages.is_empty());
    assert!(documents[5].paragraph_pages.is_empty());
}

#[test]
fn every_prefix_of_a_pdf_gives_text_or_an_error_never_a_panic() {
    // Cut at many places: in the header, in objects, in streams, in the xref table.
    let whole = std::fs::read(fixture("single/003_6db4a980af955398.pdf")).unwrap();
    let limits = PdfLimits {
        time: Duration::from_secs(20),
        ..PdfLimits::default()
    };
    let mut errors = 0;
    for cut in (0..whole.len())
        .step_by(whole.len() / 40)
        .chain([whole.len() - 1])
    {
        match pdf_to_text(&whole[..cut], limits) {
            Ok(text) => assert!(!text.text.trim().is_empty()),
            Err(PdfProblem::TimedOut(_)) => panic!("cut at {cut} hung"),
            Err(_) => errors += 1,
        }
    }
    assert!(
        errors > 0,
        "a cut-off PDF is an error, at least when cut early"
    );
    // Bytes flipped inside: still no panic (the reader's panics are caught and said).
    let mut flipped = whole.clone();
    for at in (1000..flipped.len()).step_by(997) {
        flipped[at] ^= 0x5A;
    }
    let _ = pdf_to_text(&flipped, limits);
}

#[test]
fn the_time_and_size_limits_stop_a_pdf_with_a_clear_error() {
    let pdf = std::fs::read(fixture("three_column/000_0231f8137fa1da98.pdf")).unwrap();
    let no_time = PdfLimits {
        time: Duration::ZERO,
        ..PdfLimits::default()
    };
    assert_eq!(pdf_to_text(&pdf, no_time), Err(PdfProblem::TimedOut(0)));
    let few_pages = PdfLimits {
        max_pages: 2,
        ..PdfLimits::default()
    };
    assert!(matches!(
        pdf_to_text(&pdf, few_pages),
        Err(PdfProblem::TooManyPages { limit: 2, .. })
    ));
    let few_glyphs = PdfLimits {
        max_glyphs: 100,
        ..PdfLimits::default()
    };
    assert_eq!(
        pdf_to_text(&pdf, few_glyphs),
        Err(PdfProblem::TooMuchText(100))
    );
}

#[test]
fn a_page_of_a_hundred_thousand_scattered_glyphs_is_laid_out() {
    // Complexity, not size: every glyph its own fragment at its own height and place,
    // the worst case for the column search. It must come back whole.
    let glyphs: Vec<Glyph> = (0..100_000u32)
        .map(|i| Glyph {
            x: f64::from(i % 97) * 6.1,
            y: f64::from(i) * 0.008,
            advance: 1.0,
            size: 1.0,
            text: "字".into(),
        })
        .collect();
    let page = Page {
        number: 1,
        width: 600.0,
        height: 800.0,
        glyphs,
    };
    let text = layout_text(&[page]).text;
    assert_eq!(text.chars().filter(|&c| c == '字').count(), 100_000);
}

/// F1 per kind of the extraction of `folder` against the seed gold, by file stem.
fn seed_scores(folder: &Path) -> BTreeMap<&'static str, f64> {
    common::seed_scores(&common::extract(folder))
}

fn macro_f1(scores: &BTreeMap<&'static str, f64>) -> f64 {
    scores.values().sum::<f64>() / scores.len() as f64
}

#[test]
fn extraction_from_the_pdfs_scores_within_a_hundredth_of_the_texts() {
    let text_scores = seed_scores(&common::repo_path("sample_data"));
    for layout in ["single", "two_column"] {
        let pdf_scores = seed_scores(&fixture(layout));
        eprintln!("{layout}: {pdf_scores:?}\ntext: {text_scores:?}");
        let (pdf, text) = (macro_f1(&pdf_scores), macro_f1(&text_scores));
        assert!(
            (pdf - text).abs() <= 0.01,
            "{layout}: macro-F1 {pdf:.3} from the PDFs against {text:.3} from the texts"
        );
    }
}

fn similarity(article: &str, text: &str) -> f64 {
    let (a, b) = (squeezed(article), squeezed(text));
    f64::from(similar::TextDiff::from_chars(a.as_str(), b.as_str()).ratio())
}

/// The library choice, re-measured on every run: the pure-Rust reader is kept only while
/// it is within 1 % of poppler on the fixtures, both through the same layout (poppler's
/// word boxes from `pdftotext -bbox`, laid out as pdf-extract's glyphs are).
#[test]
fn the_pure_rust_reader_is_within_one_percent_of_poppler() {
    let mut cases: Vec<(PathBuf, String)> = Vec::new();
    for layout in layouts() {
        for pdf in pdfs_in(layout) {
            let stem = pdf.file_stem().unwrap().to_str().unwrap().to_owned();
            let article = std::fs::read_to_string(
                common::repo_path("sample_data").join(format!("{stem}.txt")),
            )
            .unwrap();
            cases.push((pdf, article));
        }
    }
    let cmap_text = std::fs::read_to_string(fixture("cmap.txt")).unwrap();
    for name in ["cmap_unigb_ucs2.pdf", "cmap_gbk_euc.pdf"] {
        cases.push((fixture(name), cmap_text.clone()));
    }
    let (mut ours, mut poppler) = (0.0, 0.0);
    for (pdf, article) in &cases {
        ours += similarity(article, &read(pdf).text);
        let bbox = std::process::Command::new("pdftotext")
            .arg("-bbox")
            .arg(pdf)
            .arg("-")
            .output()
            .expect("pdftotext (apt install poppler-utils poppler-data, as .ci/run does)");
        assert!(
            bbox.status.success(),
            "pdftotext failed on {}",
            pdf.display()
        );
        let pages = pages_from_poppler_bbox(&String::from_utf8_lossy(&bbox.stdout)).unwrap();
        poppler += similarity(article, &layout_text(&pages).text);
    }
    let n = cases.len() as f64;
    let (ours, poppler) = (ours / n, poppler / n);
    eprintln!("mean similarity over {n} PDFs: pdf-extract {ours:.4}, poppler {poppler:.4}");
    assert!(
        ours >= poppler - 0.01,
        "pdf-extract {ours:.4} is more than 1 % behind poppler {poppler:.4}: \
         the README's choice of library no longer holds"
    );
    // Poppler reads the fixtures too (it is a real baseline, not a broken one).
    assert!(poppler > 0.95, "poppler {poppler:.4}");
}

#[test]
fn the_text_command_prints_what_the_reader_made_with_pages() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("text")
        .arg(fixture("single/001_43fc77b577ed78f0.pdf"))
        .arg("--pages")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("[p. 1]\n蓝佛安在参加"), "{}", &text[..80]);
    let markers: Vec<&str> = text.lines().filter(|l| l.starts_with("[p. ")).collect();
    assert_eq!(markers, ["[p. 1]", "[p. 2]", "[p. 3]", "[p. 4]"]);
    let failed = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("text")
        .arg(fixture("scanned.pdf"))
        .output()
        .unwrap();
    assert!(!failed.status.success());
    let message = String::from_utf8(failed.stderr).unwrap();
    assert!(
        message.contains("no text layer: scanned PDF?") && message.contains("scanned.pdf"),
        "{message}"
    );
}

/// A PDF from object bodies (numbered from 1), with a correct cross-reference table.
fn pdf_file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (number, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", number + 1).bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

fn stream(data: &[u8], extra: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {extra} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

fn one_page_pdf(catalog_extra: &[u8], content: Vec<u8>, more: Vec<Vec<u8>>) -> Vec<u8> {
    let mut catalog = b"<< /Type /Catalog /Pages 2 0 R ".to_vec();
    catalog.extend(catalog_extra);
    catalog.extend(b" >>");
    let mut objects = vec![
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        content,
    ];
    objects.extend(more);
    pdf_file(&objects)
}

/// Nesting, not size: `[[[[…` 200,000 deep in an object, in a page's content and in a
/// compressed object stream. The parsers recurse, and a stack overflow would abort the
/// whole process (this test would not even fail, it would die); each is refused instead.
#[test]
fn deeply_nested_pdfs_are_refused_not_crashed_on() {
    let deep = |open: &[u8], close: &[u8]| [open.repeat(200_000), close.repeat(200_000)].concat();
    let in_object = one_page_pdf(
        &[b"/Deep ".as_slice(), &deep(b"[", b"]")].concat(),
        stream(b"BT ET", ""),
        vec![],
    );
    let in_dictionary = one_page_pdf(
        &[b"/Deep ".as_slice(), &deep(b"<<", b">>")].concat(),
        stream(b"BT ET", ""),
        vec![],
    );
    let in_content = one_page_pdf(
        b"",
        stream(
            &[b"BT ".as_slice(), &deep(b"[", b"]"), b" TJ ET"].concat(),
            "",
        ),
        vec![],
    );
    let compressed = {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(b"5 0 ").unwrap();
        encoder.write_all(&deep(b"[", b"]")).unwrap();
        encoder.finish().unwrap()
    };
    let in_object_stream = one_page_pdf(
        b"",
        stream(b"BT ET", ""),
        vec![stream(
            &compressed,
            "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
        )],
    );
    for (name, pdf) in [
        ("object", in_object),
        ("dictionary", in_dictionary),
        ("content", in_content),
        ("object stream", in_object_stream),
    ] {
        let problem = pdf_to_text(&pdf, PdfLimits::default()).unwrap_err();
        assert_eq!(problem, PdfProblem::TooDeep(512), "{name}");
        assert!(problem.to_string().contains("nested more than 512 deep"));
    }
}

/// A re-opened folder takes its PDFs' text from `.policylens/pdf-text/`, by content: the
/// kept text is what the second open shows, and a PDF whose bytes changed is read anew.
#[test]
fn a_reopened_folder_takes_pdf_text_from_its_cache_by_content() {
    let folder = tempfile::tempdir().unwrap();
    let pdf = folder.path().join("article.pdf");
    std::fs::copy(fixture("single/004_2c3bb7cba85163a1.pdf"), &pdf).unwrap();
    let options = LoadOptions {
        use_cache: true,
        ..LoadOptions::default()
    };
    let open = || {
        policylens::pipeline::extract_folder(
            folder.path(),
            &options,
            &policylens::pipeline::Progress::default(),
        )
        .unwrap()
    };
    let first = open();
    let cache_dir = folder.path().join(".policylens/pdf-text");
    let kept: Vec<PathBuf> = std::fs::read_dir(&cache_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1, "one PDF, one kept text");
    let mut entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&kept[0]).unwrap()).unwrap();
    assert_eq!(entry["text"], first.documents[0].text.as_str());
    // Mark the kept text: if the second open shows the mark, it did not read the PDF.
    let marked = format!("{}\n\n古交市投资10亿元。", first.documents[0].text);
    entry["text"] = serde_json::Value::String(marked.clone());
    std::fs::write(&kept[0], serde_json::to_vec(&entry).unwrap()).unwrap();
    assert_eq!(open().documents[0].text, marked);
    // Other bytes under the same name: read again.
    std::fs::copy(fixture("single/003_6db4a980af955398.pdf"), &pdf).unwrap();
    let article =
        std::fs::read_to_string(common::repo_path("sample_data/003_6db4a980af955398.txt")).unwrap();
    assert_eq!(paragraphs(&open().documents[0].text), paragraphs(&article));
}
