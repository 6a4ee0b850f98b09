//! Writing extraction results: JSON (the stable interface), JSON Lines and CSV.

pub mod notes;
pub mod qdpx;

use std::io::Write;

use serde::Serialize;

use crate::pipeline::Extraction;

/// Output formats of `policylens extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsonl,
    Csv,
}

#[derive(Serialize)]
struct DocumentRecord<'a> {
    file: &'a str,
    title: &'a str,
    encoding: Option<&'a str>,
    chars: usize,
    error: Option<&'a str>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    documents: Vec<DocumentRecord<'a>>,
    items: &'a [crate::Item],
}

/// Writes `extraction` to `out` in `format`.
pub fn write(extraction: &Extraction, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let output = JsonOutput {
                documents: extraction
                    .documents
                    .iter()
                    .map(|d| DocumentRecord {
                        file: &d.file,
                        title: &d.title,
                        encoding: d.encoding.as_deref(),
                        chars: d.chars,
                        error: d.error.as_deref(),
                        warnings: &d.warnings,
                    })
                    .collect(),
                items: &extraction.items,
            };
            serde_json::to_writer_pretty(&mut *out, &output)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for item in &extraction.items {
                serde_json::to_writer(&mut *out, item)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => write_items_csv(extraction, out),
    }
}

const CSV_COLUMNS: &[&str] = &[
    "id",
    "file",
    "kind",
    "text",
    "start",
    "end",
    "canonical",
    "code",
    "district",
    "city",
    "province",
    "titles",
    "investment",
    "amount_yuan",
    "currency",
    "capacity",
    "date",
    "date_kind",
    "project",
    "confidence",
];

/// CSV with a UTF-8 byte-order mark, so that Excel reads the Chinese text correctly.
fn write_items_csv(extraction: &Extraction, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for item in &extraction.items {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        writer.write_record([
            item.id.clone(),
            item.file.clone(),
            item.kind.as_str().to_owned(),
            item.text.clone(),
            item.start.to_string(),
            item.end.to_string(),
            opt(&item.canonical),
            opt(&item.code),
            opt(&item.district),
            opt(&item.city),
            opt(&item.province),
            item.titles
                .as_ref()
                .map(|t| t.join("；"))
                .unwrap_or_default(),
            opt(&item.investment),
            item.amount_yuan.map(|v| format!("{v}")).unwrap_or_default(),
            opt(&item.currency),
            opt(&item.capacity),
            opt(&item.date),
            item.date_kind
                .map(|k| {
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                })
                .unwrap_or_default(),
            opt(&item.project),
            item.confidence
                .map(|c| format!("{c:.3}"))
                .unwrap_or_default(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// Writes `path` through a temporary file beside it, renamed over `path` only once
/// `write` succeeded and the data is on disk: a failed export (disk full, a bug) leaves
/// the previous file as it was instead of a truncated one.
pub fn write_replacing<T, E: From<std::io::Error>>(
    path: &std::path::Path,
    write: impl FnOnce(&std::path::Path) -> Result<T, E>,
) -> Result<T, E> {
    // Only a regular file is replaced: `-o /dev/null`, a pipe or a terminal is written
    // as it is (renaming over /dev/null once turned the device into a plain file), and a
    // symbolic link is followed, so the link stays and its target gets the new content.
    let path = match std::fs::canonicalize(path) {
        Ok(real) => {
            if !std::fs::metadata(&real)?.is_file() {
                return write(&real);
            }
            real
        }
        Err(_) => path.to_path_buf(),
    };
    let path = path.as_path();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.partial{}", std::process::id()));
    let written = write(&temp).and_then(|value| {
        std::fs::File::open(&temp)?.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(value)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails half-way leaves the old file whole and no temporary behind.
    #[test]
    fn a_failed_write_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.csv");
        std::fs::write(&path, "old,complete\n").unwrap();
        let failed: std::io::Result<()> = write_replacing(&path, |temp| {
            std::fs::write(temp, "new,half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old,complete\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_replacing::<_, std::io::Error>(&path, |temp| std::fs::write(temp, "new\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    /// `-o /dev/null` writes to the device and leaves it a device; a symbolic link stays
    /// a link and its target is replaced.
    #[cfg(unix)]
    #[test]
    fn devices_and_links_are_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = std::path::Path::new("/dev/null");
        write_replacing::<_, std::io::Error>(null, |target| std::fs::write(target, "x")).unwrap();
        assert!(
            std::fs::metadata(null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_replacing::<_, std::io::Error>(&link, |temp| std::fs::write(temp, "new")).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }
}
