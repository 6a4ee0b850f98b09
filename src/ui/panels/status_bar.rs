//! The bottom line: what is open, how much was found and shown, where annotations are
//! saved (or why not), and the latest message.

use super::PanelContext;
use crate::ui::command::Command;
use crate::ui::review::SaveState;
use crate::ui::theme;

pub fn status_bar_ui(
    ui: &mut egui::Ui,
    cx: &mut PanelContext<'_>,
    shown_items: usize,
    (reviewed, reviewable): (usize, usize),
    message: Option<&str>,
    can_open_export: bool,
) {
    let strings = cx.strings;
    let workspace = cx.workspace;
    let review = cx.review;
    let error_color = theme::error_color(ui.visuals().dark_mode);
    if let Some(reason) = &review.read_only {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(error_color, strings.store_notice(reason));
            if reason.backup_helps() && ui.button(strings.restore_backup).clicked() {
                cx.commands.push(Command::RestoreBackup);
            }
        });
    }
    for warning in review
        .warnings
        .iter()
        .filter(|w| Some(*w) != review.read_only.as_ref())
    {
        ui.colored_label(error_color, strings.store_notice(warning));
    }
    if let Some(error) = &review.save_error {
        ui.colored_label(
            error_color,
            format!("{}: {}", strings.save_failed, strings.store_notice(error)),
        );
    }
    ui.horizontal(|ui| {
        ui.weak(workspace.folder.display().to_string());
        ui.separator();
        ui.label(format!(
            "{} {}",
            workspace.documents.len(),
            strings.status_documents
        ));
        ui.label(format!(
            "{} {}",
            workspace.items.len(),
            strings.status_items
        ));
        ui.label(format!("{} {}", strings.status_shown, shown_items));
        ui.label(
            strings
                .reviewed_progress
                .replace("{reviewed}", &reviewed.to_string())
                .replace("{total}", &reviewable.to_string()),
        );
        if workspace.error_count > 0 {
            ui.colored_label(
                error_color,
                format!("{} {}", workspace.error_count, strings.status_errors),
            );
        }
        ui.separator();
        let saved_state = match review.save_state() {
            SaveState::Saved => strings.saved,
            SaveState::Pending => strings.saving,
            SaveState::Failed => strings.not_saved,
            SaveState::ReadOnly => strings.read_only_state,
        };
        ui.weak(format!(
            "{} {} · {saved_state}",
            review.annotations.items.len(),
            strings.annotations_count
        ))
        .on_hover_text(format!(
            "{} {}",
            strings.saved_in,
            review.saved_to.display()
        ));
        if let Some(message) = message {
            ui.separator();
            ui.label(message);
            if can_open_export && ui.small_button(strings.open_export_folder).clicked() {
                cx.commands.push(Command::OpenExportFolder);
            }
        }
    });
}
