//! The app shell: restores settings, polls background jobs, lays out the panels and
//! applies the commands they emit after each frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Key, Modifiers};

use super::command::{Command, ExportWhat, Extend, ZoomStep};
use super::folder_watch::{FolderNotice, FolderWatch};
use super::i18n::{Language, Strings};
use super::insights::Insights;
use super::jobs::{AfterLoadJob, Dialog, LoadJob, Loaded, RanksJob, Source, ThemesJob};
use super::menu::{self, MenuState};
use super::panels::charts::ChartsPanel;
use super::panels::districts::DistrictsPanel;
use super::panels::documents::DocumentsPanel;
use super::panels::inspector::Inspector;
use super::panels::items_table::ItemsTable;
use super::panels::projects::ProjectsPanel;
use super::panels::source_view::SourceView;
use super::panels::{PanelContext, Selection, loading, start, status_bar};
use super::review::Review;
use super::state::{Settings, Tab};
use super::theme;
use super::workspace::Workspace;
use crate::pipeline::FolderChanges;

const TAG_KEYS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

pub struct PolicyLensApp {
    /// *Help → Keyboard shortcuts* is open.
    show_shortcuts: bool,
    /// Answers for the file dialogs, in order, instead of showing them (tests drive the
    /// menus this way; the native dialog cannot be clicked headless).
    scripted_dialog_answers: Option<std::collections::VecDeque<Option<PathBuf>>>,
    /// Closing was asked for while changes could not be saved: the prompt is showing.
    quit_prompt: bool,
    /// The analyst chose to quit without saving.
    quit_confirmed: bool,
    settings: Settings,
    workspace: Option<Workspace>,
    review: Option<Review>,
    load: Option<LoadJob>,
    themes_job: Option<ThemesJob>,
    /// The workspace generation themes were last started for (once per folder).
    themes_started: Option<u64>,
    ranks_job: Option<RanksJob>,
    /// The workspace generation sort ranks were last started for.
    ranks_started: Option<u64>,
    /// Where a requested chart screenshot is written; the result comes back here.
    chart_png: Option<std::sync::mpsc::Receiver<Result<PathBuf, String>>>,
    dialog: Option<Dialog>,
    export_dialog: Option<(ExportWhat, Dialog)>,
    /// The file last exported, for "Open folder".
    last_export: Option<PathBuf>,
    inspector: Inspector,
    tag_manager: Option<Vec<crate::annotate::Tag>>,
    /// A tag whose deletion waits for the analyst's confirmation.
    confirm_delete_tag: Option<u32>,
    show_orphans: bool,
    /// Where "Open sample articles" opens.
    sample_folder: Option<PathBuf>,
    /// A manual item just added, to select once the workspace holds it.
    pending_manual_selection: Option<String>,
    /// The (folder load, annotation) generations the manual items were last synced at.
    manual_items_synced: Option<(u64, u64)>,
    items_table: ItemsTable,
    districts: DistrictsPanel,
    charts: ChartsPanel,
    projects: ProjectsPanel,
    insights: Insights,
    documents: DocumentsPanel,
    source: SourceView,
    selection: Selection,
    /// The latest message for the analyst (a failed open, a cancelled load).
    message: Option<String>,
    /// The watch on the open folder (none for dropped files).
    folder_watch: Option<FolderWatch>,
    /// What happened to the open folder on disk, shown above the workspace.
    folder_notice: Option<FolderNotice>,
    /// The context, so background threads started outside a frame can wake the UI.
    repaint: Option<egui::Context>,
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
            show_shortcuts: false,
            scripted_dialog_answers: None,
            quit_prompt: false,
            quit_confirmed: false,
            items_table: ItemsTable::new(settings.item_filter.clone(), settings.item_sort),
            districts: DistrictsPanel::new(settings.district_sort),
            charts: ChartsPanel::default(),
            projects: ProjectsPanel::default(),
            insights: Insights::default(),
            documents: DocumentsPanel,
            source: SourceView::default(),
            selection: Selection::default(),
            workspace: None,
            review: None,
            load: None,
            themes_job: None,
            themes_started: None,
            ranks_job: None,
            ranks_started: None,
            chart_png: None,
            dialog: None,
            export_dialog: None,
            last_export: None,
            inspector: Inspector::default(),
            tag_manager: None,
            confirm_delete_tag: None,
            show_orphans: false,
            sample_folder: sample_folder(),
            pending_manual_selection: None,
            manual_items_synced: None,
            message: None,
            folder_watch: None,
            folder_notice: None,
            repaint: None,
            generation: 0,
            title: String::new(),
            settings,
        }
    }

    /// Makes "Open sample articles" open `folder` (tests use a scratch copy).
    pub fn with_sample_folder(mut self, folder: PathBuf) -> PolicyLensApp {
        self.sample_folder = Some(folder);
        self
    }

    /// Answers the next file dialogs with these paths (`None`: cancelled) instead of
    /// showing them, so tests can reach commands through the menus.
    #[doc(hidden)]
    pub fn answer_dialogs_with(&mut self, answers: Vec<Option<PathBuf>>) {
        self.scripted_dialog_answers = Some(answers.into());
    }

    pub fn workspace(&self) -> Option<&Workspace> {
        self.workspace.as_ref()
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn review(&self) -> Option<&Review> {
        self.review.as_ref()
    }

    /// Saves pending annotation changes and waits for the write (tests, exit).
    pub fn flush_annotations(&mut self) {
        if let Some(review) = &mut self.review {
            review.flush();
        }
    }

    /// The items shown in the table, in display order.
    pub fn shown_items(&self) -> &[u32] {
        self.items_table.rows()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The items table's filter, which the charts and the projects view follow.
    pub fn items_filter(&self) -> &crate::table::ItemFilter {
        &self.items_table.filter
    }

    pub fn items_filter_mut(&mut self) -> &mut crate::table::ItemFilter {
        &mut self.items_table.filter
    }

    /// The charts panel (tests click its bars).
    pub fn charts(&self) -> &ChartsPanel {
        &self.charts
    }

    /// Chart data over the items table's rows, as last drawn.
    pub fn insights(&self) -> &Insights {
        &self.insights
    }

    /// Blocks until the district themes of the open folder are ready (tests).
    pub fn wait_for_themes(&mut self) {
        collect_job(
            &mut self.themes_job,
            self.workspace.as_mut(),
            Block::Wait,
            |w, t| {
                w.themes = t;
            },
        );
    }

    /// Blocks until the jobs that start once a folder is shown (sort ranks, themes, the
    /// folder watch) are done, so that no background thread wakes the UI later (tests).
    /// Run one frame after the load first: the jobs start in a frame.
    pub fn wait_for_background(&mut self) {
        self.wait_for_themes();
        collect_job(
            &mut self.ranks_job,
            self.workspace.as_mut(),
            Block::Wait,
            |w, r| {
                w.ranks = r;
            },
        );
        if let Some(watch) = &mut self.folder_watch {
            watch.wait_until_watching();
        }
    }

    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// Blocks until a running load has finished and takes its result in, as a frame
    /// would. Tests use it to open folders synchronously through the real job.
    /// What the app says about the open folder changing or disappearing.
    pub fn folder_notice(&self) -> Option<&FolderNotice> {
        self.folder_notice.as_ref()
    }

    pub fn folder_watch(&self) -> Option<&FolderWatch> {
        self.folder_watch.as_ref()
    }

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
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
        self.poll_jobs(&ctx);
        self.guard_close(&ctx);
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
        if self.workspace.is_some() && self.load.is_none() {
            self.folder_notice_ui(ui, strings, &mut commands);
        }
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
        self.tag_manager_window(&ctx, strings, &mut commands);
        self.orphans_window(&ctx, strings);
        if self.show_shortcuts {
            let state = self.menu_state();
            menu::shortcuts_window(&ctx, strings, &state, &mut self.show_shortcuts);
        }
        self.drop_overlay(&ctx, strings);
        for command in commands {
            self.apply(&ctx, command);
        }
        self.sync_manual_items(&ctx);
        let focus_lost = ctx.input(|i| i.viewport().focused) == Some(false);
        if let Some(review) = &mut self.review {
            if focus_lost {
                review.save_pending();
            }
            if let Some(wait) = review.tick() {
                ctx.request_repaint_after(wait);
            }
        }
    }

    /// Closing (File → Quit, the window's close button) never discards changes that
    /// could not be saved without asking.
    fn guard_close(&mut self, ctx: &egui::Context) {
        let strings = self.settings.language.strings();
        if ctx.input(|i| i.viewport().close_requested())
            && !self.quit_confirmed
            && self
                .review
                .as_mut()
                .is_some_and(Review::would_lose_work_on_close)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.quit_prompt = true;
        }
        if !self.quit_prompt {
            return;
        }
        let error = self
            .review
            .as_ref()
            .and_then(|r| r.save_error.clone().or_else(|| r.read_only.clone()))
            .unwrap_or_default();
        egui::Modal::new(egui::Id::unique("quit-unsaved")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(strings.quit_unsaved_title);
            ui.add_space(6.0);
            ui.label(strings.quit_unsaved_body);
            ui.add_space(4.0);
            ui.weak(error);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(strings.keep_open).clicked() {
                    self.quit_prompt = false;
                }
                if ui.button(strings.quit_anyway).clicked() {
                    self.quit_prompt = false;
                    self.quit_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }

    /// Keeps the workspace's manual items in step with the annotations (added, undone,
    /// corrected), and selects a just-added one.
    fn sync_manual_items(&mut self, ctx: &egui::Context) {
        let (Some(workspace), Some(review)) = (&mut self.workspace, &mut self.review) else {
            return;
        };
        // Only annotation changes (or a new folder) can change the manual items.
        let key = (self.generation, review.generation);
        if self.manual_items_synced == Some(key) {
            return;
        }
        if let Some(attached) = workspace.sync_manual_items(&review.annotations, &review.orphans) {
            let first_manual = workspace.extracted_items;
            review.attach_manual_items(first_manual, attached);
            let count = workspace.items.len();
            self.selection.items.retain(|&i| i < count);
            if self.selection.item.is_some_and(|i| i >= count) {
                self.selection.item = None;
            }
            ctx.request_repaint();
        }
        self.manual_items_synced = Some((self.generation, review.generation));
        if let Some(id) = self.pending_manual_selection.take()
            && let Some(workspace) = &self.workspace
            && let Some(index) = workspace.items.iter().rposition(|i| i.id == id)
        {
            self.apply(
                ctx,
                Command::SelectItem {
                    item: index,
                    reveal: true,
                    extend: Extend::Replace,
                },
            );
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
            review,
            items_table,
            districts,
            charts,
            projects,
            insights,
            documents,
            source,
            inspector,
            selection,
            message,
            last_export,
            ..
        } = self;
        let (Some(workspace), Some(review)) = (workspace.as_ref(), review.as_ref()) else {
            return;
        };
        let mut cx = PanelContext {
            workspace,
            review,
            strings,
            selection,
            commands,
        };
        items_table.refresh_rows(&cx);
        if matches!(settings.tab, Tab::Charts | Tab::Projects) {
            insights.refresh(
                workspace,
                review,
                items_table.rows(),
                items_table.rows_version(),
            );
        }
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::status_bar_ui(
                ui,
                &mut cx,
                items_table.rows().len(),
                message.as_deref(),
                last_export.is_some(),
            );
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
                egui::Panel::bottom("inspector_panel")
                    .resizable(true)
                    .default_size(330.0)
                    .min_size(120.0)
                    .show(ui, |ui| {
                        // Filling the panel keeps its height from following the content.
                        egui::ScrollArea::vertical()
                            .id_salt("inspector_scroll")
                            .auto_shrink([false, false])
                            .show(ui, |ui| inspector.ui(ui, &mut cx));
                    });
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
                for (tab, label) in [
                    (Tab::Charts, strings.tab_charts),
                    (Tab::Projects, strings.tab_projects),
                ] {
                    if ui.selectable_label(settings.tab == tab, label).clicked() {
                        cx.commands.push(Command::ShowTab(tab));
                    }
                }
            });
            ui.separator();
            match settings.tab {
                Tab::Items => items_table.ui(ui, &mut cx),
                Tab::Districts => {
                    let current = items_table.filter.district.clone();
                    districts.ui(ui, &mut cx, current.as_deref());
                }
                Tab::Charts => charts.ui(ui, &mut cx, insights),
                Tab::Projects => projects.ui(ui, &mut cx, insights),
            }
        });
    }

    /// What the command table needs to label and enable the menu entries.
    fn menu_state(&self) -> MenuState {
        let review = self.review.as_ref();
        MenuState {
            has_folder: self.workspace.is_some(),
            can_undo: review.is_some_and(Review::can_undo),
            can_redo: review.is_some_and(Review::can_redo),
            show_documents: self.settings.show_documents,
            dark_mode: self.settings.dark_mode,
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui, strings: &Strings, commands: &mut Vec<Command>) {
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

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        commands.extend(menu::shortcut_commands(ctx, &self.menu_state()));
        // Keys 1–9 toggle the tags of the selected rows (listed in the shortcuts help).
        if !ctx.egui_wants_keyboard_input()
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
        if let Some(receiver) = &self.chart_png
            && let Ok(result) = receiver.try_recv()
        {
            self.chart_png = None;
            let strings = self.settings.language.strings();
            match result {
                Ok(path) => {
                    self.message = Some(format!("{} → {}", strings.chart_saved, path.display()));
                    self.last_export = Some(path);
                }
                Err(err) => self.message = Some(err),
            }
        }
        collect_job(
            &mut self.themes_job,
            self.workspace.as_mut(),
            Block::No,
            |w, t| {
                w.themes = t;
            },
        );
        collect_job(
            &mut self.ranks_job,
            self.workspace.as_mut(),
            Block::No,
            |w, r| {
                w.ranks = r;
            },
        );
        if let Some(workspace) = &self.workspace
            && workspace.ranks.is_none()
            && self.ranks_started != Some(workspace.generation)
        {
            self.ranks_started = Some(workspace.generation);
            let wake = {
                let ctx = ctx.clone();
                move || ctx.request_repaint()
            };
            self.ranks_job = RanksJob::ranks(workspace, wake).ok();
        }
        if self.themes_job.is_none()
            && let Some(workspace) = &self.workspace
            && workspace.themes.is_none()
            && self.themes_started != Some(workspace.generation)
        {
            let wake = {
                let ctx = ctx.clone();
                move || ctx.request_repaint()
            };
            self.themes_started = Some(workspace.generation);
            match ThemesJob::themes(workspace, wake) {
                Ok(job) => self.themes_job = Some(job),
                Err(err) => self.message = Some(format!("could not start the themes job: {err}")),
            }
        }
        if let Some(dialog) = &self.dialog
            && let Some(choice) = dialog.try_result()
        {
            self.dialog = None;
            if let Some(folder) = choice {
                self.apply(ctx, Command::Open(Source::Folder(folder)));
            }
        }
        if let Some((what, dialog)) = &self.export_dialog
            && let Some(choice) = dialog.try_result()
        {
            let what = *what;
            self.export_dialog = None;
            if let Some(path) = choice {
                self.apply(ctx, Command::Export { what, path });
            }
        }
        if let Some(job) = &mut self.load
            && let Some(result) = job.try_result()
        {
            let source = job.source.clone();
            self.load = None;
            self.finish_load(&source, result);
        }
        self.poll_folder(ctx);
    }

    /// The banner about the folder changing on disk or disappearing.
    fn folder_notice_ui(
        &mut self,
        ui: &mut egui::Ui,
        strings: &Strings,
        commands: &mut Vec<Command>,
    ) {
        let Some(notice) = &self.folder_notice else {
            return;
        };
        let mut dismissed = false;
        egui::Panel::top("folder_notice").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let dark = ui.visuals().dark_mode;
                match notice {
                    FolderNotice::Changed { changes, orphans } => {
                        ui.label(strings.changed_on_disk);
                        for (files, label) in [
                            (&changes.added, strings.files_added),
                            (&changes.changed, strings.files_changed),
                            (&changes.removed, strings.files_removed),
                        ] {
                            if !files.is_empty() {
                                ui.strong(format!("{} {label}", files.len()))
                                    .on_hover_text(files.join("\n"));
                            }
                        }
                        ui.label(strings.re_extracted);
                        if *orphans > 0 {
                            let text = format!("{orphans} {}", strings.orphaned_after_change);
                            if ui
                                .link(egui::RichText::new(text).color(theme::warning_color(dark)))
                                .clicked()
                            {
                                commands.push(Command::ShowOrphans);
                            }
                        }
                    }
                    FolderNotice::Gone { rescued } => {
                        let color = theme::error_color(dark);
                        ui.label(egui::RichText::new(strings.folder_gone).color(color));
                        match rescued {
                            Ok(path) => {
                                ui.label(strings.annotations_rescued);
                                ui.strong(path.display().to_string());
                            }
                            Err(err) => {
                                ui.label(
                                    egui::RichText::new(strings.annotations_not_rescued)
                                        .color(color),
                                );
                                ui.label(err);
                            }
                        }
                    }
                    FolderNotice::NotWatching(reason) => {
                        ui.label(strings.not_watching).on_hover_text(reason);
                    }
                }
                if !matches!(notice, FolderNotice::Gone { .. })
                    && ui.small_button(strings.dismiss).clicked()
                {
                    dismissed = true;
                }
            });
        });
        if dismissed {
            self.folder_notice = None;
        }
    }

    /// Picks up files changed on disk, and notices the folder disappearing.
    fn poll_folder(&mut self, ctx: &egui::Context) {
        let Some(watch) = &mut self.folder_watch else {
            return;
        };
        if let Some(problem) = watch.watch_problem() {
            self.folder_notice = Some(FolderNotice::NotWatching(problem));
        }
        if let Some(refreshed) = watch.try_refreshed() {
            match refreshed {
                Ok((workspace, changes)) if !changes.is_empty() => {
                    self.apply_refresh(workspace, changes);
                }
                Ok(_) => {}
                // A gone folder is handled below; anything else is worth saying.
                Err(err) => {
                    if !watch.is_gone() {
                        self.message = Some(err.to_string());
                    }
                }
            }
        }
        let Some(watch) = &mut self.folder_watch else {
            return;
        };
        if watch.is_gone() {
            if !watch.lost {
                watch.stop();
                let rescued = match &mut self.review {
                    Some(review) => review.rescue(),
                    None => Err("no annotations were open".to_owned()),
                };
                self.folder_notice = Some(FolderNotice::Gone { rescued });
            }
            return;
        }
        if let Some(workspace) = &self.workspace {
            let wake = {
                let ctx = ctx.clone();
                move || ctx.request_repaint()
            };
            if watch.poll_changes(workspace, wake) {
                // Changes settle on a timer, not on an event; look again shortly.
                ctx.request_repaint_after(Duration::from_millis(150));
            }
        }
    }

    /// Shows the re-extracted workspace: annotations follow their items, the selection
    /// stays on the same item when it still exists.
    fn apply_refresh(&mut self, mut workspace: Workspace, changes: FolderChanges) {
        let Some(old) = &self.workspace else {
            return;
        };
        let selected_id = self.selection.item.map(|i| old.items[i].id.clone());
        let selected_file = self
            .selection
            .document
            .map(|d| old.documents[d].file.clone());
        self.generation += 1;
        workspace.generation = self.generation;
        let changed: BTreeSet<&str> = changes.files().collect();
        let orphans_before = self.review.as_ref().map_or(0, |r| r.orphans.len());
        let orphans_now = match &mut self.review {
            Some(review) => review.reattach(&workspace.items, &workspace.documents, &changed),
            None => 0,
        };
        self.selection = Selection::default();
        if let Some(id) = selected_id
            && let Some(index) = workspace.items.iter().position(|i| i.id == id)
        {
            self.selection.item = Some(index);
            self.selection.items.insert(index);
        }
        self.selection.document =
            selected_file.and_then(|f| workspace.document_by_file.get(&f).copied());
        if self.selection.item.is_some() {
            self.selection.document = self
                .selection
                .item
                .map(|i| workspace.document_of_item[i] as usize);
        }
        self.themes_job = None;
        self.manual_items_synced = None;
        self.workspace = Some(workspace);
        self.folder_notice = Some(FolderNotice::Changed {
            changes,
            orphans: orphans_now.saturating_sub(orphans_before),
        });
    }

    /// Drops everything that belongs to the open folder, in one place: its workspace,
    /// its annotations (saving what is pending), its watch and background jobs (their
    /// threads end), the selection, the folder's filters and the windows about it.
    fn forget_folder(&mut self) {
        self.review = None;
        self.workspace = None;
        self.folder_watch = None;
        self.folder_notice = None;
        self.themes_job = None;
        self.themes_started = None;
        self.ranks_job = None;
        self.ranks_started = None;
        self.selection = Selection::default();
        self.pending_manual_selection = None;
        self.manual_items_synced = None;
        self.tag_manager = None;
        self.confirm_delete_tag = None;
        self.show_orphans = false;
        self.insights = Insights::default();
        self.source = SourceView::default();
        self.inspector = Inspector::default();
        let filter = &mut self.items_table.filter;
        filter.district = None;
        filter.document = None;
        filter.month = None;
        filter.tag = None;
    }

    fn finish_load(&mut self, source: &Source, result: anyhow::Result<Loaded>) {
        let strings = self.settings.language.strings();
        let wake = {
            let ctx = self.repaint.clone();
            move || {
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            }
        };
        match result {
            Ok(loaded) if loaded.cancelled => {
                self.message = Some(strings.cancelled.to_owned());
            }
            Ok(Loaded {
                mut workspace,
                review,
                ..
            }) => {
                self.forget_folder();
                self.folder_watch = source
                    .folder()
                    .map(|folder| FolderWatch::start(&folder, wake));
                self.generation += 1;
                workspace.generation = self.generation;
                if let Some(folder) = source.folder() {
                    self.settings.remember_folder(&folder);
                }
                // Dropping the previous folder's review saves what is pending.
                self.review = review;
                self.workspace = Some(workspace);
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
                if let Some(answers) = &mut self.scripted_dialog_answers {
                    self.dialog = Some(Dialog::answered(answers.pop_front().flatten()));
                    return;
                }
                match Dialog::pick_folder(title, self.settings.last_folder.clone(), wake) {
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
            Command::OpenSample => match self.sample_folder.clone() {
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
            Command::CloseFolder => self.forget_folder(),
            Command::SelectItem {
                item,
                reveal,
                extend,
            } => {
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if item >= workspace.items.len() {
                    return;
                }
                match extend {
                    Extend::Replace => self.selection.items = [item].into(),
                    Extend::Toggle => {
                        if !self.selection.items.remove(&item) {
                            self.selection.items.insert(item);
                        }
                    }
                    Extend::Range => {
                        let rows = self.items_table.rows();
                        let position =
                            |target: usize| rows.iter().position(|&r| r as usize == target);
                        let anchor = self.selection.item.and_then(position);
                        match (anchor, position(item)) {
                            (Some(a), Some(b)) => {
                                let (from, to) = (a.min(b), a.max(b));
                                self.selection.items =
                                    rows[from..=to].iter().map(|&r| r as usize).collect();
                            }
                            _ => self.selection.items = [item].into(),
                        }
                    }
                }
                if extend != Extend::Range {
                    self.selection.item = Some(item);
                }
                if self.selection.items.is_empty() {
                    self.selection.item = None;
                }
                self.selection.document = Some(workspace.document_of_item[item] as usize);
                if let Some(review) = &mut self.review {
                    review.end_typing();
                }
                if reveal {
                    self.items_table.reveal_selection();
                }
            }
            Command::SelectDocument(index) => {
                let Some(workspace) = &self.workspace else {
                    return;
                };
                if let Some(document) = workspace.documents.get(index) {
                    self.selection.document = Some(index);
                    self.selection.item = None;
                    self.selection.items.clear();
                    self.items_table.filter.document = Some(document.file.clone());
                }
            }
            Command::FilterDistrict(district) => self.items_table.filter.district = district,
            Command::FilterDocument(document) => self.items_table.filter.document = document,
            Command::FilterMonth(month) => self.items_table.filter.month = month,
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
            Command::ShowKeyboardShortcuts => self.show_shortcuts = true,
            Command::Quit => {
                if !self.quit_confirmed
                    && self
                        .review
                        .as_mut()
                        .is_some_and(Review::would_lose_work_on_close)
                {
                    self.quit_prompt = true;
                } else {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Command::Export {
                what: ExportWhat::ChartPng,
                path,
            } => self.save_chart_png(ctx, path),
            command => self.apply_review(ctx, command),
        }
    }

    /// Asks for a screenshot of the next frame and writes the chart's part of it to
    /// `path` as PNG (on the thread that delivers the screenshot).
    fn save_chart_png(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(rect) = self.charts.chart_rect else {
            return;
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        self.chart_png = Some(receiver);
        let pixels_per_point = ctx.pixels_per_point();
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            let chart = image.region(&rect, Some(pixels_per_point));
            let result = super::export::write_png(&chart, &path)
                .map(|()| path)
                .map_err(|err| format!("{err:#}"));
            let _ = sender.send(result);
            wake.request_repaint();
        });
        ctx.request_repaint();
    }

    /// Carries out a command on the annotations.
    fn apply_review(&mut self, ctx: &egui::Context, command: Command) {
        let (Some(workspace), Some(review)) = (&self.workspace, &mut self.review) else {
            return;
        };
        let items = &workspace.items;
        let strings = self.settings.language.strings();
        match command {
            Command::ToggleTag(tag) => {
                let selected: Vec<usize> = self.selection.items.iter().copied().collect();
                if !selected.is_empty() {
                    review.toggle_tag(&selected, items, tag);
                }
            }
            Command::TypeNote { item, text } => review.type_note(item, items, &text),
            Command::EndTyping => review.end_typing(),
            Command::SetRejected { item, rejected } => {
                review.edit_item(item, items, |note| note.rejected = rejected);
            }
            Command::CorrectDistrict { item, district } => {
                review.edit_item(item, items, |note| note.district = district);
            }
            Command::SetProjectGroup {
                items: chosen,
                group,
            } => {
                review.set_project_group(&chosen, items, group);
            }
            Command::CorrectKind { item, kind } => {
                let kind = kind.filter(|k| *k != items[item].kind);
                review.edit_item(item, items, |note| note.kind = kind);
            }
            Command::CorrectAmount { item, amount_yuan } => {
                review.edit_item(item, items, |note| note.amount_yuan = amount_yuan);
            }
            Command::DocumentNote { file, text } => review.set_document_note(&file, &text),
            Command::AddManualItem {
                document,
                start,
                end,
                kind,
            } => {
                let Some(doc) = workspace.documents.get(document) else {
                    return;
                };
                let text: String = doc.text.chars().skip(start).take(end - start).collect();
                if text.trim().is_empty() {
                    return;
                }
                let id = review.add_manual_item(crate::annotate::Anchor {
                    file: doc.file.clone(),
                    kind,
                    text,
                    start,
                    end,
                });
                self.pending_manual_selection = Some(id);
            }
            Command::SetTags(tags) => review.set_tags(tags),
            Command::Undo => {
                review.undo();
            }
            Command::Redo => {
                review.redo();
            }
            Command::RestoreBackup => {
                if let Err(err) = review.restore_backup(items) {
                    self.message = Some(err);
                }
            }
            Command::ShowTagManager => self.tag_manager = Some(review.annotations.tags.clone()),
            Command::ShowOrphans => self.show_orphans = true,
            Command::FindInItems => {
                self.settings.tab = Tab::Items;
                self.items_table.focus_filter();
            }
            Command::PickExportPath(what) => {
                if self.export_dialog.is_some() {
                    return;
                }
                let wake = {
                    let ctx = ctx.clone();
                    move || ctx.request_repaint()
                };
                let name = match what {
                    ExportWhat::Districts => "districts.csv",
                    ExportWhat::Projects => "projects.csv",
                    ExportWhat::ChartPng => "chart.png",
                    ExportWhat::ShownItems | ExportWhat::AllItems => "notes.csv",
                };
                let start_in = self
                    .last_export
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .or_else(|| Some(workspace.folder.clone()));
                let png = what == ExportWhat::ChartPng;
                if let Some(answers) = &mut self.scripted_dialog_answers {
                    let answer = answers.pop_front().flatten();
                    self.export_dialog = Some((what, Dialog::answered(answer)));
                    return;
                }
                match Dialog::save_export(strings.exported, name, png, start_in, wake) {
                    Ok(dialog) => self.export_dialog = Some((what, dialog)),
                    Err(err) => self.message = Some(format!("save dialog: {err}")),
                }
            }
            Command::Export { what, path } => {
                let rows: Vec<usize> = match what {
                    ExportWhat::ShownItems => self
                        .items_table
                        .rows()
                        .iter()
                        .map(|&r| r as usize)
                        .collect(),
                    _ => (0..items.len()).collect(),
                };
                let groups = &self.insights.groups;
                match super::export::write(workspace, review, what, &rows, groups, &path) {
                    Ok(count) => {
                        self.message =
                            Some(format!("{} {count} → {}", strings.exported, path.display()));
                        self.last_export = Some(path);
                    }
                    Err(err) => self.message = Some(format!("{err:#}")),
                }
            }
            Command::OpenExportFolder => {
                if let Some(folder) = self.last_export.as_ref().and_then(|p| p.parent()) {
                    open_in_file_manager(folder);
                }
            }
            _ => {}
        }
    }

    fn tag_manager_window(
        &mut self,
        ctx: &egui::Context,
        strings: &Strings,
        commands: &mut Vec<Command>,
    ) {
        let Some(draft) = &mut self.tag_manager else {
            return;
        };
        let Some(review) = &self.review else {
            self.tag_manager = None;
            return;
        };
        let mut open = true;
        let mut close = false;
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
                            ui.add(egui::TextEdit::singleline(&mut tag.name).desired_width(200.0))
                                .on_hover_text(format!("{}", position + 1));
                            if ui.button(strings.delete).clicked() {
                                delete = Some(tag.id);
                            }
                            ui.end_row();
                        }
                    });
                if let Some(id) = delete {
                    if review.tag_uses(id) > 0 {
                        self.confirm_delete_tag = Some(id);
                    } else {
                        draft.retain(|t| t.id != id);
                    }
                }
                if let Some(id) = self.confirm_delete_tag {
                    ui.separator();
                    ui.label(format!(
                        "{} {}",
                        review.tag_uses(id),
                        strings.delete_tag_confirm
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(strings.delete).clicked() {
                            draft.retain(|t| t.id != id);
                            self.confirm_delete_tag = None;
                        }
                        if ui.button(strings.cancel).clicked() {
                            self.confirm_delete_tag = None;
                        }
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(strings.add_tag).clicked() {
                        let id = draft.iter().map(|t| t.id).max().unwrap_or(0) + 1;
                        draft.push(crate::annotate::Tag {
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
            self.tag_manager = None;
            self.confirm_delete_tag = None;
        }
    }

    fn orphans_window(&mut self, ctx: &egui::Context, strings: &Strings) {
        if !self.show_orphans {
            return;
        }
        let Some(review) = &self.review else {
            return;
        };
        let mut open = true;
        egui::Window::new(strings.orphans_title)
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.weak(strings.orphaned_tip);
                egui::ScrollArea::vertical()
                    .max_height(400.0)
                    .show(ui, |ui| {
                        for id in &review.orphans {
                            let Some(note) = review.annotations.items.get(id) else {
                                continue;
                            };
                            ui.horizontal_wrapped(|ui| {
                                theme::kind_chip(
                                    ui,
                                    note.anchor.kind,
                                    strings.kind(note.anchor.kind),
                                );
                                ui.label(format!("«{}»", note.anchor.text));
                                ui.weak(format!(
                                    "{} {}–{}",
                                    note.anchor.file, note.anchor.start, note.anchor.end
                                ));
                                ui.label(review.annotations.tag_names(note));
                                ui.label(&note.note);
                            });
                        }
                    });
            });
        self.show_orphans = open;
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

/// Shows a folder in the desktop's file manager.
/// Whether [`collect_job`] waits for a job still running (tests) or leaves it be.
#[derive(Clone, Copy, PartialEq)]
enum Block {
    No,
    Wait,
}

/// Puts a finished after-load job's result into the workspace it was for; the job's
/// slot empties once it is over.
fn collect_job<T: Send + 'static>(
    job: &mut Option<AfterLoadJob<T>>,
    workspace: Option<&mut Workspace>,
    block: Block,
    put: impl FnOnce(&mut Workspace, Option<T>),
) {
    let result = match (job.as_ref(), block) {
        (None, _) => None,
        (Some(job), Block::No) => job.try_result(),
        (Some(job), Block::Wait) => Some(job.wait()),
    };
    let Some(result) = result else {
        return;
    };
    let generation = job.take().map(|j| j.generation);
    if let Some(workspace) = workspace
        && Some(workspace.generation) == generation
    {
        put(workspace, result);
    }
}

fn open_in_file_manager(folder: &Path) {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    // Best effort: without a file manager the path is still in the status bar.
    let _ = std::process::Command::new(program).arg(folder).spawn();
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
