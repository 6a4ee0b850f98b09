//! The bottom line: what is open, how much was found and shown, and the latest message.

use super::PanelContext;
use crate::ui::theme;

pub fn status_bar_ui(
    ui: &mut egui::Ui,
    cx: &PanelContext<'_>,
    shown_items: usize,
    message: Option<&str>,
) {
    let strings = cx.strings;
    let workspace = cx.workspace;
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
        if workspace.error_count > 0 {
            ui.colored_label(
                theme::error_color(ui.visuals().dark_mode),
                format!("{} {}", workspace.error_count, strings.status_errors),
            );
        }
        if let Some(message) = message {
            ui.separator();
            ui.label(message);
        }
    });
}
