//! *Help → About*: the version, where the analyst's work is kept, and the licences of
//! PolicyLens and of what it ships.

use std::path::Path;

use crate::ui::i18n::Strings;

/// The *About* window; `folder` is the open folder, `user_lexicon` the user's lexicon.
pub fn about_window(
    ctx: &egui::Context,
    strings: &Strings,
    open: &mut bool,
    folder: Option<&Path>,
    user_lexicon: Option<&Path>,
) {
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        *open = false;
        return;
    }
    let data = crate::corpus::DATA_DIR_NAME;
    let in_folder = |file: &str| match folder {
        Some(folder) => folder.join(data).join(file).display().to_string(),
        None => format!("FOLDER/{data}/{file}"),
    };
    let settings = eframe::storage_dir("PolicyLens").map_or_else(
        || "–".to_owned(),
        |dir| dir.join("app.ron").display().to_string(),
    );
    let user_lexicon = user_lexicon.map_or_else(|| "–".to_owned(), |p| p.display().to_string());
    egui::Window::new(strings.about)
        .open(open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.heading(format!("PolicyLens {}", env!("CARGO_PKG_VERSION")));
            ui.label(strings.about_tagline);
            ui.add_space(8.0);
            ui.strong(strings.about_storage);
            egui::Grid::new("about-storage")
                .num_columns(2)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for (what, path) in [
                        (strings.about_annotations, in_folder("annotations.json")),
                        (strings.about_folder_lexicon, in_folder("lexicon.tsv")),
                        (strings.about_user_lexicon, user_lexicon),
                        (strings.about_settings, settings),
                    ] {
                        ui.label(what);
                        ui.monospace(path);
                        ui.end_row();
                    }
                });
            ui.weak(strings.about_read_only);
            ui.add_space(8.0);
            ui.strong(strings.about_licences);
            ui.label(strings.about_licence_lines);
        });
}
