//! Writing the analyst's export from the app: the shown rows or everything, CSV or XLSX
//! by the file name's extension.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::command::ExportWhat;
use super::review::Review;
use super::workspace::Workspace;
use crate::annotate::Attachment;
use crate::export::notes::{self, NotesSource};

/// Writes the export and returns how many rows it holds.
pub fn write(
    workspace: &Workspace,
    review: &Review,
    what: ExportWhat,
    rows: &[usize],
    path: &Path,
) -> anyhow::Result<usize> {
    let attachment = Attachment {
        by_item: rows
            .iter()
            .filter_map(|&i| Some((i, review.attached_id(i)?.to_owned())))
            .collect(),
        re_anchored: Vec::new(),
        orphans: review.orphans.clone(),
    };
    let source = NotesSource {
        documents: &workspace.documents,
        items: &workspace.items,
        annotations: &review.annotations,
        attachment: &attachment,
    };
    let overview = notes::district_rows(&workspace.districts);
    let export_rows = match what {
        ExportWhat::ShownItems => source.rows(rows, false),
        ExportWhat::AllItems => source.rows(rows, true),
        ExportWhat::Districts => Vec::new(),
    };
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let failed = || format!("cannot write the export: {}", path.display());
    if is_xlsx {
        notes::write_xlsx(&export_rows, &overview, path).with_context(failed)?;
    } else {
        let file = std::fs::File::create(path).with_context(failed)?;
        let mut out = std::io::BufWriter::new(file);
        match what {
            ExportWhat::Districts => notes::write_csv(notes::DISTRICT_COLUMNS, &overview, &mut out),
            _ => notes::write_csv(
                notes::COLUMNS,
                export_rows.iter().map(|r| &r.fields),
                &mut out,
            ),
        }
        .and_then(|()| out.flush())
        .with_context(failed)?;
    }
    Ok(match what {
        ExportWhat::Districts => overview.len(),
        _ => export_rows.len(),
    })
}
