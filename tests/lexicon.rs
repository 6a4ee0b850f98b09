//! Lexicons from the command line (issue 16 §3, §5): `--lexicon FILE` and the folder's
//! own `.policylens/lexicon.tsv` change what `extract` finds on the dev articles; a
//! malformed line is reported with its file and line number and the rest applies.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use policylens::ItemKind;
use policylens::lexicon::{Entry, Lexicon};
use policylens::pipeline::reapply_lexicon;

/// A scratch copy of the dev articles (the folder lexicon is written into it).
fn dev_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev");
    for entry in std::fs::read_dir(&dev).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs `policylens extract FOLDER --format json` with `args`; the items and stderr.
fn extract(folder: &Path, args: &[&str]) -> (Vec<serde_json::Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("extract")
        .arg(folder)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = json["items"].as_array().unwrap().clone();
    (items, String::from_utf8_lossy(&output.stderr).into_owned())
}

fn count(items: &[serde_json::Value], kind: &str, text: &str) -> usize {
    items
        .iter()
        .filter(|i| i["kind"] == kind && i["text"] == text)
        .count()
}

#[test]
fn a_lexicon_given_on_the_command_line_changes_what_is_extracted() {
    let folder = dev_copy();
    let (plain, _) = extract(folder.path(), &[]);
    assert_eq!(count(&plain, "project", "吉林水网骨干工程"), 2);
    assert_eq!(count(&plain, "project", "水网"), 0);
    let lexicon = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        lexicon.path(),
        "kind\ttext\taction\tdistrict\tnote\n\
         project\t吉林水网骨干工程\tnever\t\t\n\
         project\t水网\talways\t梅河口市\ttracked\n\
         projekt\t某某\tnever\n",
    )
    .unwrap();
    let lexicon_arg = lexicon.path().to_str().unwrap();
    let (items, stderr) = extract(folder.path(), &["--lexicon", lexicon_arg]);
    assert_eq!(count(&items, "project", "吉林水网骨干工程"), 0);
    let added: Vec<&serde_json::Value> = items
        .iter()
        .filter(|i| i["kind"] == "project" && i["text"] == "水网")
        .collect();
    assert!(!added.is_empty());
    assert!(added.iter().all(|i| i["district"] == "梅河口市"));
    // Every other item is untouched.
    let others = |items: &[serde_json::Value]| {
        items
            .iter()
            .filter(|i| i["text"] != "水网" && i["text"] != "吉林水网骨干工程")
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(others(&items), others(&plain));
    // The malformed line is named with its file and line number.
    assert!(
        stderr.contains("unknown kind \"projekt\"")
            && stderr.contains(&format!("line 4 of {lexicon_arg}")),
        "{stderr}"
    );
}

#[test]
fn the_folder_lexicon_applies_by_default() {
    let folder = dev_copy();
    let data = folder.path().join(".policylens");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("lexicon.tsv"),
        "kind\ttext\taction\tdistrict\tnote\nproject\t吉林水网骨干工程\tnever\t\t\n",
    )
    .unwrap();
    let (items, stderr) = extract(folder.path(), &[]);
    assert_eq!(count(&items, "project", "吉林水网骨干工程"), 0, "{stderr}");
}

/// The folder extracted from scratch with `lexicon`.
fn extracted_with(folder: &Path, lexicon: &Lexicon) -> policylens::pipeline::Extraction {
    let options = policylens::LoadOptions {
        lexicon: Some(std::sync::Arc::new(lexicon.clone())),
        ..policylens::LoadOptions::default()
    };
    let progress = policylens::pipeline::Progress::default();
    policylens::pipeline::extract_folder(folder, &options, &progress).unwrap()
}

fn ids(items: &[policylens::Item]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

/// Issue 16 §4: a changed lexicon re-extracts only the files where a changed entry's
/// text occurs, and the result is what extracting the whole folder with the new lexicon
/// gives, adding, changing and taking back entries alike (an `always` entry teaches the
/// segmenter a word, so its files must be extracted again, not only filtered).
#[test]
fn a_lexicon_change_re_extracts_only_the_files_it_touches() {
    let folder = dev_copy();
    let empty = Lexicon::default();
    let plain = extracted_with(folder.path(), &empty);
    let mut never = Lexicon::default();
    never.insert(Entry::never(ItemKind::Project, "吉林水网骨干工程"));
    let mut both = never.clone();
    both.insert(Entry::always(ItemKind::Project, "水网", Some("梅河口市")));

    let mut current = plain.items.clone();
    let mut lexicon = empty.clone();
    for next in [&never, &both, &never, &empty] {
        let (items, change) = reapply_lexicon(&plain.documents, &current, &lexicon, next);
        let whole = extracted_with(folder.path(), next);
        assert_eq!(ids(&items), ids(&whole.items), "{:?}", change.texts);
        assert_eq!(items, whole.items);
        // What changed is said, and only those files' items differ.
        let files_with_changes: BTreeSet<&str> = plain
            .documents
            .iter()
            .map(|d| d.file.as_str())
            .filter(|file| {
                let of = |items: &[policylens::Item]| {
                    items
                        .iter()
                        .filter(|i| i.file == *file)
                        .cloned()
                        .collect::<Vec<_>>()
                };
                of(&items) != of(&current)
            })
            .collect();
        let said: BTreeSet<&str> = change.files.iter().map(String::as_str).collect();
        assert_eq!(said, files_with_changes);
        assert!(!said.is_empty() && said.len() < plain.documents.len());
        current = items;
        lexicon = next.clone();
    }
    assert_eq!(current, plain.items);
}

#[test]
fn a_never_entry_says_how_many_items_it_removed_in_how_many_files() {
    let folder = dev_copy();
    let plain = extracted_with(folder.path(), &Lexicon::default());
    let mut never = Lexicon::default();
    never.insert(Entry::never(ItemKind::Project, "吉林水网骨干工程"));
    let (_, change) = reapply_lexicon(&plain.documents, &plain.items, &Lexicon::default(), &never);
    let named: Vec<&policylens::Item> = plain
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Project && i.text == "吉林水网骨干工程")
        .collect();
    let files: BTreeSet<&str> = named.iter().map(|i| i.file.as_str()).collect();
    assert_eq!(change.texts, ["吉林水网骨干工程"]);
    assert_eq!((change.removed, change.added), (named.len(), 0));
    assert_eq!(change.files.len(), files.len());
    // An unchanged lexicon changes nothing.
    let (items, change) = reapply_lexicon(&plain.documents, &plain.items, &never, &never);
    assert_eq!(items, plain.items);
    assert!(change.texts.is_empty() && change.files.is_empty());
}

/// A folder whose lexicon teaches the segmenter a word is still re-opened from the
/// extraction cache (keyed by those words), with the same items as a fresh extraction;
/// other words make the cache unusable rather than wrong.
#[test]
fn a_lexicon_with_segmenter_words_still_reopens_from_the_cache() {
    let folder = dev_copy();
    let mut lexicon = Lexicon::default();
    lexicon.insert(Entry::always(ItemKind::Project, "水网", Some("梅河口市")));
    let open = |lexicon: &Lexicon| {
        let options = policylens::LoadOptions {
            use_cache: true,
            lexicon: Some(std::sync::Arc::new(lexicon.clone())),
            ..policylens::LoadOptions::default()
        };
        let progress = policylens::pipeline::Progress::default();
        policylens::pipeline::extract_folder(folder.path(), &options, &progress).unwrap()
    };
    let first = open(&lexicon);
    assert_eq!(first.reused, 0);
    let second = open(&lexicon);
    assert_eq!(second.reused, second.documents.len());
    assert_eq!(second.items, extracted_with(folder.path(), &lexicon).items);
    let mut other = lexicon.clone();
    other.insert(Entry::always(ItemKind::Official, "王剑峰", None));
    let third = open(&other);
    assert_eq!(third.reused, 0);
    assert_eq!(third.items, extracted_with(folder.path(), &other).items);
}

/// A roster imported from the command line becomes `always` entries of the folder's
/// lexicon, and `extract` then finds those names with their counties. A bad line that
/// was already in the lexicon is kept in the file, for the analyst to fix.
#[test]
fn a_roster_imported_on_the_command_line_is_extracted_with_its_counties() {
    let folder = dev_copy();
    let (plain, _) = extract(folder.path(), &[]);
    assert_eq!(count(&plain, "official", "张华迎"), 0);
    let lexicon = folder.path().join(".policylens/lexicon.tsv");
    std::fs::create_dir_all(lexicon.parent().unwrap()).unwrap();
    std::fs::write(
        &lexicon,
        "kind\ttext\taction\tdistrict\tnote\nprojekt\t某某\tnever\n",
    )
    .unwrap();
    let roster = folder.path().join("roster.csv");
    std::fs::write(
        &roster,
        "姓名,职务,区县\n张华迎,副县长,梅河口市\n张华迎,副县长,梅河口市\n",
    )
    .unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .args(["lexicon", "import"])
        .arg(&roster)
        .args(["--kind", "official", "--folder"])
        .arg(folder.path())
        .output()
        .unwrap();
    assert!(import.status.success(), "{import:?}");
    let said = String::from_utf8_lossy(&import.stdout);
    assert!(said.starts_with("1 entry added to"), "{said}");
    let saved = std::fs::read_to_string(&lexicon).unwrap();
    assert!(
        saved.contains("official\t张华迎\talways\t梅河口市\t副县长"),
        "{saved}"
    );
    assert!(
        saved.contains("projekt\t某某\tnever"),
        "the bad line is kept: {saved}"
    );
    std::fs::remove_file(&roster).unwrap();
    let (items, stderr) = extract(folder.path(), &[]);
    let officials: Vec<&serde_json::Value> = items
        .iter()
        .filter(|i| i["kind"] == "official" && i["text"] == "张华迎")
        .collect();
    assert!(!officials.is_empty(), "{stderr}");
    assert!(officials.iter().all(|i| i["district"] == "梅河口市"));
    assert!(stderr.contains("unknown kind \"projekt\""), "{stderr}");
}
