//! *Edit → Lexicon…*: the folder's lexicon entries, to search, edit and delete, and
//! lists (a roster of officials, tracked projects) to import as `always` entries. The
//! changes apply when the analyst presses Apply, as one undoable lexicon change.

use std::path::PathBuf;

use crate::extract::ItemKind;
use crate::lexicon::{Action, Entry, Lexicon};
use crate::ui::command::Command;
use crate::ui::i18n::Strings;
use crate::ui::theme;

/// One lexicon being edited: where it is saved, as it was, and the draft.
#[derive(Debug)]
struct Edited {
    path: PathBuf,
    saved: Lexicon,
    draft: Lexicon,
}

/// The open lexicon window: drafts of the folder's lexicon and the user's, one shown.
#[derive(Debug, Default)]
pub struct LexiconWindow {
    folder: Option<Edited>,
    user: Option<Edited>,
    /// The user's lexicon (every folder) is shown rather than the folder's.
    showing_user: bool,
    search: String,
}

impl LexiconWindow {
    /// Opens on the folder's lexicon and, when there is a user data directory, the
    /// user's.
    pub fn open(&mut self, folder: (PathBuf, Lexicon), user: Option<(PathBuf, Lexicon)>) {
        let edited = |(path, lexicon): (PathBuf, Lexicon)| Edited {
            path,
            saved: lexicon.clone(),
            draft: lexicon,
        };
        self.folder = Some(edited(folder));
        self.user = user.map(edited);
        self.showing_user = false;
        self.search.clear();
    }

    fn shown(&mut self) -> Option<&mut Edited> {
        if self.showing_user {
            self.user.as_mut()
        } else {
            self.folder.as_mut()
        }
    }

    /// Adds imported entries to the lexicon shown (an entry for the same kind and text
    /// is replaced); how many were new or changed.
    pub fn add(&mut self, entries: Vec<Entry>) -> usize {
        let Some(edited) = self.shown() else {
            return 0;
        };
        entries
            .into_iter()
            .filter(|e| edited.draft.insert(e.clone()))
            .count()
    }

    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings, commands: &mut Vec<Command>) {
        if self.folder.is_none() {
            return;
        }
        let has_user = self.user.is_some();
        let mut showing_user = self.showing_user;
        let mut apply = false;
        let mut close = false;
        let mut open = true;
        let search = &mut self.search;
        let edited = if self.showing_user {
            self.user.as_mut()
        } else {
            self.folder.as_mut()
        };
        let Some(edited) = edited else {
            return;
        };
        let draft = &mut edited.draft;
        egui::Window::new(strings.lexicon_title)
            .open(&mut open)
            .collapsible(false)
            .default_width(640.0)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut showing_user, false, strings.lexicon_this_folder);
                    if has_user {
                        ui.selectable_value(&mut showing_user, true, strings.lexicon_every_folder);
                    }
                });
                ui.weak(if showing_user {
                    strings.lexicon_user_explained
                } else {
                    strings.lexicon_explained
                });
                ui.add_space(theme::GAP / 2.0);
                ui.horizontal(|ui| {
                    let label = ui.label(strings.filter_label);
                    ui.add(
                        egui::TextEdit::singleline(search)
                            .hint_text(strings.lexicon_search_hint)
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                    ui.separator();
                    if ui.button(strings.import_officials).clicked() {
                        commands.push(Command::PickLexiconImport(ItemKind::Official));
                    }
                    if ui.button(strings.import_projects).clicked() {
                        commands.push(Command::PickLexiconImport(ItemKind::Project));
                    }
                });
                ui.add_space(theme::GAP / 2.0);
                let needle = search.trim().to_lowercase();
                let mut delete = None;
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        egui::Grid::new("lexicon_grid")
                            .num_columns(6)
                            .striped(true)
                            .spacing([8.0, 4.0])
                            .show(ui, |ui| {
                                // The headers name each row's fields for screen
                                // readers (and tests).
                                let headers: Vec<egui::Id> = [
                                    strings.col_kind,
                                    strings.col_text,
                                    strings.lexicon_action,
                                    strings.col_district,
                                    strings.col_note,
                                ]
                                .into_iter()
                                .map(|title| ui.strong(title).id)
                                .collect();
                                ui.label("");
                                ui.end_row();
                                for (index, entry) in draft.entries.iter_mut().enumerate() {
                                    let shown = needle.is_empty()
                                        || entry.text.to_lowercase().contains(&needle)
                                        || entry.note.to_lowercase().contains(&needle)
                                        || entry
                                            .district
                                            .as_deref()
                                            .is_some_and(|d| d.contains(&needle));
                                    if !shown {
                                        continue;
                                    }
                                    entry_row_ui(ui, strings, index, entry, &headers);
                                    if ui.small_button(strings.delete).clicked() {
                                        delete = Some(index);
                                    }
                                    ui.end_row();
                                }
                            });
                    });
                if let Some(index) = delete {
                    draft.entries.remove(index);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    ui.weak(format!(
                        "{} {}",
                        draft.entries.len(),
                        strings.lexicon_entries
                    ));
                    if ui.button(strings.apply).clicked() {
                        apply = true;
                        close = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        close = true;
                    }
                });
            });
        self.showing_user = showing_user;
        if apply {
            // Both drafts count: the analyst may have edited one, then the other.
            for edited in [&self.folder, &self.user].into_iter().flatten() {
                if edited.draft != edited.saved {
                    commands.push(Command::SetLexicon {
                        path: edited.path.clone(),
                        lexicon: edited.draft.clone(),
                    });
                }
            }
        }
        if !open || close {
            *self = LexiconWindow::default();
        }
    }
}

/// One editable entry: kind and action pickers, text, district and note fields, each
/// named by its column's header.
fn entry_row_ui(
    ui: &mut egui::Ui,
    strings: &Strings,
    index: usize,
    entry: &mut Entry,
    headers: &[egui::Id],
) {
    let field = |width: f32| egui::vec2(width, 0.0);
    egui::ComboBox::from_id_salt(("lexicon_kind", index))
        .selected_text(strings.kind(entry.kind))
        .width(80.0)
        .show_ui(ui, |ui| {
            for kind in ItemKind::ALL.into_iter().filter(|k| *k != ItemKind::City) {
                ui.selectable_value(&mut entry.kind, kind, strings.kind(kind));
            }
        })
        .response
        .labelled_by(headers[0]);
    ui.add(
        egui::TextEdit::singleline(&mut entry.text)
            .min_size(field(150.0))
            .desired_width(150.0),
    )
    .labelled_by(headers[1]);
    let action_label = |action: Action| match action {
        Action::Never => strings.lexicon_never,
        Action::Always => strings.lexicon_always,
    };
    egui::ComboBox::from_id_salt(("lexicon_action", index))
        .selected_text(action_label(entry.action))
        .width(80.0)
        .show_ui(ui, |ui| {
            for action in [Action::Never, Action::Always] {
                ui.selectable_value(&mut entry.action, action, action_label(action));
            }
        })
        .response
        .labelled_by(headers[2]);
    let mut district = entry.district.clone().unwrap_or_default();
    if ui
        .add(
            egui::TextEdit::singleline(&mut district)
                .min_size(field(90.0))
                .desired_width(90.0),
        )
        .labelled_by(headers[3])
        .changed()
    {
        entry.district = Some(district.trim().to_owned()).filter(|d| !d.is_empty());
    }
    ui.add(
        egui::TextEdit::singleline(&mut entry.note)
            .min_size(field(120.0))
            .desired_width(120.0),
    )
    .labelled_by(headers[4]);
}
