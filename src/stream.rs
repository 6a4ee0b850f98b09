//! `policylens extract --stdin`: the extractor as a well-behaved pipe, so Spark, Dask,
//! Ray or a shell loop can run it over corpora no single folder holds. Input is JSON
//! Lines, one article per line: `{"id": …, "text": …}` with optional `title`, `date` and
//! `file`. Output is one JSON line per item, the item's fields plus `record` (the input's
//! `id`), records in input order and each record's items in text order. A line that is
//! not such a record gives one error line (`record`, `line`, `error`) and the stream goes
//! on.
//!
//! Memory is bounded: lines are read, extracted (on every core) and written a batch at a
//! time, so a stream of any length holds one batch.

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::Document;
use crate::extract::{Extractor, Item};
use crate::lexicon::Lexicon;

/// Records per batch, and a bound on a batch's text in bytes (whichever comes first).
const BATCH_RECORDS: usize = 512;
const BATCH_BYTES: usize = 32 << 20;

/// One input line.
#[derive(Debug, Deserialize)]
struct Record {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    title: Option<String>,
    /// The article's date; passed through to each of its items as `article_date`.
    #[serde(default)]
    date: Option<String>,
    /// The item's `file`; the id (as text) when absent.
    #[serde(default)]
    file: Option<String>,
}

#[derive(Serialize)]
struct ItemLine<'a> {
    record: &'a serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_date: Option<&'a str>,
    #[serde(flatten)]
    item: &'a Item,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    record: Option<&'a serde_json::Value>,
    line: usize,
    error: String,
}

/// What a stream held.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StreamSummary {
    pub records: usize,
    pub items: usize,
    pub bad_lines: usize,
}

/// Reads records from `input` and writes items to `output` until the input ends. The
/// lexicon, if any, applies as in folder mode. Fails only when reading or writing fails.
pub fn extract_stream(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    lexicon: Option<&Lexicon>,
) -> std::io::Result<StreamSummary> {
    let own = lexicon.and_then(Lexicon::own_extractor);
    let extractor = own.as_ref().unwrap_or_else(|| Extractor::shared());
    let mut summary = StreamSummary::default();
    let mut line_number = 0;
    let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH_RECORDS);
    let mut batch_bytes = 0;
    let mut line = String::new();
    loop {
        line.clear();
        let read = read_line_lossy(input, &mut line)?;
        if read > 0 {
            line_number += 1;
            if !line.trim().is_empty() {
                batch_bytes += line.len();
                batch.push((line_number, std::mem::take(&mut line)));
            }
        }
        let full = batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES;
        if (full || read == 0) && !batch.is_empty() {
            extract_batch(&batch, extractor, lexicon, output, &mut summary)?;
            batch.clear();
            batch_bytes = 0;
        }
        if read == 0 {
            break;
        }
    }
    output.flush()?;
    Ok(summary)
}

/// Reads one line; bytes that are not UTF-8 become U+FFFD rather than ending the stream
/// (the record is then reported if it is no longer valid JSON).
fn read_line_lossy(input: &mut dyn BufRead, line: &mut String) -> std::io::Result<usize> {
    let mut bytes = Vec::new();
    let read = input.read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(read)
}

fn extract_batch(
    batch: &[(usize, String)],
    extractor: &Extractor,
    lexicon: Option<&Lexicon>,
    output: &mut dyn Write,
    summary: &mut StreamSummary,
) -> std::io::Result<()> {
    let parsed: Vec<Result<Record, String>> = batch
        .par_iter()
        .map(|(_, line)| serde_json::from_str::<Record>(line).map_err(|e| e.to_string()))
        .collect();
    let documents: Vec<Option<Document>> = parsed
        .par_iter()
        .map(|record| {
            let record = record.as_ref().ok()?;
            let file = record.file.clone().unwrap_or_else(|| match &record.id {
                serde_json::Value::String(id) => id.clone(),
                other => other.to_string(),
            });
            let text = crate::corpus::decode::normalize_line_ends(&record.text);
            let mut document = Document::from_text(&file, &text);
            document.title = match &record.title {
                Some(title) => title.clone(),
                None => crate::corpus::structure::title_of(&document.text),
            };
            Some(document)
        })
        .collect();
    let mut items_of: Vec<Vec<Item>> = documents
        .par_iter()
        .map(|document| {
            document
                .as_ref()
                .map_or_else(Vec::new, |d| extractor.extract(d))
        })
        .collect();
    if let Some(lexicon) = lexicon.filter(|l| !l.is_empty()) {
        // One pass of the lexicon over the batch: it builds its matcher once.
        let present: Vec<Document> = documents.iter().flatten().cloned().collect();
        let mut items: Vec<Item> = items_of.iter_mut().flat_map(std::mem::take).collect();
        lexicon.apply(&present, &mut items);
        let mut by_file: std::collections::HashMap<String, Vec<Item>> = Default::default();
        for item in items {
            by_file.entry(item.file.clone()).or_default().push(item);
        }
        for (slot, document) in items_of.iter_mut().zip(&documents) {
            if let Some(document) = document {
                *slot = by_file.remove(&document.file).unwrap_or_default();
            }
        }
    }
    let mut out = Vec::new();
    for (((line_number, _), record), items) in batch.iter().zip(&parsed).zip(&items_of) {
        match record {
            Ok(record) => {
                summary.records += 1;
                summary.items += items.len();
                for item in items {
                    let line = ItemLine {
                        record: &record.id,
                        article_date: record.date.as_deref(),
                        item,
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    out.push(b'\n');
                }
            }
            Err(error) => {
                summary.bad_lines += 1;
                let line = ErrorLine {
                    record: None,
                    line: *line_number,
                    error: error.clone(),
                };
                serde_json::to_writer(&mut out, &line)?;
                out.push(b'\n');
            }
        }
    }
    output.write_all(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_become_item_lines_in_order_and_bad_lines_are_said() {
        let input = concat!(
            r#"{"id": 7, "text": "清徐县委书记王剑峰说，清源水城项目总投资8.16亿元。", "date": "2024-01-05"}"#,
            "\n",
            "not json\n",
            "\n",
            r#"{"id": "b", "text": "阳曲县召开会议。"}"#,
            "\n",
            r#"{"text": "no id"}"#,
            "\n",
        );
        let mut output = Vec::new();
        let summary = extract_stream(&mut input.as_bytes(), &mut output, None).expect("in memory");
        let lines: Vec<serde_json::Value> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(summary.records, 2);
        assert_eq!(summary.bad_lines, 2);
        let errors: Vec<u64> = lines
            .iter()
            .filter(|l| l.get("error").is_some())
            .map(|l| l["line"].as_u64().unwrap())
            .collect();
        assert_eq!(errors, [2, 5], "the blank line 3 is skipped, not an error");
        let first: Vec<&serde_json::Value> = lines.iter().filter(|l| l["record"] == 7).collect();
        assert!(
            first
                .iter()
                .any(|l| l["kind"] == "official" && l["text"] == "王剑峰")
        );
        assert!(
            first
                .iter()
                .all(|l| l["article_date"] == "2024-01-05" && l["file"] == "7")
        );
        // Records keep their order, the bad line's error between them.
        let order: Vec<String> = lines
            .iter()
            .map(|l| match l.get("error") {
                Some(_) => format!("error {}", l["line"]),
                None => l["record"].to_string(),
            })
            .collect::<Vec<_>>()
            .into_iter()
            .fold(Vec::new(), |mut acc, r| {
                if acc.last() != Some(&r) {
                    acc.push(r);
                }
                acc
            });
        assert_eq!(order, ["7", "error 2", "\"b\"", "error 5"]);
    }
}
