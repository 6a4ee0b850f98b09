//! Keeping an open folder in step with the disk: a watcher collects changes, a job
//! re-extracts only the files that changed, and a probe notices when the folder itself
//! disappears (an unplugged drive, a network share gone) without ever stat-ing on the UI
//! thread, where a dead network mount could block for minutes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use super::workspace::Workspace;
use crate::LoadOptions;
use crate::lexicon::Lexicon;
use crate::pipeline::{self, FolderChanges};
use crate::watch::{Changes, FolderWatcher};

/// How often the probe checks that the folder still exists.
const PROBE_EVERY: Duration = Duration::from_secs(2);

/// A folder's re-extraction after changes.
pub type Refreshed = crate::Result<Refresh>;

/// The re-extracted workspace and what changed.
pub struct Refresh {
    pub workspace: Workspace,
    pub changes: FolderChanges,
    /// What a changed lexicon did, when that was the cause.
    pub lexicon: Option<pipeline::LexiconChange>,
}

/// What the analyst is told about the folder.
#[derive(Debug, Clone, PartialEq)]
pub enum FolderNotice {
    Changed {
        changes: FolderChanges,
        orphans: usize,
    },
    /// The folder is gone; the annotations were saved to `rescued` (or could not be).
    Gone {
        rescued: Result<PathBuf, String>,
    },
    NotWatching(String),
    /// A changed lexicon was applied.
    Lexicon(pipeline::LexiconChange),
}

/// The watch on the open folder.
pub struct FolderWatch {
    pub folder: PathBuf,
    watcher: Option<FolderWatcher>,
    /// The watcher being set up on the probe thread.
    pending_watcher: Option<Receiver<Result<FolderWatcher, String>>>,
    refresh: Option<Receiver<Refreshed>>,
    gone: Arc<AtomicBool>,
    /// Dropping it ends the probe thread at once (it waits on the other end between
    /// probes), so closing a folder leaves no thread of it behind.
    stop_probe: Option<std::sync::mpsc::Sender<()>>,
    /// Set once the folder's disappearance has been handled.
    pub lost: bool,
    /// The lexicons changed files are extracted with.
    pub lexicon: Arc<Lexicon>,
}

impl FolderWatch {
    /// Watches `folder`. Setting up the watch walks the whole tree (slow for 100,000
    /// files or a network share), so it happens on the probe thread; when watching is
    /// impossible (too many inotify watches, say) the folder still works and
    /// [`FolderWatch::watch_problem`] says why.
    pub fn start(folder: &Path, wake: impl Fn() + Send + Sync + Clone + 'static) -> FolderWatch {
        let gone = Arc::new(AtomicBool::new(false));
        let (stop_probe, stop) = channel::<()>();
        let (watcher_sender, pending_watcher) = channel();
        {
            let (folder, gone) = (folder.to_path_buf(), gone.clone());
            let _ = std::thread::Builder::new()
                .name("policylens-folder-probe".to_owned())
                .spawn(move || {
                    let watcher = FolderWatcher::new(&folder, wake.clone());
                    let _ = watcher_sender.send(watcher.map_err(|e| e.to_string()));
                    wake();
                    loop {
                        if !folder.is_dir() {
                            gone.store(true, Ordering::Relaxed);
                            wake();
                            return;
                        }
                        match stop.recv_timeout(PROBE_EVERY) {
                            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                            _ => return,
                        }
                    }
                });
        }
        FolderWatch {
            folder: folder.to_path_buf(),
            watcher: None,
            pending_watcher: Some(pending_watcher),
            refresh: None,
            gone,
            stop_probe: Some(stop_probe),
            lost: false,
            lexicon: Arc::default(),
        }
    }

    /// Whether changes on disk are being watched (set up, and the folder not lost).
    pub fn is_watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// Blocks until the watch is set up or has failed (tests).
    pub fn wait_until_watching(&mut self) {
        if let Some(receiver) = self.pending_watcher.take()
            && let Ok(Ok(watcher)) = receiver.recv()
        {
            self.watcher = Some(watcher);
        }
    }

    /// Why the folder is not watched, once the watch was tried and failed.
    pub fn watch_problem(&mut self) -> Option<String> {
        let receiver = self.pending_watcher.as_ref()?;
        match receiver.try_recv() {
            Ok(Ok(watcher)) => {
                self.pending_watcher = None;
                if !self.lost {
                    self.watcher = Some(watcher);
                }
                None
            }
            Ok(Err(problem)) => {
                self.pending_watcher = None;
                Some(problem)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.pending_watcher = None;
                Some("the watching thread could not start".to_owned())
            }
        }
    }

    /// True once the probe or a refresh found the folder gone.
    pub fn is_gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    /// Starts re-extracting the files that changed, once the folder has settled and no
    /// other refresh runs. Returns whether changes are still waiting (look again soon).
    pub fn poll_changes(
        &mut self,
        workspace: &Workspace,
        wake: impl Fn() + Send + 'static,
    ) -> bool {
        if self.lost || self.refresh.is_some() {
            return self.refresh.is_some();
        }
        let Some(watcher) = &mut self.watcher else {
            return false;
        };
        let Some(Changes { paths, rescan }) = watcher.settled_changes() else {
            return watcher.has_pending();
        };
        let folder = self.folder.clone();
        let documents = Arc::clone(&workspace.documents);
        let items = Arc::clone(&workspace.items);
        let extracted = workspace.extracted_items;
        let gone = self.gone.clone();
        let lexicon = Arc::clone(&self.lexicon);
        let (sender, receiver) = channel();
        let spawned = std::thread::Builder::new()
            .name("policylens-refresh".to_owned())
            .spawn(move || {
                let refreshed = refresh_workspace(
                    &folder,
                    &documents,
                    &items[..extracted],
                    &paths,
                    rescan,
                    lexicon,
                );
                if refreshed.is_err() && !folder.is_dir() {
                    gone.store(true, Ordering::Relaxed);
                }
                let _ = sender.send(refreshed);
                wake();
            });
        if spawned.is_ok() {
            self.refresh = Some(receiver);
        }
        true
    }

    /// Applies a changed lexicon in the background: only the documents where a changed
    /// entry's text occurs are extracted again ([`pipeline::reapply_lexicon`]). The
    /// result arrives as a refresh naming the files whose items changed and saying what
    /// the lexicon did.
    pub fn apply_lexicon(
        &mut self,
        workspace: &Workspace,
        lexicon: Arc<Lexicon>,
        wake: impl Fn() + Send + 'static,
    ) {
        let before = std::mem::replace(&mut self.lexicon, Arc::clone(&lexicon));
        let folder = self.folder.clone();
        let documents = Arc::clone(&workspace.documents);
        let items = Arc::clone(&workspace.items);
        let extracted = workspace.extracted_items;
        let (sender, receiver) = channel();
        let spawned = std::thread::Builder::new()
            .name("policylens-lexicon".to_owned())
            .spawn(move || {
                let (items, change) =
                    pipeline::reapply_lexicon(&documents, &items[..extracted], &before, &lexicon);
                let changes = FolderChanges {
                    changed: change.files.clone(),
                    ..FolderChanges::default()
                };
                let extraction = pipeline::Extraction {
                    folder,
                    documents: documents.to_vec(),
                    items,
                    ..pipeline::Extraction::default()
                };
                let _ = sender.send(Ok(Refresh {
                    workspace: Workspace::new(extraction, 0),
                    changes,
                    lexicon: Some(change),
                }));
                wake();
            });
        if spawned.is_ok() {
            self.refresh = Some(receiver);
        }
    }

    /// The finished refresh, if one finished.
    pub fn try_refreshed(&mut self) -> Option<Refreshed> {
        let receiver = self.refresh.as_ref()?;
        let result = match receiver.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => {
                self.refresh = None;
                return None;
            }
        };
        self.refresh = None;
        Some(result)
    }

    /// Blocks until a refresh that is running has finished (tests).
    pub fn wait_for_refresh(&mut self) -> Option<Refreshed> {
        let result = self.refresh.as_ref()?.recv().ok();
        self.refresh = None;
        result
    }

    /// Stops watching (the folder is gone); the notice stays.
    pub fn stop(&mut self) {
        self.watcher = None;
        self.lost = true;
        self.stop_probe = None;
    }
}

/// Re-extracts the changed files and builds the workspace to show (off the UI thread).
fn refresh_workspace(
    folder: &Path,
    documents: &[crate::Document],
    items: &[crate::Item],
    paths: &BTreeSet<PathBuf>,
    rescan: bool,
    lexicon: Arc<Lexicon>,
) -> Refreshed {
    let options = LoadOptions {
        lexicon: Some(lexicon),
        ..LoadOptions::default()
    };
    let (extraction, changes) =
        pipeline::refresh(folder, documents, items, paths, rescan, &options)?;
    Ok(Refresh {
        workspace: Workspace::new(extraction, 0),
        changes,
        lexicon: None,
    })
}
