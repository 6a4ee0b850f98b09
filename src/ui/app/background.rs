//! Background work on the open folder: loading, refreshing changed files, the
//! after-load jobs, and dropping everything of a folder when another replaces it.

use super::*;

impl PolicyLensApp {
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
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
            let wake = repaint_waker(ctx);
            self.ranks_job = RanksJob::ranks(workspace, wake).ok();
        }
        if self.themes_job.is_none()
            && let Some(workspace) = &self.workspace
            && workspace.themes.is_none()
            && self.themes_started != Some(workspace.generation)
        {
            let wake = repaint_waker(ctx);
            self.themes_started = Some(workspace.generation);
            match ThemesJob::themes(workspace, wake) {
                Ok(job) => self.themes_job = Some(job),
                Err(err) => {
                    let strings = self.settings.language.strings();
                    self.message = Some(format!("{}: {err}", strings.themes_failed));
                }
            }
        }
        if let Some((purpose, dialog)) = &self.file_dialog
            && let Some(answer) = dialog.try_result()
        {
            let purpose = *purpose;
            self.file_dialog = None;
            match answer {
                DialogAnswer::Chosen(path) => self.apply(ctx, purpose.command_for(path)),
                DialogAnswer::Cancelled => {}
                DialogAnswer::Unavailable => self.offer_own_chooser(purpose),
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

    /// Picks up files changed on disk, and notices the folder disappearing.
    pub(super) fn poll_folder(&mut self, ctx: &egui::Context) {
        let Some(watch) = &mut self.folder_watch else {
            return;
        };
        if let Some(problem) = watch.watch_problem() {
            self.folder_notice = Some(FolderNotice::NotWatching(problem));
        }
        if let Some(refreshed) = watch.try_refreshed() {
            match refreshed {
                Ok(refresh) if !refresh.changes.is_empty() || refresh.lexicon.is_some() => {
                    self.apply_refresh(refresh);
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
            let wake = repaint_waker(ctx);
            if watch.poll_changes(workspace, wake) {
                // Changes settle on a timer, not on an event; look again shortly.
                ctx.request_repaint_after(Duration::from_millis(150));
            }
        }
    }

    /// Shows the re-extracted workspace: annotations follow their items, the selection
    /// stays on the same item when it still exists.
    pub(super) fn apply_refresh(&mut self, refresh: Refresh) {
        let Refresh {
            mut workspace,
            changes,
            lexicon,
        } = refresh;
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
        self.folder_notice = Some(match lexicon {
            Some(change) => FolderNotice::Lexicon(change),
            None => FolderNotice::Changed {
                changes,
                orphans: orphans_now.saturating_sub(orphans_before),
            },
        });
    }

    /// No system dialog could be shown: PolicyLens's own chooser takes its place, and
    /// the status bar says why.
    pub(super) fn offer_own_chooser(&mut self, purpose: ChooserPurpose) {
        let strings = self.settings.language.strings();
        self.message = Some(strings.no_system_dialog.to_owned());
        let start_in = self
            .start_folder(purpose)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        // An open folder's parent is where another folder is likelier to be.
        let start_in = match purpose {
            ChooserPurpose::OpenFolder => start_in
                .parent()
                .map_or(start_in.clone(), Path::to_path_buf),
            ChooserPurpose::Export(_)
            | ChooserPurpose::ImportList(_)
            | ChooserPurpose::ImportTags => start_in,
        };
        let file_name = match purpose {
            ChooserPurpose::Export(what) => Some(what.suggested_file_name()),
            ChooserPurpose::OpenFolder
            | ChooserPurpose::ImportList(_)
            | ChooserPurpose::ImportTags => None,
        };
        self.file_chooser = Some(FileChooser::new(purpose, &start_in, file_name));
    }

    /// Drops everything that belongs to the open folder, in one place: its workspace,
    /// its annotations (saving what is pending), its watch and background jobs (their
    /// threads end), the selection, the folder's filters and the windows about it.
    pub(super) fn forget_folder(&mut self) {
        // The folder's view is kept for when it opens again, and not carried over.
        if let Some(workspace) = &self.workspace {
            self.settings.district_sort = self.districts.sort;
            self.settings.stash_view(&workspace.folder);
        }
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
        self.tag_manager.close();
        self.orphans.open = false;
        self.insights = Insights::default();
        self.source = SourceView::default();
        self.inspector = Inspector::default();
        let filter = &mut self.settings.item_filter;
        filter.district = None;
        filter.document = None;
        filter.month = None;
        filter.tag = None;
    }

    pub(super) fn finish_load(&mut self, source: &Source, result: anyhow::Result<Loaded>) {
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
                lexicon,
                lexicon_problems,
                ..
            }) => {
                self.forget_folder();
                self.folder_watch = source
                    .folder()
                    .map(|folder| FolderWatch::start(&folder, wake));
                if let Some(watch) = &mut self.folder_watch {
                    watch.lexicon = std::sync::Arc::clone(&lexicon);
                }
                self.lexicon = lexicon;
                self.lexicon_undo.clear();
                self.lexicon_redo.clear();
                self.generation += 1;
                workspace.generation = self.generation;
                if let Some(folder) = source.folder() {
                    self.settings.remember_folder(&folder);
                }
                self.settings.restore_view(&workspace.folder);
                self.districts.sort = self.settings.district_sort;
                // Dropping the previous folder's review saves what is pending.
                self.review = review;
                self.workspace = Some(workspace);
                self.message = lexicon_problems
                    .first()
                    .map(|first| strings.lexicon_problems(first, lexicon_problems.len()));
            }
            Err(err) => {
                self.message = Some(format!(
                    "{}: {}",
                    strings.could_not_open,
                    strings.open_error(&err)
                ));
            }
        }
    }
}

/// Whether [`collect_job`] waits for a job still running (tests) or leaves it be.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Block {
    No,
    /// Only tests wait (through the `testing` hooks).
    #[cfg_attr(not(any(test, feature = "testing")), allow(dead_code))]
    Wait,
}

/// Puts a finished after-load job's result into the workspace it was for; the job's
/// slot empties once it is over.
pub(super) fn collect_job<T: Send + 'static>(
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
