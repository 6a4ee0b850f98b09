//! The start screen: open a folder, open the sample articles, or reopen a recent folder.

use std::path::PathBuf;

use crate::ui::command::Command;
use crate::ui::i18n::Strings;
use crate::ui::jobs::Source;
use crate::ui::theme;

pub fn start_ui(
    ui: &mut egui::Ui,
    strings: &Strings,
    recent: &[PathBuf],
    message: Option<&str>,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.12).max(theme::GAP * 2.0));
            ui.label(egui::RichText::new("PolicyLens").size(34.0).strong());
            ui.label(egui::RichText::new(strings.app_tagline).weak());
            ui.add_space(theme::GAP * 3.0);
            let button_size = egui::vec2(260.0, 34.0);
            if ui
                .add_sized(button_size, egui::Button::new(strings.open_folder))
                .on_hover_text("Ctrl+O")
                .clicked()
            {
                commands.push(Command::PickFolder);
            }
            ui.add_space(theme::GAP);
            if ui
                .add_sized(button_size, egui::Button::new(strings.open_sample))
                .on_hover_text(strings.open_sample_hint)
                .clicked()
            {
                commands.push(Command::OpenSample);
            }
            ui.add_space(theme::GAP);
            ui.weak(strings.drop_hint);
            if let Some(message) = message {
                ui.add_space(theme::GAP);
                ui.colored_label(theme::error_color(ui.visuals().dark_mode), message);
            }
            ui.add_space(theme::GAP * 3.0);
            ui.label(egui::RichText::new(strings.recent_folders).strong());
            ui.add_space(theme::GAP / 2.0);
            if recent.is_empty() {
                ui.weak(strings.no_recent);
            }
            for folder in recent {
                let exists = folder.is_dir();
                let name = folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| folder.display().to_string());
                let button = egui::Button::new(name).frame(false);
                let response = ui
                    .add_enabled(exists, button)
                    .on_hover_text(folder.display().to_string());
                if response.clicked() {
                    commands.push(Command::Open(Source::Folder(folder.clone())));
                }
            }
        });
    });
}
