//! The documents list: every loaded file with its title, encoding and item count, and
//! the files that failed to load with their error (listed, never hidden).

use egui::Sense;
use egui_extras::{Column, TableBuilder};

use super::PanelContext;
use crate::ui::command::Command;
use crate::ui::theme;

#[derive(Default)]
pub struct DocumentsPanel;

impl DocumentsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let workspace = cx.workspace;
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            ui.heading(strings.documents);
            ui.weak(workspace.documents.len().to_string());
        });
        if workspace.error_count > 0 {
            ui.colored_label(
                theme::error_color(dark),
                format!("{}: {}", strings.load_errors, workspace.error_count),
            );
        }
        ui.add_space(theme::GAP / 2.0);
        // Two lines per document: title, then file · encoding · items (or the error).
        let row_height = theme::ROW_HEIGHT * 2.0;
        TableBuilder::new(ui)
            .id_salt("documents_table")
            .striped(true)
            .sense(Sense::click())
            .column(Column::remainder().clip(true))
            .body(|body| {
                body.rows(row_height, workspace.documents.len(), |mut row| {
                    let index = row.index();
                    let document = &workspace.documents[index];
                    row.set_selected(cx.selection.document == Some(index));
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            let title = if document.title.is_empty() {
                                document.file.as_str()
                            } else {
                                document.title.as_str()
                            };
                            ui.add(
                                egui::Label::new(egui::RichText::new(title).strong())
                                    .truncate()
                                    .selectable(false),
                            );
                            if let Some(error) = &document.error {
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(strings.document_error(error))
                                            .color(theme::error_color(dark)),
                                    )
                                    .truncate()
                                    .selectable(false),
                                );
                            } else {
                                let items = workspace.items_of_document[index].len();
                                let encoding = document.encoding.as_deref().unwrap_or("");
                                ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(format!(
                                            "{} · {encoding} · {items} {}",
                                            document.file, strings.col_items
                                        ))
                                        .weak(),
                                    )
                                    .truncate()
                                    .selectable(false),
                                );
                            }
                        });
                    });
                    let response = row.response();
                    if response.clicked() {
                        cx.commands.push(Command::SelectDocument(index));
                    }
                    response.context_menu(|ui| {
                        if ui.button(strings.menu_filter_to_document).clicked() {
                            cx.commands.push(Command::SelectDocument(index));
                            cx.commands
                                .push(Command::ShowTab(crate::ui::state::Tab::Items));
                            ui.close();
                        }
                        if ui.button(strings.menu_open_folder_of_file).clicked() {
                            cx.commands.push(Command::OpenDocumentFolder(index));
                            ui.close();
                        }
                        if ui.button(strings.menu_copy_path).clicked() {
                            ui.ctx().copy_text(document.path.display().to_string());
                            ui.close();
                        }
                    });
                });
            });
    }
}
