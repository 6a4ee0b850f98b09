//! Work that must not run on the UI thread: loading and extracting a folder, and the
//! native folder dialog (which blocks until the analyst picks). Each runs on a named
//! thread and hands its result back over a channel the app drains every frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use super::review::Review;
use super::workspace::Workspace;
use crate::insight::themes::{Themes, district_themes};
use crate::pipeline::{self, Extraction, Progress};
use crate::table::SortRanks;
use crate::{Extractor, LoadOptions};

/// What to load: a folder, or files (and folders) dropped together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Folder(PathBuf),
    Paths(Vec<PathBuf>),
}

impl Source {
    /// The folder the source lives in, for the title bar and the recent list.
    pub fn folder(&self) -> Option<PathBuf> {
        match self {
            Source::Folder(folder) => Some(folder.clone()),
            Source::Paths(_) => None,
        }
    }
}

/// A snapshot of a running load, for the progress display.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStatus {
    pub done: usize,
    pub total: usize,
    pub errors: usize,
    pub current_file: String,
}

/// The result of a load: the workspace ready to show, or a note that it was cancelled.
pub struct Loaded {
    pub workspace: Workspace,
    /// The folder's annotations attached to the items (not read for a cancelled load).
    pub review: Option<Review>,
    pub cancelled: bool,
    /// The lexicons that applied (the folder's and the user's), and their bad lines.
    pub lexicon: Arc<crate::lexicon::Lexicon>,
    pub lexicon_problems: Vec<crate::lexicon::LineProblem>,
}

impl Loaded {
    pub fn new(extraction: Extraction) -> Loaded {
        let cancelled = extraction.cancelled;
        let workspace = Workspace::new(extraction, 0);
        let review = (!cancelled).then(|| Review::open(&workspace.folder, &workspace.items));
        Loaded {
            workspace,
            review,
            cancelled,
            lexicon: Arc::default(),
            lexicon_problems: Vec::new(),
        }
    }
}

/// A folder being loaded and extracted on a background thread.
pub struct LoadJob {
    pub source: Source,
    progress: Arc<Progress>,
    result: Receiver<crate::Result<Loaded>>,
    thread: Option<JoinHandle<()>>,
}

impl LoadJob {
    /// Starts loading; `wake` is called when the job finishes so the UI repaints.
    /// Loads `source` on a thread of its own, with the folder's lexicon and the user's
    /// at `user_lexicon`.
    pub fn spawn(
        source: Source,
        user_lexicon: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<LoadJob> {
        let progress = Arc::new(Progress::default());
        let (sender, result) = channel();
        let thread = {
            let progress = Arc::clone(&progress);
            let source = source.clone();
            std::thread::Builder::new()
                .name("policylens-load".to_owned())
                .spawn(move || {
                    // A folder's own lexicon and the user's apply; dropped files are
                    // no folder, so only the user's.
                    let (lexicon, lexicon_problems) = crate::lexicon::for_folder(
                        source.folder().as_deref(),
                        user_lexicon.as_deref(),
                        &[],
                    );
                    let lexicon = Arc::new(lexicon);
                    let options = LoadOptions {
                        use_cache: true,
                        lexicon: Some(Arc::clone(&lexicon)),
                        ..LoadOptions::default()
                    };
                    let extraction = match &source {
                        Source::Folder(folder) => {
                            pipeline::extract_folder(folder, &options, &progress)
                        }
                        Source::Paths(paths) => pipeline::extract_paths(paths, &options, &progress),
                    };
                    // The lookups and the district overview are built here too, so that
                    // a large folder costs the UI thread nothing.
                    let loaded = extraction.map(|extraction| Loaded {
                        lexicon,
                        lexicon_problems,
                        ..Loaded::new(extraction)
                    });
                    // The receiver is gone only when the app dropped the job.
                    let _ = sender.send(loaded);
                    wake();
                })?
        };
        Ok(LoadJob {
            source,
            progress,
            result,
            thread: Some(thread),
        })
    }

    pub fn status(&self) -> LoadStatus {
        LoadStatus {
            done: self.progress.done.load(Ordering::Relaxed),
            total: self.progress.total.load(Ordering::Relaxed),
            errors: self.progress.errors.load(Ordering::Relaxed),
            current_file: self.progress.current_file(),
        }
    }

    /// Asks the job to stop; files in flight finish first.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// The result, once the job has finished.
    pub fn try_result(&mut self) -> Option<anyhow::Result<Loaded>> {
        let result = match self.result.try_recv() {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err(worker_died()),
        };
        self.join();
        Some(result)
    }

    /// Blocks until the job has finished and returns its result (tests).
    pub fn wait(&mut self) -> anyhow::Result<Loaded> {
        let result = match self.result.recv() {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(_) => Err(worker_died()),
        };
        self.join();
        result
    }

    fn join(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn worker_died() -> anyhow::Error {
    anyhow::anyhow!("the loading thread stopped unexpectedly")
}

/// A native file dialog, run on its own thread because it blocks until the analyst
/// picks or cancels.
pub struct Dialog {
    result: Receiver<DialogAnswer>,
}

/// How a native dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could be shown: rfd returned at once without a choice (neither
    /// xdg-desktop-portal nor zenity answered), so the app offers its own chooser.
    Unavailable,
}

/// A dialog that comes back without a choice faster than this was never on screen: no
/// person cancels a file dialog within a quarter of a second.
const NO_DIALOG_WITHIN: std::time::Duration = std::time::Duration::from_millis(250);

impl Dialog {
    /// The folder picker.
    pub fn pick_folder(
        title: &str,
        start_in: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Dialog> {
        let title = title.to_owned();
        Dialog::spawn("policylens-folder-dialog", wake, move || {
            let mut dialog = rfd::FileDialog::new().set_title(title);
            if let Some(folder) = start_in {
                dialog = dialog.set_directory(folder);
            }
            dialog.pick_folder()
        })
    }

    /// The open dialog for a list to import into the lexicon (CSV, TSV, XLSX).
    /// The dialog choosing a file to read, offering files ending in `extensions`
    /// (described by `kind`).
    pub fn pick_file(
        title: &str,
        (kind, extensions): (&'static str, &'static [&'static str]),
        start_in: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Dialog> {
        let title = title.to_owned();
        Dialog::spawn("policylens-open-file-dialog", wake, move || {
            let mut dialog = rfd::FileDialog::new()
                .set_title(title)
                .add_filter(kind, extensions);
            if let Some(folder) = start_in {
                dialog = dialog.set_directory(folder);
            }
            dialog.pick_file()
        })
    }

    /// The save dialog for exports: CSV or XLSX, or a PNG image or a REFI-QDA project
    /// when the suggested file name ends so.
    pub fn save_export(
        title: &str,
        file_name: &str,
        start_in: Option<PathBuf>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Dialog> {
        let (title, file_name) = (title.to_owned(), file_name.to_owned());
        Dialog::spawn("policylens-save-dialog", wake, move || {
            let mut dialog = rfd::FileDialog::new()
                .set_title(title)
                .set_file_name(&file_name);
            dialog = if file_name_ends(&file_name, ".png") {
                dialog.add_filter("PNG image", &["png"])
            } else if file_name_ends(&file_name, ".qdpx") {
                dialog.add_filter("REFI-QDA project", &["qdpx"])
            } else {
                dialog
                    .add_filter("CSV (Excel)", &["csv"])
                    .add_filter("Excel workbook", &["xlsx"])
            };
            if let Some(folder) = start_in {
                dialog = dialog.set_directory(folder);
            }
            dialog.save_file()
        })
    }

    fn spawn(
        thread_name: &str,
        wake: impl Fn() + Send + 'static,
        run: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) -> std::io::Result<Dialog> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name(thread_name.to_owned())
            .spawn(move || {
                let started = std::time::Instant::now();
                let answer = match run() {
                    Some(path) => DialogAnswer::Chosen(path),
                    None if started.elapsed() < NO_DIALOG_WITHIN => DialogAnswer::Unavailable,
                    None => DialogAnswer::Cancelled,
                };
                let _ = sender.send(answer);
                wake();
            })?;
        Ok(Dialog { result })
    }

    /// A dialog already answered (tests, which cannot click a native one).
    pub fn answered(answer: DialogAnswer) -> Dialog {
        let (sender, result) = channel();
        let _ = sender.send(answer);
        Dialog { result }
    }

    /// `Some(answer)` once the dialog has closed.
    pub fn try_result(&self) -> Option<DialogAnswer> {
        match self.result.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(DialogAnswer::Cancelled),
        }
    }
}

/// Work on a shown folder that may take seconds (district themes, sort ranks), run on
/// its own thread after the table is ready. The result belongs to one workspace
/// generation; a result for another (the folder was reopened meanwhile) is dropped.
pub struct AfterLoadJob<T> {
    pub generation: u64,
    result: Receiver<T>,
}

/// District keywords (a few seconds for a large folder).
pub type ThemesJob = AfterLoadJob<Themes>;
/// Sort ranks of the items (a second on a large folder); until they arrive the table
/// sorts by comparing items directly.
pub type RanksJob = AfterLoadJob<SortRanks>;

impl<T: Send + 'static> AfterLoadJob<T> {
    fn spawn(
        thread_name: &str,
        workspace: &Workspace,
        wake: impl Fn() + Send + 'static,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<AfterLoadJob<T>> {
        let (sender, result) = channel();
        std::thread::Builder::new()
            .name(thread_name.to_owned())
            .spawn(move || {
                let _ = sender.send(work());
                wake();
            })?;
        Ok(AfterLoadJob {
            generation: workspace.generation,
            result,
        })
    }

    /// `Some` once finished; `Some(None)` if the thread died.
    pub fn try_result(&self) -> Option<Option<T>> {
        match self.result.try_recv() {
            Ok(value) => Some(Some(value)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }

    /// Blocks until the job has finished (tests).
    pub fn wait(&self) -> Option<T> {
        self.result.recv().ok()
    }
}

impl ThemesJob {
    pub fn themes(
        workspace: &Workspace,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<ThemesJob> {
        let documents = Arc::clone(&workspace.documents);
        let items = Arc::clone(&workspace.items);
        let extracted = workspace.extracted_items;
        AfterLoadJob::spawn("policylens-themes", workspace, wake, move || {
            district_themes(Extractor::shared(), &documents, &items[..extracted], &|| {})
        })
    }
}

impl RanksJob {
    pub fn ranks(
        workspace: &Workspace,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<RanksJob> {
        let items = Arc::clone(&workspace.items);
        let extracted = workspace.extracted_items;
        let titles: std::collections::HashMap<String, String> = workspace
            .documents
            .iter()
            .map(|d| (d.file.clone(), d.label().to_owned()))
            .collect();
        AfterLoadJob::spawn("policylens-ranks", workspace, wake, move || {
            SortRanks::with_titles(&items[..extracted], &titles)
        })
    }
}

fn file_name_ends(name: &str, suffix: &str) -> bool {
    name.to_ascii_lowercase().ends_with(suffix)
}
