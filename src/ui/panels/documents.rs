//! The documents list: every loaded file with its title, encoding and item count, and
//! the files that failed to load with their error (listed, never hidden).

use egui::Sense;
use egui_extras::{Column, TableBuilder};

use super::PanelContext;
use crate::table::{DocumentOrder, document_rows};
use crate::ui::command::Command;
use crate::ui::i18n::Strings;
use crate::ui::theme;

pub struct DocumentsPanel {
    query: String,
    order: DocumentOrder,
    errors_first: bool,
    /// The shown documents, in order, and what they were computed for.
    rows: Vec<usize>,
    rows_key: Option<(u64, String, DocumentOrder, bool)>,
}

impl Default for DocumentsPanel {
    fn default() -> Self {
        DocumentsPanel {
            query: String::new(),
            order: DocumentOrder::File,
            errors_first: true,
            rows: Vec::new(),
            rows_key: None,
        }
    }
}

impl DocumentsPanel {
    /// The documents shown, in order (tests).
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let workspace = cx.workspace;
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            ui.heading(strings.documents);
            ui.weak(workspace.documents.len().to_string());
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(strings.documents_find);
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text(strings.documents_find_hint)
                    .desired_width(ui.available_width().clamp(80.0, 200.0)),
            )
            .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(strings.documents_order);
            egui::ComboBox::from_id_salt("documents_order")
                .selected_text(order_label(strings, self.order))
                .show_ui(ui, |ui| {
                    for order in DocumentOrder::ALL {
                        ui.selectable_value(&mut self.order, order, order_label(strings, order));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.errors_first, strings.documents_errors_first);
        });
        let key = (
            workspace.generation,
            self.query.clone(),
            self.order,
            self.errors_first,
        );
        if self.rows_key.as_ref() != Some(&key) {
            let counts: Vec<usize> = workspace
                .items_of_document
                .iter()
                .map(|r| r.len())
                .collect();
            self.rows = document_rows(
                &workspace.documents,
                &counts,
                &workspace.facts.article_dates,
                &self.query,
                self.order,
                self.errors_first,
            );
            self.rows_key = Some(key);
        }
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
                body.rows(row_height, self.rows.len(), |mut row| {
                    let index = self.rows[row.index()];
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

fn order_label(strings: &Strings, order: DocumentOrder) -> &'static str {
    match order {
        DocumentOrder::File => strings.order_file,
        DocumentOrder::Title => strings.order_title,
        DocumentOrder::Date => strings.order_date,
        DocumentOrder::Items => strings.order_items,
        DocumentOrder::Encoding => strings.order_encoding,
    }
}
