//! The app shell: restores settings, polls background jobs, lays out the panels and
//! applies the commands they emit after each frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Key, Modifiers};

use super::command::{Command, ExportWhat, Extend, ZoomStep};
use super::folder_watch::{FolderNotice, FolderWatch, Refresh};
use super::i18n::{Language, Strings};
use super::insights::Insights;
use super::jobs::{
    AfterLoadJob, Dialog, DialogAnswer, LoadJob, Loaded, RanksJob, Source, ThemesJob,
};
use super::menu::{self, MenuState};
use super::panels::charts::ChartsPanel;
use super::panels::districts::DistrictsPanel;
use super::panels::documents::DocumentsPanel;
use super::panels::file_chooser::{ChooserPurpose, FileChooser};
use super::panels::inspector::Inspector;
use super::panels::items_table::ItemsTable;
use super::panels::lexicon_window::LexiconWindow;
use super::panels::orphans::OrphansWindow;
use super::panels::projects::ProjectsPanel;
use super::panels::search::SearchPanel;
use super::panels::source_view::SourceView;
use super::panels::tag_manager::TagManager;
use super::panels::{PanelContext, Selection, loading, start, status_bar};
use super::review::Review;
use super::state::{Settings, Tab};
use super::theme;
use super::workspace::Workspace;

mod background;
mod commands;
mod frame;
#[cfg(any(test, feature = "testing"))]
mod hooks;
mod menus;

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
    /// Keys 1–9 tag the selected rows: set by selecting a row, cleared by any other click.
    rows_have_keys: bool,
    /// *Help → Keyboard shortcuts* is open.
    show_shortcuts: bool,
    show_about: bool,
    /// Answers for the file dialogs, in order, instead of showing them (tests drive the
    /// menus this way; the native dialog cannot be clicked headless).
    scripted_dialog_answers: Option<std::collections::VecDeque<DialogAnswer>>,
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
    /// PolicyLens's own chooser, when no system dialog could be shown.
    file_chooser: Option<FileChooser>,
    /// The file last exported, for "Open folder".
    last_export: Option<PathBuf>,
    inspector: Inspector,
    tag_manager: TagManager,
    orphans: OrphansWindow,
    /// Where "Open sample articles" opens.
    sample_folder: Option<PathBuf>,
    /// The user's own lexicon, which applies to every folder (none when there is no
    /// user data directory).
    user_lexicon: Option<PathBuf>,
    /// A manual item just added, to select once the workspace holds it.
    pending_manual_selection: Option<String>,
    /// The (folder load, annotation) generations the manual items were last synced at.
    manual_items_synced: Option<(u64, u64)>,
    items_table: ItemsTable,
    districts: DistrictsPanel,
    charts: ChartsPanel,
    projects: ProjectsPanel,
    search: SearchPanel,
    insights: Insights,
    documents: DocumentsPanel,
    source: SourceView,
    selection: Selection,
    /// The latest message for the analyst (a failed open, a cancelled load).
    message: Option<String>,
    /// The watch on the open folder (none for dropped files).
    folder_watch: Option<FolderWatch>,
    /// The lexicons applied to the open folder (its own and the user's).
    lexicon: std::sync::Arc<crate::lexicon::Lexicon>,
    /// Lexicon entries the analyst added, each with the annotation undo depth at the
    /// time, so that Undo takes back whichever came last.
    lexicon_undo: Vec<(usize, PathBuf, crate::lexicon::Lexicon)>,
    /// Lexicon changes undone, each with the lexicon to restore on Redo, in the same
    /// form as `lexicon_undo`; emptied by any new change.
    lexicon_redo: Vec<(usize, PathBuf, crate::lexicon::Lexicon)>,
    /// *Edit → Lexicon…*.
    lexicon_window: LexiconWindow,
    /// The system file dialog that is open, and what its answer is for.
    file_dialog: Option<(ChooserPurpose, Dialog)>,
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
            rows_have_keys: false,
            show_shortcuts: false,
            show_about: false,
            scripted_dialog_answers: None,
            quit_prompt: false,
            quit_confirmed: false,
            items_table: ItemsTable::default(),
            districts: DistrictsPanel::new(settings.district_sort),
            charts: ChartsPanel::default(),
            projects: ProjectsPanel::default(),
            search: SearchPanel::default(),
            insights: Insights::default(),
            documents: DocumentsPanel::default(),
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
            file_chooser: None,
            last_export: None,
            inspector: Inspector::default(),
            tag_manager: TagManager::default(),
            orphans: OrphansWindow::default(),
            sample_folder: sample_folder(),
            user_lexicon: crate::lexicon::user_lexicon_path(),
            pending_manual_selection: None,
            manual_items_synced: None,
            message: None,
            folder_watch: None,
            lexicon: std::sync::Arc::default(),
            lexicon_undo: Vec::new(),
            lexicon_redo: Vec::new(),
            lexicon_window: LexiconWindow::default(),
            file_dialog: None,
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

    /// Keeps the user's lexicon at `path` (tests use a scratch file), or none.
    pub fn with_user_lexicon(mut self, path: Option<PathBuf>) -> PolicyLensApp {
        self.user_lexicon = path;
        self
    }

    /// Draws one frame.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
        self.poll_jobs(&ctx);
        if let Some(workspace) = &self.workspace {
            self.search.update(&ctx, workspace);
        }
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
        self.lexicon_window.ui(&ctx, strings, &mut commands);
        if let Some(review) = &self.review {
            self.tag_manager.ui(&ctx, strings, review, &mut commands);
            self.orphans.ui(&ctx, strings, review);
        }
        if let Some(chooser) = &mut self.file_chooser
            && let Some(outcome) = chooser.ui(&ctx, strings)
        {
            self.file_chooser = None;
            commands.extend(outcome);
        }
        if self.show_shortcuts {
            let state = self.menu_state();
            menu::shortcuts_window(&ctx, strings, &state, &mut self.show_shortcuts);
        }
        if self.show_about {
            super::panels::about::about_window(
                &ctx,
                strings,
                &mut self.show_about,
                self.workspace.as_ref().map(|w| w.folder.as_path()),
                self.user_lexicon.as_deref(),
            );
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

    fn settings_for_saving(&self) -> Settings {
        // The items table's filter and sort live in the settings already (the view state
        // the app owns); the districts table still keeps its own sort.
        let mut settings = self.settings.clone();
        settings.district_sort = self.districts.sort;
        if let Some(workspace) = &self.workspace {
            settings.stash_view(&workspace.folder);
        }
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

/// Asks for a frame when called, from any thread (a job or dialog that finished).
fn repaint_waker(ctx: &egui::Context) -> impl Fn() + Send + Sync + Clone + 'static {
    let ctx = ctx.clone();
    move || ctx.request_repaint()
}
