//! Writing the analyst's export from the app: the shown rows or everything, CSV or XLSX
//! by the file name's extension.

use std::path::Path;

use anyhow::Context;

use super::command::ExportWhat;
use super::review::Review;
use super::workspace::Workspace;
use crate::annotate::Attachment;
use crate::export::notes::{self, NotesSource};
use crate::insight::projects::ProjectGroup;

/// Writes the export and returns how many rows it holds.
pub fn write(
    workspace: &Workspace,
    review: &Review,
    what: ExportWhat,
    rows: &[usize],
    groups: &[ProjectGroup],
    path: &Path,
) -> anyhow::Result<usize> {
    if what == ExportWhat::Projects {
        return write_projects(groups, path);
    }
    if what == ExportWhat::Qdpx {
        return write_qdpx(workspace, review, path);
    }
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
        ExportWhat::Districts | ExportWhat::Projects | ExportWhat::ChartPng | ExportWhat::Qdpx => {
            Vec::new()
        }
    };
    let format = notes::NotesFormat::for_path(path)?;
    let table = match what {
        ExportWhat::Districts => notes::NotesTable::Districts(&overview),
        _ => notes::NotesTable::Items {
            rows: &export_rows,
            districts: &overview,
        },
    };
    Ok(notes::write_notes_file(table, format, path)?)
}

/// The reviewed work as a REFI-QDA project; how many selections it holds.
fn write_qdpx(workspace: &Workspace, review: &Review, path: &Path) -> anyhow::Result<usize> {
    let attachment = Attachment {
        by_item: (0..workspace.items.len())
            .filter_map(|i| Some((i, review.attached_id(i)?.to_owned())))
            .collect(),
        re_anchored: Vec::new(),
        orphans: Vec::new(),
    };
    let summary = crate::export::qdpx::write_qdpx_file(
        path,
        &workspace.folder,
        &workspace.documents,
        &workspace.items,
        &review.annotations,
        &attachment,
    )
    .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(summary.selections)
}

/// The project groups shown (filters applied), CSV or XLSX by extension.
fn write_projects(groups: &[ProjectGroup], path: &Path) -> anyhow::Result<usize> {
    let rows = notes::project_rows(groups);
    let format = notes::NotesFormat::for_path(path)?;
    Ok(notes::write_notes_file(
        notes::NotesTable::Projects(&rows),
        format,
        path,
    )?)
}

/// Writes an RGBA image (a chart cut from a screenshot) as PNG.
pub fn write_png(image: &egui::ColorImage, path: &Path) -> anyhow::Result<()> {
    let failed = || format!("cannot save the chart: {}", path.display());
    let file = std::fs::File::create(path).with_context(failed)?;
    let [width, height] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width as u32, height as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().with_context(failed)?;
    writer
        .write_image_data(image.as_raw())
        .with_context(failed)?;
    writer.finish().with_context(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_image_round_trips_through_png() {
        let pixels: Vec<egui::Color32> = (0..6u8)
            .map(|i| egui::Color32::from_rgba_unmultiplied(i * 40, 255 - i * 40, i, 255))
            .collect();
        let image = egui::ColorImage::new([3, 2], pixels);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.png");
        write_png(&image, &path).unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buffer[..info.buffer_size()], image.as_raw());
    }

    #[test]
    fn an_unwritable_png_path_is_an_error_naming_the_file() {
        let image = egui::ColorImage::new([1, 1], vec![egui::Color32::WHITE]);
        let error = write_png(&image, Path::new("/nonexistent-folder/chart.png")).unwrap_err();
        assert!(format!("{error:#}").contains("/nonexistent-folder/chart.png"));
    }
}
