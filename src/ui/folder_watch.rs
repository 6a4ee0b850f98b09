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
use crate::pipeline::{self, FolderChanges};
use crate::watch::{Changes, FolderWatcher};

/// How often the probe checks that the folder still exists.
const PROBE_EVERY: Duration = Duration::from_secs(2);

/// A folder's re-extraction after changes: the new workspace and what changed.
pub type Refreshed = crate::Result<(Workspace, FolderChanges)>;

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
}

/// The watch on the open folder.
pub struct FolderWatch {
    pub folder: PathBuf,
    watcher: Option<FolderWatcher>,
    refresh: Option<Receiver<Refreshed>>,
    gone: Arc<AtomicBool>,
    stop_probe: Arc<AtomicBool>,
    /// Set once the folder's disappearance has been handled.
    pub lost: bool,
}

impl FolderWatch {
    /// Watches `folder`; when watching is impossible (too many inotify watches, say) the
    /// folder still opens and the reason is returned for the notice.
    pub fn start(
        folder: &Path,
        wake: impl Fn() + Send + Sync + Clone + 'static,
    ) -> (FolderWatch, Option<String>) {
        let (watcher, problem) = match FolderWatcher::new(folder, wake.clone()) {
            Ok(watcher) => (Some(watcher), None),
            Err(err) => (None, Some(err.to_string())),
        };
        let gone = Arc::new(AtomicBool::new(false));
        let stop_probe = Arc::new(AtomicBool::new(false));
        {
            let (folder, gone, stop) = (folder.to_path_buf(), gone.clone(), stop_probe.clone());
            let _ = std::thread::Builder::new()
                .name("policylens-folder-probe".to_owned())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if !folder.is_dir() {
                            gone.store(true, Ordering::Relaxed);
                            wake();
                            return;
                        }
                        std::thread::sleep(PROBE_EVERY);
                    }
                });
        }
        let watch = FolderWatch {
            folder: folder.to_path_buf(),
            watcher,
            refresh: None,
            gone,
            stop_probe,
            lost: false,
        };
        (watch, problem)
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
        let (sender, receiver) = channel();
        let spawned = std::thread::Builder::new()
            .name("policylens-refresh".to_owned())
            .spawn(move || {
                let refreshed =
                    refresh_workspace(&folder, &documents, &items[..extracted], &paths, rescan);
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
        self.stop_probe.store(true, Ordering::Relaxed);
    }
}

impl Drop for FolderWatch {
    fn drop(&mut self) {
        self.stop_probe.store(true, Ordering::Relaxed);
    }
}

/// Re-extracts the changed files and builds the workspace to show (off the UI thread).
fn refresh_workspace(
    folder: &Path,
    documents: &[crate::Document],
    items: &[crate::Item],
    paths: &BTreeSet<PathBuf>,
    rescan: bool,
) -> Refreshed {
    let (extraction, changes) = pipeline::refresh(
        folder,
        documents,
        items,
        paths,
        rescan,
        &LoadOptions::default(),
    )?;
    Ok((Workspace::new(extraction, 0), changes))
}
