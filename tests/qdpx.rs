//! The REFI-QDA export (issue 18 §2): `policylens export FOLDER -o project.qdpx` writes a
//! zip whose `project.qde` is valid against the QDA-XML 1.0 schema (checked with
//! `xmllint`), whose every selection's name is the text at its character positions in
//! its source file, and whose GUIDs are the same in two exports of the same folder.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use policylens::ItemKind;
use policylens::annotate::{Anchor, Annotations, ItemNote};

/// A copy of the sample articles with annotations saved as the app saves them: an
/// accepted item, a tagged one with a note, a rejected one, a manual item and a
/// document note. The annotated items, by id.
fn annotated_sample() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let extraction = policylens::pipeline::extract_folder(
        dir.path(),
        &policylens::LoadOptions::default(),
        &policylens::pipeline::Progress::default(),
    )
    .unwrap();
    let projects: Vec<&policylens::Item> = extraction
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Project)
        .collect();
    let mut annotations = Annotations::default();
    let mut accepted = ItemNote::on(projects[0]);
    accepted.accepted = true;
    let mut tagged = ItemNote::on(projects[1]);
    tagged.tags.insert(annotations.tags[0].id);
    tagged.note = "核实投资额 & <来源>".into();
    let mut rejected = ItemNote::on(projects[2]);
    rejected.rejected = true;
    let document = &extraction.documents[0];
    let manual_text: String = document.text.chars().skip(10).take(4).collect();
    let manual = ItemNote {
        anchor: Anchor {
            file: document.file.clone(),
            kind: ItemKind::Official,
            text: manual_text,
            start: 10,
            end: 14,
        },
        manual: true,
        ..ItemNote::default()
    };
    let ids = vec![
        projects[0].id.clone(),
        projects[1].id.clone(),
        projects[2].id.clone(),
    ];
    annotations.items.insert(ids[0].clone(), accepted);
    annotations.items.insert(ids[1].clone(), tagged);
    annotations.items.insert(ids[2].clone(), rejected);
    annotations.items.insert("manual-1".into(), manual);
    annotations
        .documents
        .insert(document.file.clone(), "整篇是访谈".into());
    let data = dir.path().join(".policylens");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("annotations.json"),
        serde_json::to_string_pretty(&annotations).unwrap(),
    )
    .unwrap();
    (dir, ids)
}

fn export(folder: &Path, out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("export")
        .arg(folder)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

fn read_zip(path: &Path) -> zip::ZipArchive<std::fs::File> {
    zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap()
}

fn entry(archive: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The value of attribute `name` in the start tag `tag`.
fn attribute(tag: &str, name: &str) -> String {
    let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = start + tag[start..].find('"').unwrap();
    quick_xml::escape::unescape(&tag[start..end])
        .unwrap()
        .into_owned()
}

#[test]
fn the_project_is_valid_refi_qda_and_every_selection_is_its_text() {
    let (folder, _ids) = annotated_sample();
    let out = folder.path().join("project.qdpx");
    export(folder.path(), &out);
    let mut archive = read_zip(&out);
    let qde = entry(&mut archive, "project.qde");

    // Valid against the schema.
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/refi-qda/Project-mrt2019.xsd");
    let qde_path = folder.path().join("project.qde");
    std::fs::write(&qde_path, &qde).unwrap();
    let lint = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&qde_path)
        .output()
        .expect("xmllint (Debian package libxml2-utils; .ci/run installs it)");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );

    // Every selection names the text at its positions (characters) in its source.
    let mut selections = 0;
    for source in qde.split("<TextSource ").skip(1) {
        let path = attribute(source, "plainTextPath");
        let file = path.strip_prefix("internal://").unwrap();
        let text = entry(&mut archive, &format!("sources/{file}"));
        let chars: Vec<char> = text.chars().collect();
        let source = &source[..source.find("</TextSource>").unwrap()];
        for selection in source.split("<PlainTextSelection ").skip(1) {
            let start: usize = attribute(selection, "startPosition").parse().unwrap();
            let end: usize = attribute(selection, "endPosition").parse().unwrap();
            let name = attribute(selection, "name");
            assert_eq!(chars[start..end].iter().collect::<String>(), name);
            selections += 1;
        }
    }
    // The accepted, the tagged and the manual item; not the rejected one.
    assert_eq!(selections, 3, "{qde}");
    assert!(qde.contains("name=\"PolicyLens\" isCodable=\"false\""));
    assert!(
        qde.contains("核实投资额 &amp; &lt;来源&gt;"),
        "the item note, escaped"
    );
    assert!(qde.contains("整篇是访谈"), "the document note");
    assert!(qde.contains("<Case "), "districts are cases");

    // The codebook read back gives the tags, not PolicyLens's kind codes.
    let codes = policylens::export::qdpx::read_codebook(&out).unwrap();
    let names: Vec<&str> = codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "重点 Key",
            "待核实 To verify",
            "已核实 Verified",
            "无关 Irrelevant"
        ]
    );
    assert_eq!(codes[0].color, Some([0xd9, 0x3f, 0x3f]));

    // Exported again: the same GUIDs, the same file.
    let again = folder.path().join("again.qdpx");
    export(folder.path(), &again);
    assert_eq!(entry(&mut read_zip(&again), "project.qde"), qde);
}
