//! What tests and benchmarks reach into: the state they check and the waits for
//! background work. Not used by the app itself.

use super::background::{Block, collect_job};
use super::*;

impl PolicyLensApp {
    /// Answers the next file dialogs with these paths (`None`: cancelled) instead of
    /// showing them, so tests can reach commands through the menus.
    #[doc(hidden)]
    pub fn answer_dialogs_with(&mut self, answers: Vec<Option<PathBuf>>) {
        let answers = answers
            .into_iter()
            .map(|answer| answer.map_or(DialogAnswer::Cancelled, DialogAnswer::Chosen));
        self.scripted_dialog_answers = Some(answers.collect());
    }

    /// As if no system file dialog could be shown (no xdg-desktop-portal, no zenity):
    /// the next dialogs come back at once, unanswered.
    pub fn without_system_dialogs(&mut self) {
        self.scripted_dialog_answers =
            Some(std::iter::repeat_n(DialogAnswer::Unavailable, 16).collect());
    }

    /// The full-text search: its results and current match.
    pub fn search(&self) -> &SearchPanel {
        &self.search
    }

    /// Waits for the running full-text search to finish (tests).
    pub fn wait_for_search(&mut self) {
        self.search.finish();
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
        &self.settings.item_filter
    }

    pub fn items_filter_mut(&mut self) -> &mut crate::table::ItemFilter {
        &mut self.settings.item_filter
    }

    /// The source view (tests drag across its text).
    /// The district overview's names, in their shown order.
    pub fn shown_districts(&self) -> Vec<String> {
        self.districts
            .rows()
            .iter()
            .map(|r| r.name.clone())
            .collect()
    }

    /// The documents list, in its shown order.
    pub fn shown_documents(&self) -> &[usize] {
        self.documents.rows()
    }

    pub fn source_view(&self) -> &crate::ui::panels::source_view::SourceView {
        &self.source
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

    /// Blocks until a folder refresh or lexicon pass that is running has finished, and
    /// shows its result (tests).
    pub fn wait_for_folder_refresh(&mut self) {
        let Some(watch) = &mut self.folder_watch else {
            return;
        };
        if let Some(Ok(refresh)) = watch.wait_for_refresh()
            && (!refresh.changes.is_empty() || refresh.lexicon.is_some())
        {
            self.apply_refresh(refresh);
        }
    }

    pub fn is_loading(&self) -> bool {
        self.load.is_some()
    }

    /// What the app says about the open folder changing or disappearing.
    pub fn folder_notice(&self) -> Option<&FolderNotice> {
        self.folder_notice.as_ref()
    }

    pub fn folder_watch(&self) -> Option<&FolderWatch> {
        self.folder_watch.as_ref()
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
}
