//! Watching an open folder for files that are added, changed or removed, so that only
//! those files are extracted again. Events are collected on notify's thread and drained
//! by the caller; bursts (a copy of many files, an editor's save-rename) settle first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::corpus::DATA_DIR_NAME;

/// How long the folder must be quiet before its changes are picked up.
pub const SETTLE: Duration = Duration::from_millis(400);

/// Changes seen in a folder since they were last taken.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Paths created, modified, renamed or removed (files or folders).
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events (queue overflow): everything must be checked.
    pub rescan: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// A recursive watch on one folder.
pub struct FolderWatcher {
    folder: PathBuf,
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    pending: Changes,
    last_event: Option<Instant>,
}

impl FolderWatcher {
    /// Starts watching `folder`; `wake` is called from the watcher's thread on every event
    /// (the app repaints so it can drain them).
    pub fn new(folder: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<FolderWatcher> {
        let (sender, events) = channel();
        let root = folder.to_path_buf();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Our own saves (annotations, cache) must not wake the UI for nothing.
                let relevant = event.as_ref().map_or(true, |e| {
                    e.need_rescan() || e.paths.iter().any(|p| is_relevant(&root, p))
                });
                if relevant && sender.send(event).is_ok() {
                    wake();
                }
            })?;
        watcher.watch(folder, RecursiveMode::Recursive)?;
        Ok(FolderWatcher {
            folder: folder.to_path_buf(),
            _watcher: watcher,
            events,
            pending: Changes::default(),
            last_event: None,
        })
    }

    /// Collects new events; returns the changes once the folder has been quiet for
    /// [`SETTLE`], else `None` (call again later).
    pub fn settled_changes(&mut self) -> Option<Changes> {
        for event in self.events.try_iter() {
            self.last_event = Some(Instant::now());
            let Ok(event) = event else {
                self.pending.rescan = true;
                continue;
            };
            if event.need_rescan() {
                self.pending.rescan = true;
            }
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            for path in event.paths {
                if is_relevant(&self.folder, &path) {
                    self.pending.paths.insert(path);
                }
            }
        }
        let quiet = self.last_event.is_some_and(|at| at.elapsed() >= SETTLE);
        if quiet && !self.pending.is_empty() {
            self.last_event = None;
            return Some(std::mem::take(&mut self.pending));
        }
        None
    }

    /// Whether changes are waiting for the folder to settle.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// Our own data folder and hidden files (editors' swap files, `.DS_Store`) are not
/// articles; the folder itself matters (it may be removed).
fn is_relevant(folder: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(folder) else {
        return false;
    };
    !relative.components().any(|c| {
        let name = c.as_os_str();
        name == DATA_DIR_NAME || name.to_str().is_some_and(|n| n.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_data_and_hidden_files_are_not_changes() {
        let folder = Path::new("/data/news");
        assert!(is_relevant(folder, Path::new("/data/news/a.txt")));
        assert!(is_relevant(folder, Path::new("/data/news/sub/b.md")));
        assert!(is_relevant(folder, folder));
        assert!(!is_relevant(
            folder,
            Path::new("/data/news/.policylens/annotations.json")
        ));
        assert!(!is_relevant(folder, Path::new("/data/news/.a.txt.swp")));
        assert!(!is_relevant(folder, Path::new("/elsewhere/a.txt")));
    }
}
