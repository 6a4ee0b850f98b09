//! Loading never stops on bad input: every bad file is reported with its name and the
//! problem, good files still load, and GB18030 decodes exactly like its UTF-8 twin.

mod common;

use std::path::Path;

use policylens::LoadOptions;
use policylens::corpus::{self, load_entry, scan};
use policylens::pipeline::{Progress, extract_folder};

const GOOD: &str = "清徐县委书记王剑峰表示，今年将加快清源水城项目建设，总投资8.16亿元。";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn bad_files_are_reported_and_good_files_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "good.txt", GOOD.as_bytes());
    write(root, "empty.txt", b"");
    write(root, "binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(root, "too_large.txt", &vec![b'a'; 4096]);
    write(root, "broken.docx", b"PK\x03\x04 not really a zip");
    write(
        root,
        "page.html",
        "<html><head><script>x()</script></head><body><p>太原市小店区</p></body></html>".as_bytes(),
    );
    write(root, "ignored.epub", b"PK\x03\x04");
    // A PDF is read since issue 18; a header and nothing else is a damaged one.
    write(root, "stub.pdf", b"%PDF-1.4");
    std::fs::create_dir(root.join(".policylens")).unwrap();
    write(&root.join(".policylens"), "cache.txt", GOOD.as_bytes());
    std::fs::create_dir(root.join("nested")).unwrap();
    write(&root.join("nested"), "deep.md", GOOD.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(root, root.join("nested").join("loop")).unwrap();
        let name = std::ffi::OsStr::from_bytes(b"gbk_\xc7\xe5\xd0\xec.txt");
        std::fs::write(root.join(name), GOOD.as_bytes()).unwrap();
        write(root, "locked.txt", GOOD.as_bytes());
        std::fs::set_permissions(
            root.join("locked.txt"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
    }
    let options = LoadOptions {
        max_file_bytes: 1024,
        ..LoadOptions::default()
    };
    let extraction = extract_folder(root, &options, &Progress::default()).unwrap();
    let doc = |file: &str| {
        extraction
            .documents
            .iter()
            .find(|d| d.file == file)
            .unwrap_or_else(|| {
                panic!(
                    "{file} not listed: {:?}",
                    extraction
                        .documents
                        .iter()
                        .map(|d| &d.file)
                        .collect::<Vec<_>>()
                )
            })
    };
    let error_of = |file: &str| {
        doc(file)
            .error
            .clone()
            .unwrap_or_else(|| panic!("{file} has no error"))
    };
    assert!(error_of("empty.txt").contains("empty"));
    assert!(error_of("binary.txt").contains("binary"));
    assert!(error_of("too_large.txt").contains("over the limit"));
    assert!(error_of("broken.docx").contains("Word"));
    assert!(error_of("stub.pdf").contains("damaged or unreadable PDF"));
    for file in [
        "empty.txt",
        "binary.txt",
        "too_large.txt",
        "broken.docx",
        "stub.pdf",
    ] {
        assert!(
            error_of(file).contains(file),
            "the message names the file: {}",
            error_of(file)
        );
    }
    assert_eq!(doc("good.txt").error, None);
    assert_eq!(doc("nested/deep.md").error, None);
    assert_eq!(doc("page.html").text, "太原市小店区");
    assert!(
        !extraction
            .documents
            .iter()
            .any(|d| d.file.contains(".policylens") || d.file.ends_with(".epub"))
    );
    #[cfg(unix)]
    {
        assert!(
            error_of("nested/loop").contains("loop"),
            "{}",
            error_of("nested/loop")
        );
        let odd = extraction
            .documents
            .iter()
            .find(|d| d.file.starts_with("gbk_"))
            .expect("non-UTF-8 name listed");
        assert!(odd.warnings[0].contains("not valid Unicode"));
        assert_eq!(odd.error, None, "its content still loads");
        // Root reads files whatever their mode; then the file simply loads.
        let locked = doc("locked.txt");
        let readable = std::fs::read(root.join("locked.txt")).is_ok();
        assert_eq!(locked.error.is_none(), readable, "{:?}", locked.error);
        if !readable {
            assert!(locked.error.as_deref().unwrap().contains("locked.txt"));
        }
    }
    let good_items = extraction
        .items
        .iter()
        .filter(|i| i.file == "good.txt")
        .count();
    assert!(
        good_items >= 4,
        "the good file is extracted: {good_items} items"
    );
}

#[test]
fn a_file_deleted_after_the_scan_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vanishing.txt", GOOD.as_bytes());
    let entries = scan(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("vanishing.txt")).unwrap();
    let document = load_entry(&entries[0], &LoadOptions::default());
    let error = document.error.expect("reported");
    assert!(error.contains("vanishing.txt"), "{error}");
}

#[test]
fn an_unreadable_folder_is_an_error_not_a_panic() {
    let missing = Path::new("/nonexistent/policylens-folder");
    let err = extract_folder(missing, &LoadOptions::default(), &Progress::default()).unwrap_err();
    assert!(err.to_string().contains("policylens-folder"));
}

#[test]
fn gb18030_files_decode_to_their_utf8_twins() {
    let gb_dir = common::repo_path("tests/fixtures/gb18030");
    let mut checked = 0;
    for entry in std::fs::read_dir(&gb_dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let decoded = corpus::decode(&bytes).unwrap();
        let twin = std::fs::read_to_string(
            common::repo_path("tests/fixtures/utf8").join(entry.file_name()),
        )
        .unwrap();
        assert_eq!(
            decoded.text,
            corpus::normalize_line_ends(&twin),
            "{:?}",
            entry.file_name()
        );
        assert_eq!(decoded.encoding, "gb18030");
        checked += 1;
    }
    // Two of them (0eb7…, 6459…) are short texts the detector takes for Big5.
    assert_eq!(checked, 8);
}

#[test]
fn item_ids_are_stable_across_runs_and_unrelated_files() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_sample_articles(dir.path());
    let ids = |extraction: &policylens::pipeline::Extraction| {
        let mut ids: Vec<(String, String)> = extraction
            .items
            .iter()
            .map(|i| (i.id.clone(), i.text.clone()))
            .collect();
        ids.sort();
        ids
    };
    let first = ids(&common::extract(dir.path()));
    let again = ids(&common::extract(dir.path()));
    assert_eq!(first, again);
    write(
        dir.path(),
        "000_another_article.txt",
        "阳曲县委书记裴耀军说，推进太原新能源产业园建设。".as_bytes(),
    );
    let with_new_file = common::extract(dir.path());
    let old_files: Vec<(String, String)> = with_new_file
        .items
        .iter()
        .filter(|i| i.file != "000_another_article.txt")
        .map(|i| (i.id.clone(), i.text.clone()))
        .collect();
    let mut old_files = old_files;
    old_files.sort();
    assert_eq!(first, old_files);
}

#[test]
fn reopening_reuses_the_cache_for_unchanged_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_sample_articles(root);
    let cached = LoadOptions {
        use_cache: true,
        ..LoadOptions::default()
    };
    let cold = extract_folder(root, &cached, &Progress::default()).unwrap();
    assert_eq!(cold.reused, 0);
    assert!(policylens::cache::cache_path(root).exists());

    let warm = extract_folder(root, &cached, &Progress::default()).unwrap();
    assert_eq!(warm.reused, warm.documents.len());
    assert_eq!(warm.items, cold.items);
    let titles = |e: &policylens::pipeline::Extraction| {
        e.documents
            .iter()
            .map(|d| d.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&warm), titles(&cold));

    // One file changes: only it is extracted again, and its new items are the ones shown.
    let changed = &cold.documents[1];
    std::fs::write(&changed.path, GOOD).unwrap();
    let after_edit = extract_folder(root, &cached, &Progress::default()).unwrap();
    assert_eq!(after_edit.reused, cold.documents.len() - 1);
    let items_of = |e: &policylens::pipeline::Extraction, file: &str| {
        e.items
            .iter()
            .filter(|i| i.file == file)
            .cloned()
            .collect::<Vec<_>>()
    };
    let fresh = common::extract(root);
    assert_eq!(
        items_of(&after_edit, &changed.file),
        items_of(&fresh, &changed.file)
    );
    assert!(
        items_of(&after_edit, &changed.file)
            .iter()
            .any(|i| i.text == "王剑峰")
    );
    assert_eq!(after_edit.items, fresh.items);

    // A damaged cache costs only time.
    std::fs::write(policylens::cache::cache_path(root), b"garbage").unwrap();
    let after_damage = extract_folder(root, &cached, &Progress::default()).unwrap();
    assert_eq!(after_damage.reused, 0);
    assert_eq!(after_damage.items, fresh.items);
}

/// `extract --use-cache` reads and writes the folder's extraction cache as the app
/// does: the second run gives the same output, also after the cache is damaged, and a
/// failed `-o` leaves the previous output whole.
#[test]
fn the_command_line_uses_the_extraction_cache_and_never_truncates_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    common::copy_sample_articles(&folder);
    let out = dir.path().join("items.json");
    let run = |extra: &[&str]| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
            .arg("extract")
            .arg(&folder)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .status()
            .unwrap();
        (status.success(), std::fs::read(&out).unwrap_or_default())
    };
    let (ok, plain) = run(&[]);
    assert!(ok);
    let cache = folder.join(".policylens").join("extraction-cache.bin");
    assert!(
        !cache.exists(),
        "without --use-cache the folder is not written"
    );
    let (ok, first) = run(&["--use-cache"]);
    assert!(ok && cache.exists());
    let (ok, cached) = run(&["--use-cache"]);
    assert!(ok);
    assert_eq!(cached, first);
    assert_eq!(first, plain);
    let mut damaged = std::fs::read(&cache).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x10;
    std::fs::write(&cache, damaged).unwrap();
    let (ok, after_damage) = run(&["--use-cache"]);
    assert!(ok);
    assert_eq!(after_damage, plain);
    // An unwritable output (its directory is gone) fails and leaves nothing behind.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("extract")
        .arg(&folder)
        .arg("-o")
        .arg(dir.path().join("missing").join("x.json"))
        .status()
        .unwrap();
    assert!(!status.success());
    assert_eq!(std::fs::read(&out).unwrap(), plain);
}

/// Two file names that are not UTF-8 and differ only in their bad bytes stay two
/// documents whose items never share an id (U+FFFD made both `�.txt`).
#[cfg(unix)]
#[test]
fn non_unicode_names_stay_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for name in [&b"\xff.txt"[..], &b"\xfe.txt"[..]] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, GOOD).unwrap();
    }
    let extraction = extract_folder(dir.path(), &LoadOptions::default(), &Progress::default())
        .expect("folder reads");
    let files: Vec<&str> = extraction
        .documents
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(files, ["%FE.txt", "%FF.txt"]);
    let mut ids: Vec<&str> = extraction.items.iter().map(|i| i.id.as_str()).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "duplicate item ids");
    assert!(
        !extraction.documents[0].warnings.is_empty(),
        "the name is flagged"
    );
}

/// A missing folder is named with its reason once, not the OS error twice.
#[test]
fn a_missing_folder_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("extract")
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
}

/// `policylens export` writes the format the file name asks for (it wrote CSV into
/// `notes.xlsx`), and refuses a name it cannot tell, naming it.
#[test]
fn export_format_follows_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    common::copy_sample_articles(&folder);
    let export = |name: &str| {
        let path = dir.path().join(name);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_policylens"))
            .arg("export")
            .arg(&folder)
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        (output, std::fs::read(&path).ok())
    };
    let (output, bytes) = export("notes.xlsx");
    assert!(output.status.success());
    assert!(
        bytes.unwrap().starts_with(b"PK"),
        "an XLSX workbook is a zip"
    );
    let (output, bytes) = export("notes.csv");
    assert!(output.status.success());
    assert!(String::from_utf8(bytes.unwrap()).unwrap().contains("kind"));
    let (output, bytes) = export("notes.ods");
    assert!(!output.status.success());
    assert!(bytes.is_none());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("notes.ods"), "{stderr}");
}
