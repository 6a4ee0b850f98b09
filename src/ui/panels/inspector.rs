//! The review panel: tags, note, rejection and corrections of the focused item (tags
//! apply to every selected row), and the note on the shown document.

use super::PanelContext;
use super::place_picker::place_picker_ui;
use crate::extract::ItemKind;
use crate::table::amount_as_written;
use crate::ui::command::Command;
use crate::ui::theme;

#[derive(Default)]
pub struct Inspector {
    note: Draft<usize>,
    amount: Draft<usize>,
    document_note: Draft<String>,
}

/// Text being edited for one item or document, kept apart from the annotations so that
/// the cursor survives while typing.
#[derive(Default)]
struct Draft<K> {
    owner: Option<K>,
    text: String,
}

impl<K: PartialEq + Clone> Draft<K> {
    /// Follows the saved text when another owner is shown, or when the field is not being
    /// edited and the saved text changed (undo, redo).
    fn follow(&mut self, owner: &K, saved: &str, editing: bool) {
        if self.owner.as_ref() != Some(owner) || (!editing && self.text != saved) {
            self.owner = Some(owner.clone());
            self.text = saved.to_owned();
        }
    }
}

impl Inspector {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let review = cx.review;
        let workspace = cx.workspace;
        ui.horizontal(|ui| {
            ui.heading(strings.review);
            let selected = cx.selection.items.len();
            if selected > 1 {
                ui.weak(format!("{selected} {}", strings.selected_n));
            }
        });
        let Some(item_index) = cx.selection.item else {
            ui.weak(strings.no_item_selected);
            self.document_note_ui(ui, cx);
            return;
        };
        let item = &workspace.items[item_index];
        let note = review.note_of(item_index);

        // Tags: a chip per tag, numbered for keys 1–9, filled when every selected row has it.
        ui.horizontal_wrapped(|ui| {
            for (position, tag) in review.annotations.tags.iter().enumerate() {
                let all_have = cx
                    .selection
                    .items
                    .iter()
                    .all(|&i| review.note_of(i).is_some_and(|n| n.tags.contains(&tag.id)));
                let [r, g, b] = tag.color;
                let color = egui::Color32::from_rgb(r, g, b);
                let label = if position < 9 {
                    format!("{} {}", position + 1, tag.name)
                } else {
                    tag.name.clone()
                };
                let text = if all_have {
                    egui::RichText::new(label)
                        .color(egui::Color32::WHITE)
                        .background_color(color)
                } else {
                    egui::RichText::new(label).color(color)
                };
                if ui
                    .selectable_label(all_have, text)
                    .on_hover_text(strings.tag_keys_hint)
                    .clicked()
                {
                    cx.commands.push(Command::ToggleTag(tag.id));
                }
            }
        });

        // The note: resynchronised from the annotations unless the analyst is typing.
        let saved_note = note.map(|n| n.note.as_str()).unwrap_or("");
        let note_id = egui::Id::unique("item_note_editor");
        let editing = ui.memory(|m| m.has_focus(note_id));
        self.note.follow(&item_index, saved_note, editing);
        let label = ui.label(strings.note_label);
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.note.text)
                    .id(note_id)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.changed() {
            cx.commands.push(Command::TypeNote {
                item: item_index,
                text: self.note.text.clone(),
            });
        }
        if response.lost_focus() {
            cx.commands.push(Command::EndTyping);
        }

        let mut rejected = note.is_some_and(|n| n.rejected);
        if ui.checkbox(&mut rejected, strings.rejected).changed() {
            cx.commands.push(Command::SetRejected {
                item: item_index,
                rejected,
            });
        }
        // A rejection or a manual item is where a rule is likeliest wanted.
        let offers_rule = note.is_some_and(|n| n.rejected || n.manual);
        if offers_rule {
            let note = note.cloned();
            ui.horizontal_wrapped(|ui| {
                super::items_table::rule_buttons_ui(ui, cx, item, note.as_ref());
            });
        }
        self.corrections_ui(ui, cx, item_index);
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!("{}:", strings.original));
            theme::kind_chip(ui, item.kind, strings.kind(item.kind));
            if let Some(district) = &item.district {
                ui.weak(district);
            }
            if let Some(amount) = amount_as_written(item) {
                ui.weak(amount);
            }
        });
        self.document_note_ui(ui, cx);
    }

    fn corrections_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, item_index: usize) {
        let strings = cx.strings;
        let item = &cx.workspace.items[item_index];
        let note = cx.review.note_of(item_index);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(strings.correct_district);
            let corrected = note.and_then(|n| n.district.clone());
            let shown = corrected.clone().unwrap_or_else(|| {
                format!(
                    "{} ({})",
                    strings.as_extracted,
                    item.district.as_deref().unwrap_or("—")
                )
            });
            {
                let places = cx.workspace.correction_places();
                let (response, picked) = place_picker_ui(
                    ui,
                    "correct_district",
                    &shown,
                    strings.as_extracted,
                    corrected.as_deref(),
                    places,
                    strings.shows_pinyin,
                    (strings.place_search_label, strings.place_search_hint),
                    140.0,
                );
                response.labelled_by(label.id);
                if let Some(picked) = picked {
                    cx.commands.push(Command::CorrectDistrict {
                        item: item_index,
                        district: picked.into_correction(),
                    });
                }
            }

            let label = ui.label(strings.correct_kind);
            let corrected_kind = note.and_then(|n| n.kind);
            let shown = corrected_kind.map_or_else(
                || format!("{} ({})", strings.as_extracted, strings.kind(item.kind)),
                |k| strings.kind(k).to_owned(),
            );
            egui::ComboBox::from_id_salt("correct_kind")
                .selected_text(shown)
                .width(120.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(corrected_kind.is_none(), strings.as_extracted)
                        .clicked()
                    {
                        cx.commands.push(Command::CorrectKind {
                            item: item_index,
                            kind: None,
                        });
                    }
                    for kind in ItemKind::ALL {
                        if ui
                            .selectable_label(corrected_kind == Some(kind), strings.kind(kind))
                            .clicked()
                        {
                            cx.commands.push(Command::CorrectKind {
                                item: item_index,
                                kind: Some(kind),
                            });
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label(strings.correct_amount);
            let saved = note
                .and_then(|n| n.amount_yuan)
                .map(|v| format!("{}", v / 1e8))
                .unwrap_or_default();
            let amount_id = egui::Id::unique("amount_editor");
            let editing = ui.memory(|m| m.has_focus(amount_id));
            self.amount.follow(&item_index, &saved, editing);
            let hint = item
                .amount_yuan
                .map(|v| format!("{}", v / 1e8))
                .unwrap_or_default();
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.amount.text)
                        .id(amount_id)
                        .hint_text(hint)
                        .desired_width(120.0),
                )
                .labelled_by(label.id);
            if response.lost_focus() {
                let trimmed = self.amount.text.trim();
                let amount_yuan = if trimmed.is_empty() {
                    Some(None)
                } else {
                    trimmed.parse::<f64>().ok().map(|yi| Some(yi * 1e8))
                };
                if let Some(amount_yuan) = amount_yuan {
                    cx.commands.push(Command::CorrectAmount {
                        item: item_index,
                        amount_yuan,
                    });
                }
            }
        });
    }

    fn document_note_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let Some(document) = cx.selection.document.map(|d| &cx.workspace.documents[d]) else {
            return;
        };
        let saved = cx
            .review
            .annotations
            .documents
            .get(&document.file)
            .map(String::as_str)
            .unwrap_or("");
        let editor_id = egui::Id::unique("document_note_editor");
        let editing = ui.memory(|m| m.has_focus(editor_id));
        self.document_note.follow(&document.file, saved, editing);
        let label = ui.label(strings.document_note);
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.document_note.text)
                    .id(editor_id)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        // A document note is one undo step per editing session.
        if response.lost_focus() && self.document_note.text != saved {
            cx.commands.push(Command::DocumentNote {
                file: document.file.clone(),
                text: self.document_note.text.clone(),
            });
        }
    }
}
