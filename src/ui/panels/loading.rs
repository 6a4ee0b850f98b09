//! Progress of a running load: files done of total, the current file, errors so far, and
//! a Cancel button. Drawn while the background job runs; the window stays responsive.

use crate::ui::command::Command;
use crate::ui::i18n::Strings;
use crate::ui::jobs::LoadStatus;
use crate::ui::theme;

pub fn loading_ui(
    ui: &mut egui::Ui,
    strings: &Strings,
    what: &str,
    status: &LoadStatus,
    cancelling: bool,
    commands: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space((ui.available_height() * 0.25).max(theme::GAP * 2.0));
        ui.heading(strings.loading);
        ui.weak(what);
        ui.add_space(theme::GAP);
        let fraction = if status.total == 0 {
            0.0
        } else {
            status.done as f32 / status.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(420.0)
                .show_percentage()
                .animate(true),
        );
        ui.label(format!(
            "{} / {} {} · {} {}",
            status.done, status.total, strings.files_done, status.errors, strings.errors_so_far
        ));
        ui.add(egui::Label::new(egui::RichText::new(&status.current_file).weak()).truncate());
        ui.add_space(theme::GAP);
        if ui
            .add_enabled(!cancelling, egui::Button::new(strings.cancel))
            .clicked()
        {
            commands.push(Command::CancelLoad);
        }
    });
}
