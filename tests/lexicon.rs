//! Lexicons from the command line (issue 16 §3, §5): `--lexicon FILE` and the folder's
//! own `.policylens/lexicon.tsv` change what `extract` finds on the dev articles; a
//! malformed line is reported with its file and line number and the rest applies.

use std::path::Path;
use std::process::Command;

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
