//! The annotations whose item is no longer found, with their text, place, tags and
//! note: kept, never dropped, and shown here.

use crate::session::review::Review;
use crate::ui::i18n::Strings;
use crate::ui::theme;

/// Whether the orphaned-annotations window is open.
#[derive(Debug, Default)]
pub struct OrphansWindow {
    pub open: bool,
}

impl OrphansWindow {
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings, review: &Review) {
        if !self.open {
            return;
        }
        egui::Window::new(strings.orphans_title)
            .open(&mut self.open)
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
    }
}
