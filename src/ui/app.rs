//! The app shell: restores settings, polls background jobs, lays out the panels and
//! applies the commands they emit after each frame.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::{Command, ZoomStep};
use super::i18n::{Language, Strings};
use super::jobs::{FolderDialog, LoadJob, Loaded, Source};
use super::panels::districts::DistrictsPanel;
use super::panels::documents::DocumentsPanel;
use super::panels::items_table::ItemsTable;
use super::panels::source_view::SourceView;
use super::panels::{PanelContext, Selection, loading, start, status_bar};
use super::state::{Settings, Tab};
use super::theme;
use super::workspace::Workspace;

const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const FIND_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);

pub struct PolicyLensApp {
    settings: Settings,
    workspace: Option<Workspace>,
    load: Option<LoadJob>,
    dialog: Option<FolderDialog>,
    items_table: ItemsTable,
    districts: DistrictsPanel,
    documents: DocumentsPanel,
    source: SourceView,
    selection: Selection,
    /// The latest message for the analyst (a failed open, a cancelled load).
    message: Option<String>,
    generation: u64,
    /// The window title last sent, so it is sent only on change.
    title: String,
}

impl PolicyLensApp {
    /// The app as eframe starts it: settings restored, fonts installed, and `open`
    /// (from the command line) loading.
    pub fn new(cc: &eframe::CreationContext<'_>, open: Option<Source>) -> PolicyLensApp {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        setup_context(&cc.egui_ctx);
        let mut app = PolicyLensApp::with_settings(settings);
        if let Some(source) = open {
            app.apply(&cc.egui_ctx, Command::Open(source));
        }
        app
    }

    /// The app with the given settings and nothing open (tests build it this way).
    pub fn with_settings(settings: Settings) -> PolicyLensApp {
        PolicyLensApp {
            items_table: ItemsTable::new(settings.item_filter.clone(), settings.item_sort),
            districts: DistrictsPanel::new(settings.district_sort),
            documents: DocumentsPanel,
            source: SourceView::default(),
            selection: Selection::default(),
            workspace: None,
            load: None,
            dialog: None,
            message: None,
            generation: 0,
            title: String::new(),
            settings,
        }
    }

    pub fn workspace(&self) -> Option<&Workspace> {
        self.workspace.as_ref()
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The items shown in the table, in display order.
    pub fn shown_items(&self) -> &[u32] {
        self.items_table.rows()
    }

    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// Blocks until a running load has finished and takes its result in, as a frame
    /// would. Tests use it to open folders synchronously through the real job.
    pub fn wait_for_load(&mut self) {
        if let Some(mut job) = self.load.take() {
            let result = job.wait();
            self.finish_load(&job.source, result);
        }
    }

    /// Shows an extraction made elsewhere, as if it had just been loaded from its folder
    /// (benchmarks feed synthetic folders this way).
    pub fn show_extraction(&mut self, extraction: crate::pipeline::Extraction) {
        let source = Source::Folder(extraction.folder.clone());
        self.finish_load(&source, Ok(Loaded::new(extraction)));
    }

    /// Draws one frame.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_jobs(&ctx);
        let mut commands = Vec::new();
        self.shortcuts(&ctx, &mut commands);
        self.dropped_files(&ctx, &mut commands);
        ctx.set_theme(if self.settings.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.update_title(&ctx);
        let strings = self.settings.language.strings();

        egui::Panel::top("menu_bar").show(ui, |ui| {
            self.menu_bar_ui(ui, strings, &mut commands);
        });
        if let Some(job) = &self.load {
            let what = match &job.source {
                Source::Folder(folder) => folder.display().to_string(),
                Source::Paths(paths) => format!("{} …", paths.len()),
            };
            let status = job.status();
            let cancelling = job.is_cancelled();
            egui::CentralPanel::default().show(ui, |ui| {
                loading::loading_ui(ui, strings, &what, &status, cancelling, &mut commands);
            });
            // Progress comes from another thread; look again shortly.
            ctx.request_repaint_after(Duration::from_millis(50));
        } else if self.workspace.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                start::start_ui(
                    ui,
                    strings,
                    &self.settings.recent_folders,
                    self.message.as_deref(),
                    &mut commands,
                );
            });
        } else {
            self.workspace_ui(ui, strings, &mut commands);
        }
        self.drop_overlay(&ctx, strings);
        for command in commands {
            self.apply(&ctx, command);
        }
    }

    fn workspace_ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &'static Strings,
        commands: &mut Vec<Command>,
    ) {
        let Self {
            settings,
            workspace,
            items_table,
            districts,
            documents,
            source,
            selection,
            message,
            ..
        } = self;
        let Some(workspace) = workspace.as_ref() else {
            return;
        };
        let mut cx = PanelContext {
            workspace,
            strings,
            selection,
            commands,
        };
        items_table.refresh_rows(&cx);
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::status_bar_ui(ui, &cx, items_table.rows().len(), message.as_deref());
        });
        if settings.show_documents {
            egui::Panel::left("documents_panel")
                .resizable(true)
                .default_size(280.0)
                .min_size(180.0)
                .show(ui, |ui| documents.ui(ui, &mut cx));
        }
        let source_width = (ui.available_width() * 0.38).max(300.0);
        egui::Panel::right("source_panel")
            .resizable(true)
            .default_size(source_width)
            .min_size(260.0)
            .show(ui, |ui| {
                ui.heading(strings.source);
                source.ui(ui, &mut cx);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                let items_label = format!("{} ({})", strings.tab_items, items_table.rows().len());
                if ui
                    .selectable_label(settings.tab == Tab::Items, items_label)
                    .clicked()
                {
                    cx.commands.push(Command::ShowTab(Tab::Items));
                }
                let districts_label = format!(
                    "{} ({})",
                    strings.tab_districts,
                    cx.workspace.districts.len()
                );
                if ui
                    .selectable_label(settings.tab == Tab::Districts, districts_label)
                    .clicked()
                {
                    cx.commands.push(Command::ShowTab(Tab::Districts));
                }
            });
            ui.separator();
            match settings.tab {
                Tab::Items => items_table.ui(ui, &mut cx),
                Tab::Districts => {
                    let current = items_table.filter.district.clone();
                    districts.ui(ui, &mut cx, current.as_deref());
                }
            }
        });
    }

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui, strings: &Strings, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(strings.menu_file, |ui| {
                let shortcut = ui.ctx().format_shortcut(&OPEN_SHORTCUT);
                if ui
                    .add(egui::Button::new(strings.open_folder).shortcut_text(shortcut))
                    .clicked()
                {
                    commands.push(Command::PickFolder);
                }
                if ui.button(strings.open_sample).clicked() {
                    commands.push(Command::OpenSample);
                }
                ui.menu_button(strings.recent_folders, |ui| {
                    if self.settings.recent_folders.is_empty() {
                        ui.weak(strings.no_recent);
                    }
                    for folder in &self.settings.recent_folders {
                        if ui.button(folder.display().to_string()).clicked() {
                            commands.push(Command::Open(Source::Folder(folder.clone())));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add_enabled(
                        self.workspace.is_some(),
                        egui::Button::new(strings.close_folder),
                    )
                    .clicked()
                {
                    commands.push(Command::CloseFolder);
                }
                if ui.button(strings.quit).clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button(strings.menu_view, |ui| {
                let mut show_documents = self.settings.show_documents;
                if ui
                    .checkbox(&mut show_documents, strings.documents)
                    .clicked()
                {
                    commands.push(Command::ToggleDocuments);
                }
                let theme_label = if self.settings.dark_mode {
                    strings.theme_light
                } else {
                    strings.theme_dark
                };
                if ui.button(theme_label).clicked() {
                    commands.push(Command::SetDarkMode(!self.settings.dark_mode));
                }
                ui.separator();
                for (step, label) in [
                    (ZoomStep::In, strings.zoom_in),
                    (ZoomStep::Out, strings.zoom_out),
                    (ZoomStep::Reset, strings.zoom_reset),
                ] {
                    if ui.button(label).clicked() {
                        commands.push(Command::Zoom(step));
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

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN_SHORTCUT)) {
            commands.push(Command::PickFolder);
        }
        if self.workspace.is_some() && ctx.input_mut(|i| i.consume_shortcut(&FIND_SHORTCUT)) {
            commands.push(Command::ShowTab(Tab::Items));
            self.items_table.focus_filter();
        }
        // Esc in the filter box is handled by the box; elsewhere it clears the filter too.
        if !ctx.egui_wants_keyboard_input()
            && !self.items_table.filter.text.is_empty()
            && ctx.input(|i| i.key_pressed(Key::Escape))
        {
            self.items_table.filter.text.clear();
        }
    }

    fn dropped_files(&self, ctx: &egui::Context, commands: &mut Vec<Command>) {
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

    /// While files are dragged over the window, say what dropping them does.
    fn drop_overlay(&self, ctx: &egui::Context, strings: &Strings) {
        if ctx.input(|i| i.raw.hovered_files.is_empty()) {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            strings.drop_hint,
            egui::FontId::proportional(20.0),
            egui::Color32::WHITE,
        );
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.workspace {
            Some(workspace) => format!("PolicyLens — {}", workspace.folder.display()),
            None => "PolicyLens".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &self.dialog
            && let Some(choice) = dialog.try_result()
        {
            self.dialog = None;
            if let Some(folder) = choice {
                self.apply(ctx, Command::Open(Source::Folder(folder)));
            }
        }
        if let Some(job) = &mut self.load
            && let Some(result) = job.try_result()
        {
            let source = job.source.clone();
            self.load = None;
            self.finish_load(&source, result);
        }
    }

    fn finish_load(&mut self, source: &Source, result: anyhow::Result<Loaded>) {
        let strings = self.settings.language.strings();
        match result {
            Ok(loaded) if loaded.cancelled => {
                self.message = Some(strings.cancelled.to_owned());
            }
            Ok(Loaded { mut workspace, .. }) => {
                self.generation += 1;
                workspace.generation = self.generation;
                if let Some(folder) = source.folder() {
                    self.settings.remember_folder(&folder);
                }
                self.workspace = Some(workspace);
                self.selection = Selection::default();
                self.items_table.filter.district = None;
                self.items_table.filter.document = None;
                self.message = None;
            }
            Err(err) => {
                self.message = Some(format!("{}: {err:#}", strings.could_not_open));
            }
        }
    }

    /// Carries out one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::PickFolder => {
                if self.dialog.is_some() {
                    return;
                }
                let wake = {
                    let ctx = ctx.clone();
                    move || ctx.request_repaint()
                };
                let title = self.settings.language.strings().open_folder;
                match FolderDialog::spawn(title, self.settings.last_folder.clone(), wake) {
                    Ok(dialog) => self.dialog = Some(dialog),
                    Err(err) => self.message = Some(format!("folder dialog: {err}")),
                }
            }
            Command::Open(source) => {
                if let Some(job) = &self.load {
                    job.cancel();
                }
                let wake = {
                    let ctx = ctx.clone();
                    move || ctx.request_repaint()
                };
                match LoadJob::spawn(source, wake) {
                    Ok(job) => self.load = Some(job),
                    Err(err) => self.message = Some(format!("could not start loading: {err}")),
                }
            }
            Command::OpenSample => match sample_folder() {
                Some(folder) => self.apply(ctx, Command::Open(Source::Folder(folder))),
                None => {
                    self.message = Some(format!(
                        "{}: sample_data",
                        self.settings.language.strings().could_not_open
                    ));
                }
            },
            Command::CancelLoad => {
                if let Some(job) = &self.load {
                    job.cancel();
                }
            }
            Command::CloseFolder => {
                self.workspace = None;
                self.selection = Selection::default();
            }
            Command::SelectItem { item, reveal } => {
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if item < workspace.items.len() {
                    self.selection.item = Some(item);
                    self.selection.document = Some(workspace.document_of_item[item] as usize);
                    if reveal {
                        self.items_table.reveal_selection();
                    }
                }
            }
            Command::SelectDocument(index) => {
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if let Some(document) = workspace.documents.get(index) {
                    self.selection.document = Some(index);
                    self.selection.item = None;
                    self.items_table.filter.document = Some(document.file.clone());
                }
            }
            Command::FilterDistrict(district) => self.items_table.filter.district = district,
            Command::FilterDocument(document) => self.items_table.filter.document = document,
            Command::ShowTab(tab) => self.settings.tab = tab,
            Command::SetLanguage(language) => self.settings.language = language,
            Command::SetDarkMode(dark) => self.settings.dark_mode = dark,
            Command::ToggleDocuments => {
                self.settings.show_documents = !self.settings.show_documents;
            }
            Command::Zoom(step) => {
                let zoom = match step {
                    ZoomStep::In => (ctx.zoom_factor() + 0.1).min(3.0),
                    ZoomStep::Out => (ctx.zoom_factor() - 0.1).max(0.5),
                    ZoomStep::Reset => 1.0,
                };
                ctx.set_zoom_factor(zoom);
            }
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn settings_for_saving(&self) -> Settings {
        let mut settings = self.settings.clone();
        settings.item_sort = self.items_table.sort;
        settings.district_sort = self.districts.sort;
        settings.item_filter = self.items_table.filter.clone();
        settings.for_saving()
    }
}

impl eframe::App for PolicyLensApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings_for_saving());
    }
}

/// Fonts and style on a fresh context (the app and the UI tests share it).
pub fn setup_context(ctx: &egui::Context) {
    theme::install_fonts(ctx);
    theme::apply_style(ctx);
}

/// Where the sample articles are: beside the executable (an installed copy), in the
/// working directory, or in the source tree the binary was built from.
pub fn sample_folder() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        candidates.push(dir.join("sample_data"));
    }
    candidates.push(PathBuf::from("sample_data"));
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data"));
    candidates.into_iter().find(|c| c.is_dir())
}
