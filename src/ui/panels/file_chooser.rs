//! PolicyLens's own file chooser, shown when no system dialog can be (no
//! xdg-desktop-portal, no zenity): a path field that completes on Tab and the folder's
//! entries to click through. Opening a folder and saving an export both use it.

use std::path::{Path, PathBuf};

use egui::Key;

use crate::session::file_chooser::{ChooserEntry, Show, complete, expand_home, list_dir};
use crate::ui::command::{Command, ExportWhat};
use crate::ui::i18n::Strings;
use crate::ui::jobs::Source;
use crate::ui::theme;

/// What the chosen path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChooserPurpose {
    OpenFolder,
    Export(ExportWhat),
    /// A list (CSV, XLSX) to import into the lexicon as entries of this kind.
    ImportList(crate::extract::ItemKind),
    /// A REFI-QDA project or codebook whose codes become tags.
    ImportTags,
}

impl ChooserPurpose {
    /// What a chosen path leads to.
    pub fn command_for(self, path: PathBuf) -> Command {
        match self {
            ChooserPurpose::OpenFolder => Command::Open(Source::Folder(path)),
            ChooserPurpose::Export(what) => Command::Export { what, path },
            ChooserPurpose::ImportList(kind) => Command::ImportLexiconList { kind, path },
            ChooserPurpose::ImportTags => Command::ImportTags(path),
        }
    }

    fn show(self) -> Show {
        match self {
            ChooserPurpose::OpenFolder => Show::Folders,
            ChooserPurpose::Export(ExportWhat::ChartPng) => Show::FilesEnding(&["png"]),
            ChooserPurpose::Export(ExportWhat::Qdpx) => Show::FilesEnding(&["qdpx"]),
            ChooserPurpose::Export(_) => Show::FilesEnding(&["csv", "xlsx"]),
            ChooserPurpose::ImportList(_) => Show::FilesEnding(&["csv", "tsv", "xlsx", "xls"]),
            ChooserPurpose::ImportTags => Show::FilesEnding(&["qdpx", "qdc"]),
        }
    }
}

/// The open chooser.
pub struct FileChooser {
    purpose: ChooserPurpose,
    /// The path as typed: a folder ending in `/`, or a file to save.
    text: String,
    /// The folder listed, and its entries (or why it cannot be listed).
    listed: Option<(PathBuf, Result<Vec<ChooserEntry>, String>)>,
    /// Names a Tab left open, when the completion was not unique.
    candidates: Vec<String>,
    focus_field: bool,
}

impl FileChooser {
    /// Opens in `folder`; an export starts with its suggested file name.
    pub fn new(purpose: ChooserPurpose, folder: &Path, file_name: Option<&str>) -> FileChooser {
        let mut text = format!("{}/", folder.display().to_string().trim_end_matches('/'));
        if let Some(name) = file_name {
            text.push_str(name);
        }
        FileChooser {
            purpose,
            text,
            listed: None,
            candidates: Vec::new(),
            focus_field: true,
        }
    }

    /// The folder the typed path is in (the path itself when it ends in `/`).
    fn folder(&self) -> PathBuf {
        match self.text.rfind('/') {
            Some(slash) => expand_home(&self.text[..=slash]),
            None => PathBuf::from("."),
        }
    }

    fn chosen(&self) -> PathBuf {
        expand_home(self.text.trim())
    }

    /// Draws the chooser; `Some` once the analyst chose (a command) or cancelled (none).
    pub fn ui(&mut self, ctx: &egui::Context, strings: &Strings) -> Option<Option<Command>> {
        let folder = self.folder();
        if self.listed.as_ref().map(|(f, _)| f) != Some(&folder) {
            let entries = list_dir(&folder, self.purpose.show()).map_err(|e| e.to_string());
            self.listed = Some((folder.clone(), entries));
        }
        let title = match self.purpose {
            ChooserPurpose::OpenFolder => strings.chooser_open_title,
            ChooserPurpose::Export(_) => strings.chooser_save_title,
            ChooserPurpose::ImportList(_) | ChooserPurpose::ImportTags => {
                strings.chooser_import_title
            }
        };
        let mut outcome = None;
        egui::Modal::new(egui::Id::unique("file_chooser")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(title);
            ui.weak(strings.chooser_why);
            ui.add_space(theme::GAP / 2.0);
            let label = ui.label(strings.chooser_path_label);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.text)
                        .desired_width(f32::INFINITY)
                        .hint_text(strings.chooser_path_hint)
                        .lock_focus(true),
                )
                .labelled_by(label.id);
            let field = field.on_hover_text(strings.chooser_path_tip);
            if std::mem::take(&mut self.focus_field) {
                field.request_focus();
            }
            if field.has_focus() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Tab))
            {
                let completion = complete(&self.text, self.purpose.show());
                self.text = completion.text;
                self.candidates = completion.candidates;
                move_cursor_to_end(ui.ctx(), field.id, &self.text);
            }
            if field.changed() {
                self.candidates.clear();
            }
            if !self.candidates.is_empty() {
                ui.weak(self.candidates.join("  "));
            }
            ui.add_space(theme::GAP / 2.0);
            self.entries_ui(ui, &folder);
            ui.add_space(theme::GAP / 2.0);
            ui.horizontal(|ui| {
                let confirm = match self.purpose {
                    ChooserPurpose::OpenFolder => strings.chooser_open,
                    ChooserPurpose::Export(_) => strings.chooser_save,
                    ChooserPurpose::ImportList(_) | ChooserPurpose::ImportTags => {
                        strings.chooser_import
                    }
                };
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if ui.button(confirm).clicked() || enter {
                    outcome = Some(self.command());
                }
                if ui.button(strings.cancel).clicked() {
                    outcome = Some(None);
                }
            });
        });
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            outcome = Some(None);
        }
        outcome
    }

    fn entries_ui(&mut self, ui: &mut egui::Ui, folder: &Path) {
        let mut go_to: Option<String> = None;
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if let Some(parent) = folder.parent()
                    && ui.selectable_label(false, "../").clicked()
                {
                    go_to = Some(format!(
                        "{}/",
                        parent.display().to_string().trim_end_matches('/')
                    ));
                }
                // While a folder's name is being typed, the list narrows to it.
                let typed = match self.purpose {
                    ChooserPurpose::OpenFolder
                    | ChooserPurpose::ImportList(_)
                    | ChooserPurpose::ImportTags => {
                        self.text.rsplit('/').next().unwrap_or("").to_lowercase()
                    }
                    ChooserPurpose::Export(_) => String::new(),
                };
                match self.listed.as_ref().map(|(_, entries)| entries) {
                    Some(Ok(entries)) => {
                        for entry in entries
                            .iter()
                            .filter(|e| e.name.to_lowercase().starts_with(&typed))
                        {
                            // A folder reads as one by its slash, as in a shell.
                            let label = if entry.is_dir {
                                format!("{}/", entry.name)
                            } else {
                                entry.name.clone()
                            };
                            if ui.selectable_label(false, label).clicked() {
                                let base = folder.display().to_string();
                                let base = base.trim_end_matches('/');
                                go_to = Some(if entry.is_dir {
                                    format!("{base}/{}/", entry.name)
                                } else {
                                    format!("{base}/{}", entry.name)
                                });
                            }
                        }
                    }
                    Some(Err(error)) => {
                        ui.colored_label(theme::error_color(ui.visuals().dark_mode), error);
                    }
                    None => {}
                }
            });
        if let Some(text) = go_to {
            // Saving keeps the typed file name when moving between folders.
            let keep_name = matches!(self.purpose, ChooserPurpose::Export(_))
                && text.ends_with('/')
                && !self.text.ends_with('/');
            let name = self.text.rsplit('/').next().unwrap_or("").to_owned();
            self.text = if keep_name {
                format!("{text}{name}")
            } else {
                text
            };
            self.candidates.clear();
            self.focus_field = true;
        }
    }

    /// The command the chosen path leads to, or none when there is nothing to do (a
    /// folder where a file is to be saved or read).
    fn command(&self) -> Option<Command> {
        let wants_file = self.purpose != ChooserPurpose::OpenFolder;
        (!(wants_file && self.text.ends_with('/'))).then(|| self.purpose.command_for(self.chosen()))
    }
}

/// Puts the text cursor after the last character (after a completion changed the text).
fn move_cursor_to_end(ctx: &egui::Context, id: egui::Id, text: &str) {
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        let end = egui::text::CCursor::new(text.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ctx, id);
    }
}
