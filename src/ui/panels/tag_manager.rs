//! *Edit → Tags…*: rename, recolour, add and delete tags on a draft, applied as one
//! undoable command. Deleting a tag in use asks first.

use crate::annotate::{Tag, next_tag_id};
use crate::session::review::Review;
use crate::ui::command::Command;
use crate::ui::i18n::Strings;

/// Room for a tag's name (`重点 Key`, `待核实 To verify`) in the tag manager.
const TAG_NAME_WIDTH: f32 = 220.0;

/// The open tag manager: a draft of the tags and a deletion waiting for confirmation.
#[derive(Debug, Default)]
pub struct TagManager {
    draft: Option<Vec<Tag>>,
    confirm_delete: Option<u32>,
}

impl TagManager {
    /// Opens on a copy of the current tags.
    pub fn open(&mut self, tags: &[Tag]) {
        self.draft = Some(tags.to_vec());
        self.confirm_delete = None;
    }

    pub fn close(&mut self) {
        *self = TagManager::default();
    }

    pub fn is_open(&self) -> bool {
        self.draft.is_some()
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        strings: &Strings,
        review: &Review,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        let mut open = true;
        let mut close = false;
        let confirm_delete = &mut self.confirm_delete;
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
                            // A grid in an auto-sized window gives a text field only
                            // its content's width unless told otherwise: names were cut to
                            // two characters.
                            ui.add(
                                egui::TextEdit::singleline(&mut tag.name)
                                    .min_size(egui::vec2(TAG_NAME_WIDTH, 0.0))
                                    .desired_width(TAG_NAME_WIDTH),
                            )
                            .on_hover_text(format!("{}", position + 1));
                            if ui.button(strings.delete).clicked() {
                                delete = Some(tag.id);
                            }
                            ui.end_row();
                        }
                    });
                if let Some(id) = delete {
                    if review.tag_uses(id) > 0 {
                        *confirm_delete = Some(id);
                    } else {
                        draft.retain(|t| t.id != id);
                    }
                }
                if let Some(id) = *confirm_delete {
                    ui.separator();
                    ui.label(format!(
                        "{} {}",
                        review.tag_uses(id),
                        strings.delete_tag_confirm
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(strings.delete).clicked() {
                            draft.retain(|t| t.id != id);
                            *confirm_delete = None;
                        }
                        if ui.button(strings.cancel).clicked() {
                            *confirm_delete = None;
                        }
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(strings.add_tag).clicked() {
                        let id = next_tag_id(draft);
                        draft.push(Tag {
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
            self.close();
        }
    }
}
