//! The menu bar and the keyboard, both from the command table in `ui::menu`, and
//! files dropped on the window.

use super::*;

impl PolicyLensApp {
    /// What the command table needs to label and enable the menu entries.
    pub(super) fn menu_state(&self) -> MenuState {
        let review = self.review.as_ref();
        MenuState {
            has_folder: self.workspace.is_some(),
            can_undo: review.is_some_and(Review::can_undo) || !self.lexicon_undo.is_empty(),
            can_redo: review.is_some_and(Review::can_redo) || !self.lexicon_redo.is_empty(),
            show_documents: self.settings.show_documents,
            dark_mode: self.settings.dark_mode,
            has_search_matches: self.workspace.is_some() && !self.search.results.matches.is_empty(),
        }
    }

    pub(super) fn menu_bar_ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &Strings,
        commands: &mut Vec<Command>,
    ) {
        let state = self.menu_state();
        let recent_folders = &self.settings.recent_folders;
        egui::MenuBar::new().ui(ui, |ui| {
            menu::menus_ui(ui, strings, &state, commands, |ui, commands| {
                if recent_folders.is_empty() {
                    ui.weak(strings.no_recent);
                }
                for folder in recent_folders {
                    if ui.button(folder.display().to_string()).clicked() {
                        commands.push(Command::Open(Source::Folder(folder.clone())));
                    }
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for language in [Language::Chinese, Language::English] {
                    if ui
                        .selectable_label(
                            self.settings.language == language,
                            language.native_name(),
                        )
                        .on_hover_text(strings.language)
                        .clicked()
                    {
                        commands.push(Command::SetLanguage(language));
                    }
                }
                let icon = "◐";
                let tip = if self.settings.dark_mode {
                    strings.theme_light
                } else {
                    strings.theme_dark
                };
                if ui
                    .add(egui::Button::new(icon).frame(false))
                    .on_hover_text(tip)
                    .clicked()
                {
                    commands.push(Command::SetDarkMode(!self.settings.dark_mode));
                }
            });
        });
    }

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        commands.extend(menu::shortcut_commands(ctx, &self.menu_state()));
        // A click anywhere takes the tag keys away from the rows; selecting a row (in the
        // table or the source view) gives them back. A click that misses a text field
        // must not turn the digits typed next into tags.
        if ctx.input(|i| i.pointer.any_click()) {
            self.rows_have_keys = false;
        }
        // Keys 1–9 toggle the tags of the selected rows (listed in the shortcuts help).
        if self.rows_have_keys
            && !ctx.egui_wants_keyboard_input()
            && !self.selection.items.is_empty()
            && let Some(review) = &self.review
        {
            for (position, key) in TAG_KEYS.iter().enumerate() {
                if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, *key))
                    && let Some(tag) = review.annotations.tags.get(position)
                {
                    commands.push(Command::ToggleTag(tag.id));
                }
            }
        }
        // Esc in the filter box is handled by the box; elsewhere it clears the filter too.
        if !ctx.egui_wants_keyboard_input()
            && !self.settings.item_filter.text.is_empty()
            && ctx.input(|i| i.key_pressed(Key::Escape))
        {
            let mut filter = self.settings.item_filter.clone();
            filter.text.clear();
            commands.push(Command::SetItemFilter(filter));
        }
    }

    pub(super) fn dropped_files(&self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        match paths.as_slice() {
            [] => {}
            [folder] if folder.is_dir() => {
                commands.push(Command::Open(Source::Folder(folder.clone())))
            }
            _ => commands.push(Command::Open(Source::Paths(paths))),
        }
    }
}
