//! Inputs that used to hang or exhaust memory (issue 13 §8–11). Each must finish in
//! seconds or be refused with a clear error. A watchdog fails a case that runs past a
//! generous limit instead of letting CI hang; these are not speed measurements (the
//! README's benchmark section has those), only a guard against the quadratic and
//! unbounded paths coming back.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use policylens::corpus::LoadOptions;
use policylens::pipeline::{Progress, extract_folder};

/// Runs `case` on a thread and fails if it has not finished after `limit`.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    case: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(case());
    });
    finished
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} still running after {limit:?}"))
}

fn extract(folder: &Path, options: LoadOptions) -> policylens::pipeline::Extraction {
    extract_folder(folder, &options, &Progress::default()).expect("the folder reads")
}

/// 100,000 headings of one district each: linear now (the attribution looked up each
/// heading's chunks over the whole document; 297,890 took 79 s).
#[test]
fn many_headings_are_linear() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("h.txt"), "清徐县\n\n".repeat(100_000)).unwrap();
    let folder = dir.path().to_path_buf();
    let extraction = within(Duration::from_secs(60), "100,000 headings", move || {
        extract(&folder, LoadOptions::default())
    });
    assert!(extraction.documents[0].error.is_none());
    assert!(extraction.items.len() >= 100_000);
}

/// `<div>` nested 200,000 deep: read flat, not through the parser's quadratic scope
/// checks (97 s before), and the text inside is still found.
#[test]
fn deeply_nested_html_is_read_flat() {
    let dir = tempfile::tempdir().unwrap();
    let page = format!(
        "{}清徐县{}",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    std::fs::write(dir.path().join("n.html"), page).unwrap();
    let folder = dir.path().to_path_buf();
    let extraction = within(Duration::from_secs(60), "nested HTML", move || {
        extract(&folder, LoadOptions::default())
    });
    assert_eq!(extraction.documents[0].text.trim(), "清徐县");
}

/// A `.docx` whose document inflates far past the size limit is refused while it is
/// read, naming the limit, instead of being inflated whole (4 GiB from 4 MB before).
#[test]
fn a_docx_zip_bomb_is_refused_by_its_decompressed_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&spaces).unwrap();
    }
    zip.finish().unwrap();
    let compressed = std::fs::metadata(&path).unwrap().len();
    let limit = 4 << 20;
    assert!(compressed < limit, "the bomb itself is under the limit");
    let folder = dir.path().to_path_buf();
    let extraction = within(Duration::from_secs(60), "zip bomb", move || {
        extract(
            &folder,
            LoadOptions {
                max_file_bytes: limit,
                ..LoadOptions::default()
            },
        )
    });
    let error = extraction.documents[0].error.as_deref().unwrap_or_default();
    assert!(
        error.contains("bomb.docx") && error.contains("decompresses to more than"),
        "{error}"
    );
}

/// `bench --runs 0` is refused by the argument parser instead of panicking.
#[test]
fn bench_with_no_runs_is_refused() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
        .args(["bench", "sample_data", "--runs", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--runs"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
