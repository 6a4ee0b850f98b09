//! The tag manager and the orphaned-annotations windows.

use super::*;

impl PolicyLensApp {
    pub(super) fn tag_manager_window(
        &mut self,
        ctx: &egui::Context,
        strings: &Strings,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.tag_manager else {
            return;
        };
        let Some(review) = &self.review else {
            self.tag_manager = None;
            return;
        };
        let mut open = true;
        let mut close = false;
        egui::Window::new(strings.tag_manager)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let mut delete = None;
                egui::Grid::new("tag_grid")
                    .num_columns(3)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        for (position, tag) in draft.iter_mut().enumerate() {
                            ui.color_edit_button_srgb(&mut tag.color);
                            ui.add(egui::TextEdit::singleline(&mut tag.name).desired_width(200.0))
                                .on_hover_text(format!("{}", position + 1));
                            if ui.button(strings.delete).clicked() {
                                delete = Some(tag.id);
                            }
                            ui.end_row();
                        }
                    });
                if let Some(id) = delete {
                    if review.tag_uses(id) > 0 {
                        self.confirm_delete_tag = Some(id);
                    } else {
                        draft.retain(|t| t.id != id);
                    }
                }
                if let Some(id) = self.confirm_delete_tag {
                    ui.separator();
                    ui.label(format!(
                        "{} {}",
                        review.tag_uses(id),
                        strings.delete_tag_confirm
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(strings.delete).clicked() {
                            draft.retain(|t| t.id != id);
                            self.confirm_delete_tag = None;
                        }
                        if ui.button(strings.cancel).clicked() {
                            self.confirm_delete_tag = None;
                        }
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(strings.add_tag).clicked() {
                        let id = crate::annotate::next_tag_id(draft);
                        draft.push(crate::annotate::Tag {
                            id,
                            name: format!("Tag {id}"),
                            color: [0x3b, 0x7d, 0xd8],
                        });
                    }
                    if ui.button(strings.apply).clicked() {
                        commands.push(Command::SetTags(draft.clone()));
                        close = true;
                    }
                });
            });
        if !open || close {
            self.tag_manager = None;
            self.confirm_delete_tag = None;
        }
    }

    pub(super) fn orphans_window(&mut self, ctx: &egui::Context, strings: &Strings) {
        if !self.show_orphans {
            return;
        }
        let Some(review) = &self.review else {
            return;
        };
        let mut open = true;
        egui::Window::new(strings.orphans_title)
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.weak(strings.orphaned_tip);
                egui::ScrollArea::vertical()
                    .max_height(400.0)
                    .show(ui, |ui| {
                        for id in &review.orphans {
                            let Some(note) = review.annotations.items.get(id) else {
                                continue;
                            };
                            ui.horizontal_wrapped(|ui| {
                                theme::kind_chip(
                                    ui,
                                    note.anchor.kind,
                                    strings.kind(note.anchor.kind),
                                );
                                ui.label(format!("«{}»", note.anchor.text));
                                ui.weak(format!(
                                    "{} {}–{}",
                                    note.anchor.file, note.anchor.start, note.anchor.end
                                ));
                                ui.label(review.annotations.tag_names(note));
                                ui.label(&note.note);
                            });
                        }
                    });
            });
        self.show_orphans = open;
    }
}
