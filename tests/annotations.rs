//! The analyst's work: annotations survive re-extraction and changes to the folder, the
//! store survives being killed mid-save, and the export round-trips through CSV readers.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use policylens::annotate::store::{Store, read_saved};
use policylens::annotate::{Annotations, ItemNote};
use policylens::{Item, ItemKind};

fn copy_sample(to: &Path) {
    common::copy_sample_articles(to);
}

fn note_on(item: &Item, text: &str, tags: &[u32]) -> ItemNote {
    let mut note = ItemNote::on(item);
    note.note = text.to_owned();
    note.tags = tags.iter().copied().collect();
    note
}

#[test]
fn annotations_survive_new_files_and_changed_rules() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    let before = common::extract(dir.path());
    let mut annotations = Annotations::default();
    // Every tenth item gets a tag and a note.
    let annotated: Vec<&Item> = before.items.iter().step_by(10).collect();
    for item in &annotated {
        annotations.items.insert(
            item.id.clone(),
            note_on(item, &format!("看 {}", item.text), &[1]),
        );
    }
    {
        let opened = Store::open(dir.path());
        opened.store.save(&annotations).unwrap();
    }
    // An unrelated article arrives.
    std::fs::write(
        dir.path().join("000_new.txt"),
        "新文章\n阳曲县今年计划投资5亿元建设物流园项目。",
    )
    .unwrap();
    let reopened = Store::open(dir.path());
    assert_eq!(reopened.annotations, annotations);
    let after = common::extract(dir.path());
    let attachment = reopened.annotations.attach(&after.items);
    assert!(attachment.orphans.is_empty(), "{:?}", attachment.orphans);
    assert_eq!(attachment.by_item.len(), annotated.len());
    for (index, id) in &attachment.by_item {
        assert_eq!(after.items[*index].id, *id);
    }
    // The rules change: one kind of item is no longer extracted. Its annotations become
    // orphans with their text and offsets; none is lost.
    let fewer: Vec<Item> = after
        .items
        .iter()
        .filter(|i| i.kind != ItemKind::Official)
        .cloned()
        .collect();
    let attachment = reopened.annotations.attach(&fewer);
    let officials = annotated
        .iter()
        .filter(|i| i.kind == ItemKind::Official)
        .count();
    assert!(officials > 0);
    assert_eq!(attachment.orphans.len(), officials);
    assert_eq!(
        attachment.by_item.len() + attachment.orphans.len(),
        annotated.len()
    );
    for id in &attachment.orphans {
        let note = &reopened.annotations.items[id];
        assert_eq!(note.anchor.kind, ItemKind::Official);
        assert!(note.note.starts_with('看'));
    }
}

#[test]
fn export_csv_round_trips_through_csv_readers() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    let extraction = common::extract(dir.path());
    let project = extraction
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Project && i.investment.is_some())
        .expect("a project with an investment");
    let official = extraction
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Official)
        .unwrap();
    let tricky_note = "投资额待核实, \"8.16亿\"\n第二行；second line";
    let mut annotations = Annotations::default();
    // The analyst corrected the project's amount and district: the export shows the
    // corrections and keeps the extraction beside them.
    let mut corrected = note_on(project, tricky_note, &[1, 2]);
    corrected.amount_yuan = Some(12.5e8);
    corrected.district = Some("阳曲县".to_owned());
    assert_ne!(project.district.as_deref(), Some("阳曲县"));
    annotations.items.insert(project.id.clone(), corrected);
    annotations
        .items
        .insert(official.id.clone(), note_on(official, "讲话", &[3]));
    Store::open(dir.path()).store.save(&annotations).unwrap();

    let out = dir.path().join("notes.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .args(["export"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, policylens::export::notes::COLUMNS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), extraction.items.len());
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let project_row = records
        .iter()
        .find(|r| {
            r[column("text")] == project.text && r[column("start")] == project.start.to_string()
        })
        .unwrap();
    assert_eq!(&project_row[column("note")], tricky_note);
    assert_eq!(&project_row[column("tags")], "重点 Key;待核实 To verify");
    assert_eq!(&project_row[column("kind")], "project");
    assert_eq!(&project_row[column("amount")], "12.5亿元");
    assert_eq!(
        &project_row[column("amount_extracted")],
        project.investment.as_deref().unwrap()
    );
    assert_eq!(&project_row[column("amount_yuan")], "1250000000");
    assert_eq!(&project_row[column("district")], "阳曲县");
    assert_eq!(
        &project_row[column("district_extracted")],
        project.district.as_deref().unwrap_or("")
    );
    assert_eq!(&project_row[column("status")], "corrected");
    assert!(project_row[column("context")].contains(&project.text));
    assert!(!project_row[column("title")].is_empty());

    // Only the tagged items, by tag name.
    let tagged = dir.path().join("key.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("export")
        .arg(dir.path())
        .args(["--tag", "重点", "-o"])
        .arg(&tagged)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&tagged).unwrap();
    assert_eq!(
        csv::Reader::from_reader(text.as_bytes()).records().count(),
        1
    );

    // Python's csv module reads it the same way (when python3 is there).
    let script = r#"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
note = [r for r in rows if r["tags"] == "重点 Key;待核实 To verify"][0]["note"]
sys.stdout.write(note)
"#;
    if let Ok(output) = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&out)
        .output()
    {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8(output.stdout).unwrap(), tricky_note);
    }
}

#[test]
fn xlsx_export_writes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    let out = dir.path().join("notes.xlsx");
    let status = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("export")
        .arg(dir.path())
        .args(["--format", "xlsx", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&out).unwrap();
    // An XLSX file is a zip archive holding both sheets.
    assert!(bytes.starts_with(b"PK"));
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<&str> = archive.file_names().collect();
    assert!(names.contains(&"xl/worksheets/sheet1.xml"));
    assert!(names.contains(&"xl/worksheets/sheet2.xml"));
}

/// Not a test on its own: the child process of
/// `the_file_always_parses_when_the_writer_is_killed`, saving in a loop until killed.
#[test]
#[ignore = "run by the kill test as a child process"]
fn save_loop_child() {
    let Some(folder) = std::env::var_os("POLICYLENS_SAVE_LOOP_DIR") else {
        return;
    };
    let opened = Store::open(Path::new(&folder));
    let mut annotations = opened.annotations;
    for round in 0u64.. {
        // Growing and shrinking content, so that a torn write would show.
        let note = ItemNote {
            note: "注".repeat((round % 500) as usize),
            ..ItemNote::default()
        };
        annotations
            .items
            .insert(format!("item-{}", round % 50), note);
        opened.store.save(&annotations).unwrap();
    }
}

#[test]
fn the_file_always_parses_when_the_writer_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut saw_a_file = 0;
    for round in 0..25u64 {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "save_loop_child",
                "--test-threads=1",
            ])
            .env("POLICYLENS_SAVE_LOOP_DIR", dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + (round * 37) % 120));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        match read_saved(dir.path()) {
            Ok(annotations) => {
                if !annotations.items.is_empty() {
                    saw_a_file += 1;
                }
            }
            Err(detail) => panic!("round {round}: annotations do not parse: {detail}"),
        }
    }
    assert!(
        saw_a_file > 0,
        "the child never saved; the test tested nothing"
    );
}
