//! The analyst's export: one row per item with its tags, note, corrections and review
//! status, plus the sentence around it, as CSV that Excel opens cleanly (UTF-8 with BOM,
//! RFC 4180 quoting) or as XLSX. Also the district overview.

use std::collections::HashMap;
use std::io::Write;

use crate::Document;
use crate::annotate::{Annotations, Attachment, ItemNote, Status};
use crate::extract::Item;
use crate::insight::projects::ProjectGroup;
use crate::table::DistrictRow;

/// The item export's columns, in order.
pub const COLUMNS: [&str; 22] = [
    "document",
    "title",
    "district",
    "district_extracted",
    "city",
    "province",
    "kind",
    "text",
    "amount",
    "amount_extracted",
    "amount_yuan",
    "capacity",
    "date",
    "tags",
    "note",
    "status",
    "review",
    "context",
    "start",
    "end",
    "titles",
    "confidence",
];

/// The district overview export's columns, in order.
pub const DISTRICT_COLUMNS: [&str; 12] = [
    "district",
    "code",
    "city",
    "province",
    "documents",
    "mentions",
    "projects",
    "officials",
    "investment_yi",
    "stated_totals",
    "first_date",
    "last_date",
];

/// What an export reads: the folder's documents and items and the analyst's annotations.
pub struct NotesSource<'a> {
    pub documents: &'a [Document],
    pub items: &'a [Item],
    pub annotations: &'a Annotations,
    pub attachment: &'a Attachment,
}

/// One exported row, every field as text.
pub type Row = [String; 22];

/// A row with the colour of its first tag (the workbook's cell fill).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub fields: Row,
    pub color: Option<[u8; 3]>,
}

impl NotesSource<'_> {
    /// Rows for the items at `indices` (the table's current rows, or all), then — when
    /// `with_unattached` — manual items and orphaned annotations.
    pub fn rows(&self, indices: &[usize], with_unattached: bool) -> Vec<ExportRow> {
        let documents: HashMap<&str, &Document> = self
            .documents
            .iter()
            .map(|d| (d.file.as_str(), d))
            .collect();
        let mut contexts = ContextCache::default();
        let mut rows = Vec::with_capacity(indices.len());
        for &index in indices {
            let item = &self.items[index];
            let note = self
                .attachment
                .by_item
                .get(&index)
                .and_then(|id| self.annotations.items.get(id));
            let document = documents.get(item.file.as_str()).copied();
            rows.push(ExportRow {
                fields: self.row(item, note, None, document, &mut contexts),
                color: row_color(self.annotations, note),
            });
        }
        if with_unattached {
            let orphans: std::collections::HashSet<&str> =
                self.attachment.orphans.iter().map(String::as_str).collect();
            let attached: std::collections::HashSet<&str> = self
                .attachment
                .by_item
                .values()
                .map(String::as_str)
                .collect();
            for (id, note) in &self.annotations.items {
                let orphaned = orphans.contains(id.as_str());
                // Manual items the caller already listed (the app shows them as rows).
                if !(note.manual || orphaned) || attached.contains(id.as_str()) {
                    continue;
                }
                let item = item_from_anchor(id, note);
                let document = documents.get(item.file.as_str()).copied();
                let status = orphaned.then_some("orphaned");
                rows.push(ExportRow {
                    fields: self.row(&item, Some(note), status, document, &mut contexts),
                    color: row_color(self.annotations, Some(note)),
                });
            }
        }
        rows
    }

    fn row(
        &self,
        item: &Item,
        note: Option<&ItemNote>,
        status_override: Option<&str>,
        document: Option<&Document>,
        contexts: &mut ContextCache,
    ) -> Row {
        let opt = |value: &Option<String>| value.clone().unwrap_or_default();
        let district = note
            .and_then(|n| n.district.clone())
            .or_else(|| item.district.clone());
        let kind = note.and_then(|n| n.kind).unwrap_or(item.kind);
        let amount_yuan = note.and_then(|n| n.amount_yuan).or(item.amount_yuan);
        let amount_as_written = crate::table::amount_as_written(item)
            .unwrap_or_default()
            .to_owned();
        // The `amount` column is what the analyst settled on; `amount_extracted` keeps
        // what the article wrote, so a corrected row still shows both.
        let amount = note
            .and_then(|n| n.amount_yuan)
            .map(crate::table::amount_label)
            .unwrap_or_else(|| amount_as_written.clone());
        let judged = note.map_or(Status::Extracted, ItemNote::status);
        let status = status_override.unwrap_or_else(|| judged.as_str());
        // The review column: what the analyst decided, `unreviewed` until they do.
        let review = match judged {
            Status::Extracted => "unreviewed",
            judged => judged.as_str(),
        };
        let context = document
            .map(|d| contexts.sentence_around(d, item.start, item.end))
            .unwrap_or_default();
        [
            item.file.clone(),
            document.map(|d| d.title.clone()).unwrap_or_default(),
            district.unwrap_or_default(),
            opt(&item.district),
            opt(&item.city),
            opt(&item.province),
            kind.as_str().to_owned(),
            item.text.clone(),
            amount,
            amount_as_written,
            amount_yuan.map(|v| format!("{v}")).unwrap_or_default(),
            opt(&item.capacity),
            opt(&item.date),
            note.map(|n| self.annotations.tag_names(n))
                .unwrap_or_default(),
            note.map(|n| n.note.clone()).unwrap_or_default(),
            status.to_owned(),
            review.to_owned(),
            context,
            item.start.to_string(),
            item.end.to_string(),
            crate::table::post_of(item).unwrap_or_default(),
            item.confidence
                .map(|c| format!("{c:.3}"))
                .unwrap_or_default(),
        ]
    }
}

/// A stand-in item for an annotation without one (manual or orphaned).
fn item_from_anchor(id: &str, note: &ItemNote) -> Item {
    let anchor = &note.anchor;
    Item::bare(
        id.to_owned(),
        anchor.kind,
        anchor.file.clone(),
        anchor.text.clone(),
        anchor.start..anchor.end,
    )
}

/// Byte offsets of each document's characters, computed once per document.
#[derive(Default)]
struct ContextCache {
    byte_of_char: HashMap<String, Vec<usize>>,
}

impl ContextCache {
    /// The sentence(s) holding `start..end`: from after the previous sentence end to the
    /// next one, within the paragraph.
    fn sentence_around(&mut self, document: &Document, start: usize, end: usize) -> String {
        let text = &document.text;
        let offsets = self
            .byte_of_char
            .entry(document.file.clone())
            .or_insert_with(|| {
                let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
                offsets.push(text.len());
                offsets
            });
        let chars = offsets.len() - 1;
        if start > end || end > chars {
            return String::new();
        }
        let (from, to) = (offsets[start], offsets[end]);
        let is_end = |c: char| matches!(c, '。' | '！' | '？' | '!' | '?' | '\n');
        let sentence_start = text[..from]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_end(c))
            .map_or(0, |(b, c)| b + c.len_utf8());
        let sentence_end = text[to..]
            .char_indices()
            .find(|&(_, c)| is_end(c))
            .map_or(text.len(), |(b, c)| {
                to + b + if c == '\n' { 0 } else { c.len_utf8() }
            });
        text[sentence_start..sentence_end].trim().to_owned()
    }
}

/// Writes rows as CSV with a UTF-8 byte-order mark (Excel needs it for Chinese).
pub fn write_csv<'r, const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = &'r [String; N]>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

/// The district overview as rows of [`DISTRICT_COLUMNS`].
pub fn district_rows(districts: &[DistrictRow]) -> Vec<[String; 12]> {
    districts
        .iter()
        .map(|d| {
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            [
                d.name.clone(),
                opt(&d.code),
                opt(&d.city),
                opt(&d.province),
                d.documents.to_string(),
                d.mentions.to_string(),
                d.projects.to_string(),
                d.officials.to_string(),
                format!("{:.4}", d.investment_yi),
                d.stated_totals
                    .iter()
                    .map(|t| format!("{} ({})", t.amount, t.counts))
                    .collect::<Vec<_>>()
                    .join("; "),
                opt(&d.first_date),
                opt(&d.last_date),
            ]
        })
        .collect()
}

/// Writes the items and the district overview as an XLSX workbook: one sheet each,
/// header row frozen, tagged rows filled with their first tag's colour.
pub fn write_xlsx(
    rows: &[ExportRow],
    districts: &[[String; 12]],
    path: &std::path::Path,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let numeric_columns = ["amount_yuan", "start", "end"];
    {
        let sheet = workbook.add_worksheet().set_name("items")?;
        for (column, name) in COLUMNS.iter().enumerate() {
            sheet.write_with_format(0, column as u16, *name, &header)?;
        }
        for (index, row) in rows.iter().enumerate() {
            let at = index as u32 + 1;
            let fill = row.color.map(|[r, g, b]| {
                // A light tint of the tag colour keeps the text readable.
                let tint = |c: u8| (c as u32 + 3 * 255) / 4;
                Format::new()
                    .set_background_color(Color::RGB((tint(r) << 16) | (tint(g) << 8) | tint(b)))
            });
            for (column, value) in row.fields.iter().enumerate() {
                let column_u16 = column as u16;
                let number = numeric_columns
                    .contains(&COLUMNS[column])
                    .then(|| value.parse::<f64>().ok())
                    .flatten();
                match (number, &fill) {
                    (Some(n), Some(f)) => sheet.write_number_with_format(at, column_u16, n, f)?,
                    (Some(n), None) => sheet.write_number(at, column_u16, n)?,
                    (None, Some(f)) => sheet.write_string_with_format(at, column_u16, value, f)?,
                    (None, None) => sheet.write_string(at, column_u16, value)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    add_plain_sheet(
        &mut workbook,
        "districts",
        &DISTRICT_COLUMNS,
        districts,
        &DISTRICT_NUMERIC_COLUMNS,
    )?;
    workbook.save(path)
}

/// Columns of the district overview written as numbers in a workbook.
const DISTRICT_NUMERIC_COLUMNS: [&str; 5] = [
    "documents",
    "mentions",
    "projects",
    "officials",
    "investment_yi",
];

/// Adds a sheet of text rows, bold frozen header, `numeric` columns as numbers.
fn add_plain_sheet<const N: usize>(
    workbook: &mut rust_xlsxwriter::Workbook,
    name: &str,
    header: &[&str; N],
    rows: &[[String; N]],
    numeric: &[&str],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = workbook.add_worksheet().set_name(name)?;
    for (column, title) in header.iter().enumerate() {
        sheet.write_with_format(0, column as u16, *title, &bold)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let at = index as u32 + 1;
        for (column, value) in row.iter().enumerate() {
            match value.parse::<f64>() {
                Ok(n) if numeric.contains(&header[column]) => {
                    sheet.write_number(at, column as u16, n)?;
                }
                _ => {
                    sheet.write_string(at, column as u16, value)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

/// The project groups export's columns, in order.
pub const PROJECT_COLUMNS: [&str; 13] = [
    "project",
    "district",
    "city",
    "mentions",
    "documents",
    "first_document",
    "first_date",
    "last_document",
    "last_date",
    "investment_yi",
    "investment_history",
    "stages",
    "wordings",
];

/// Project groups as rows of [`PROJECT_COLUMNS`]. Dates are the articles' own dates;
/// the investment is the counted (latest stated) figure, its history every change.
pub fn project_rows(groups: &[ProjectGroup]) -> Vec<[String; 13]> {
    groups
        .iter()
        .map(|group| {
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            let mut wordings: Vec<&str> = Vec::new();
            for mention in &group.mentions {
                if !wordings.contains(&mention.text.as_str()) {
                    wordings.push(&mention.text);
                }
            }
            [
                group.name.clone(),
                opt(&group.district),
                opt(&group.city),
                group.mentions.len().to_string(),
                group.documents().len().to_string(),
                group.first().file.clone(),
                opt(&group.first().article_date),
                group.last().file.clone(),
                opt(&group.last().article_date),
                group
                    .investment_yuan()
                    .map(|yuan| format!("{:.4}", yuan / 1e8))
                    .unwrap_or_default(),
                group.investment_history().join(" → "),
                group
                    .stage_history()
                    .iter()
                    .map(|s| s.label())
                    .collect::<Vec<_>>()
                    .join(" → "),
                wordings.join(" | "),
            ]
        })
        .collect()
}

/// Writes the project groups as a one-sheet workbook.
pub fn write_projects_xlsx(
    rows: &[[String; 13]],
    path: &std::path::Path,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    add_plain_sheet(
        &mut workbook,
        "projects",
        &PROJECT_COLUMNS,
        rows,
        &["mentions", "documents", "investment_yi"],
    )?;
    workbook.save(path)
}

/// The colour of an item row in a workbook: its first tag's.
pub fn row_color(annotations: &Annotations, note: Option<&ItemNote>) -> Option<[u8; 3]> {
    let note = note?;
    annotations
        .tags
        .iter()
        .find(|t| note.tags.contains(&t.id))
        .map(|t| t.color)
}

/// The file formats of the analyst's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesFormat {
    Csv,
    Xlsx,
}

/// Why notes could not be written.
#[derive(Debug, thiserror::Error)]
pub enum NotesError {
    #[error("cannot tell the format from the file name (use .csv or .xlsx): {path}")]
    UnknownFormat { path: std::path::PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        source: std::io::Error,
        path: std::path::PathBuf,
    },
    #[error("cannot write the workbook {path}: {source}")]
    Xlsx {
        source: rust_xlsxwriter::XlsxError,
        path: std::path::PathBuf,
    },
}

/// The temporary file's own I/O errors (fsync, rename); [`write_notes_file`] puts the
/// target's path in.
impl From<std::io::Error> for NotesError {
    fn from(source: std::io::Error) -> NotesError {
        NotesError::Io {
            source,
            path: std::path::PathBuf::new(),
        }
    }
}

impl NotesFormat {
    /// The format a file name asks for: `.csv` or `.xlsx` (any case).
    pub fn for_path(path: &std::path::Path) -> Result<NotesFormat, NotesError> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("csv") => Ok(NotesFormat::Csv),
            Some("xlsx") => Ok(NotesFormat::Xlsx),
            _ => Err(NotesError::UnknownFormat {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// What a notes file holds.
#[derive(Debug, Clone, Copy)]
pub enum NotesTable<'a> {
    /// Item rows; an XLSX workbook also gets the district overview as a second sheet.
    Items {
        rows: &'a [ExportRow],
        districts: &'a [[String; 12]],
    },
    Districts(&'a [[String; 12]]),
    Projects(&'a [[String; 13]]),
}

/// Writes `table` to `path` in `format`, whole or not at all (a temporary file renamed
/// into place); the number of rows written. The one export path of the app and the
/// command line.
pub fn write_notes_file(
    table: NotesTable<'_>,
    format: NotesFormat,
    path: &std::path::Path,
) -> Result<usize, NotesError> {
    let io = |source| NotesError::Io {
        source,
        path: path.to_path_buf(),
    };
    let xlsx = |source| NotesError::Xlsx {
        source,
        path: path.to_path_buf(),
    };
    super::write_replacing(path, |temp| -> Result<usize, NotesError> {
        match (format, table) {
            (NotesFormat::Csv, table) => {
                let file = std::fs::File::create(temp).map_err(io)?;
                let mut out = std::io::BufWriter::new(file);
                let written = match table {
                    NotesTable::Items { rows, .. } => {
                        write_csv(COLUMNS, rows.iter().map(|r| &r.fields), &mut out)
                            .map(|()| rows.len())
                    }
                    NotesTable::Districts(rows) => {
                        write_csv(DISTRICT_COLUMNS, rows, &mut out).map(|()| rows.len())
                    }
                    NotesTable::Projects(rows) => {
                        write_csv(PROJECT_COLUMNS, rows, &mut out).map(|()| rows.len())
                    }
                }
                .map_err(io)?;
                out.flush().map_err(io)?;
                Ok(written)
            }
            (NotesFormat::Xlsx, NotesTable::Items { rows, districts }) => {
                write_xlsx(rows, districts, temp).map_err(xlsx)?;
                Ok(rows.len())
            }
            (NotesFormat::Xlsx, NotesTable::Districts(rows)) => {
                write_xlsx(&[], rows, temp).map_err(xlsx)?;
                Ok(rows.len())
            }
            (NotesFormat::Xlsx, NotesTable::Projects(rows)) => {
                write_projects_xlsx(rows, temp).map_err(xlsx)?;
                Ok(rows.len())
            }
        }
    })
    .map_err(|error| match error {
        // write_replacing's own I/O errors name the temporary file; name the target.
        NotesError::Io { source, .. } => io(source),
        other => other,
    })
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn the_file_name_decides_the_format() {
        use std::path::Path;
        assert_eq!(
            NotesFormat::for_path(Path::new("a/notes.XLSX")).unwrap(),
            NotesFormat::Xlsx
        );
        assert_eq!(
            NotesFormat::for_path(Path::new("notes.csv")).unwrap(),
            NotesFormat::Csv
        );
        let error = NotesFormat::for_path(Path::new("notes.ods"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("notes.ods") && error.contains(".xlsx"),
            "{error}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.xlsx");
        let rows = [std::array::from_fn(|i| i.to_string())];
        assert_eq!(
            write_notes_file(NotesTable::Districts(&rows), NotesFormat::Xlsx, &path).unwrap(),
            1
        );
        assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    }
}
