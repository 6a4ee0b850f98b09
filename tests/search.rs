//! `policylens search FOLDER QUERY` (issue 17 §1): every match with its document,
//! character offsets and sentence, as JSON Lines or CSV; case- and width-insensitive;
//! plain text or a regular expression.

use std::path::Path;
use std::process::Command;

fn search(folder: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("search")
        .arg(folder)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_match_is_printed_with_its_character_offsets_and_sentence() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let output = search(&sample, &["总投资"]);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut expected = 0;
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        expected += text.matches("总投资").count();
    }
    assert_eq!(lines.len(), expected);
    for line in &lines {
        let text = std::fs::read_to_string(sample.join(line["file"].as_str().unwrap())).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let (start, end) = (
            line["start"].as_u64().unwrap() as usize,
            line["end"].as_u64().unwrap() as usize,
        );
        let found: String = chars[start..end].iter().collect();
        assert_eq!(found, "总投资");
        let sentence = line["sentence"].as_str().unwrap();
        assert!(
            sentence.contains("总投资") && !sentence.contains('。'),
            "{sentence}"
        );
    }
}

#[test]
fn width_case_and_regular_expressions() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("a.txt"),
        "标题\n确诊１２７３例，ＰＰＰ项目。另有1273例，ppp模式，总投资8.16亿元。",
    )
    .unwrap();
    let csv = search(folder.path(), &["1273", "--format", "csv"]);
    assert!(csv.status.success(), "{csv:?}");
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let found: Vec<(&str, &str)> = rows.iter().map(|r| (&r[2], &r[4])).collect();
    assert_eq!(found, [("5", "１２７３"), ("19", "1273")]);
    let output = search(folder.path(), &["PPP"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
    let output = search(folder.path(), &[r"[\d.]+亿元", "--regex"]);
    let line: serde_json::Value =
        serde_json::from_slice(output.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["text"], "8.16亿元");
    // A bad regular expression is an error that says so, not a panic.
    let output = search(folder.path(), &["(亿元", "--regex"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not a regular expression"),
        "{output:?}"
    );
}
