//! `policylens extract --stdin` (issue 18 §3): the extractor as a pipe. On 20,000 JSON
//! lines made from the dev articles, ids and order are kept, every record gets exactly
//! the items folder mode finds in the same text, and memory stays bounded; bad lines
//! become error lines naming their line number and the stream goes on.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn dev_articles() -> Vec<(String, String)> {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev");
    let mut articles: Vec<(String, String)> = std::fs::read_dir(&dev)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    articles.sort();
    articles
}

/// Runs `extract --stdin --summary` on `input`; the output lines and the peak RSS in MB.
fn pipe(input: &[u8]) -> (Vec<serde_json::Value>, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .args(["extract", "--stdin", "--summary"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "{output:?}");
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak = stderr
        .split("peak RSS ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|mb| mb.parse().ok())
        .unwrap_or_else(|| panic!("no summary: {stderr}"));
    (lines, peak)
}

fn jsonl(articles: &[(String, String)], records: usize) -> Vec<u8> {
    let mut input = Vec::new();
    for id in 0..records {
        let (file, text) = &articles[id % articles.len()];
        let record = serde_json::json!({"id": id, "text": text, "file": file});
        serde_json::to_writer(&mut input, &record).unwrap();
        input.push(b'\n');
    }
    input
}

#[test]
fn twenty_thousand_records_keep_their_ids_order_and_items_in_bounded_memory() {
    let articles = dev_articles();
    // Folder mode on the same texts: items per file.
    let folder = Command::new(env!("CARGO_BIN_EXE_policylens"))
        .arg("extract")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let folder: serde_json::Value = serde_json::from_slice(&folder.stdout).unwrap();
    let mut per_file: HashMap<String, Vec<String>> = HashMap::new();
    for item in folder["items"].as_array().unwrap() {
        per_file
            .entry(item["file"].as_str().unwrap().to_owned())
            .or_default()
            .push(item["id"].as_str().unwrap().to_owned());
    }

    let records = 20_000;
    let input = jsonl(&articles, records);
    let (lines, peak_large) = pipe(&input);
    let mut per_record: Vec<Vec<String>> = vec![Vec::new(); records];
    let mut last = 0;
    for line in &lines {
        assert!(line.get("error").is_none(), "{line}");
        let record = line["record"].as_u64().unwrap() as usize;
        assert!(
            record >= last,
            "records out of order: {record} after {last}"
        );
        last = record;
        per_record[record].push(line["id"].as_str().unwrap().to_owned());
    }
    for (id, items) in per_record.iter().enumerate() {
        let file = &articles[id % articles.len()].0;
        let expected = per_file.get(file).cloned().unwrap_or_default();
        assert_eq!(items, &expected, "record {id} ({file})");
    }
    let expected_total: usize = (0..records)
        .map(|id| {
            per_file
                .get(&articles[id % articles.len()].0)
                .map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(lines.len(), expected_total);

    // A tenth of the input needs about as much memory: the stream is never held whole.
    let (_, peak_small) = pipe(&jsonl(&articles, records / 10));
    let input_mb = (input.len() >> 20) as u64;
    assert!(
        peak_large < peak_small + input_mb / 2,
        "peak {peak_large} MB for {records} records ({input_mb} MB of input), {peak_small} MB for a tenth"
    );
}

#[test]
fn bad_lines_are_reported_and_the_stream_goes_on() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"清徐县委书记王剑峰说，清源水城项目总投资8.16亿元。\"}\n",
        "{\"id\": \"b\", \"text\": \n",
        "\u{0}\u{1}binary\n",
        "{\"id\": \"c\"}\n",
        "{\"id\": \"d\", \"text\": \"阳曲县委书记裴耀军调研。\"}\n",
    );
    let (lines, _) = pipe(input.as_bytes());
    let errors: Vec<u64> = lines
        .iter()
        .filter(|l| l.get("error").is_some())
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(errors, [2, 3, 4]);
    let records: Vec<&str> = lines.iter().filter_map(|l| l["record"].as_str()).collect();
    assert!(
        records.contains(&"a") && records.contains(&"d"),
        "{records:?}"
    );
}
