//! Saving annotations so that nothing is ever lost: `.policylens/annotations.json` in the
//! article folder (so it travels with the folder), written atomically (temp file in the
//! same directory, fsync, rename; the previous version kept as `annotations.json.bak`).
//! A corrupted or newer-version file is never overwritten, a read-only folder saves to
//! the user data directory instead, and a lock file warns a second app instance.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Annotations, SCHEMA_VERSION};
use crate::corpus::DATA_DIR_NAME;

const FILE_NAME: &str = "annotations.json";
const LOCK_NAME: &str = "lock";
/// Annotations saved to the user data directory when their folder disappeared.
const RESCUED_NAME: &str = "rescued-annotations.json";

/// What opening or saving a folder's annotations has to tell the analyst. Structured,
/// so the app says it in the analyst's language ([`std::fmt::Display`] is the English
/// form, for the command line and logs).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreNotice {
    #[error("the folder is read-only; annotations are saved in {}", saved_in.display())]
    FolderReadOnly { saved_in: PathBuf },
    #[error(
        "the folder can no longer be written; annotations are now saved in {}",
        saved_in.display()
    )]
    MovedToUserData { saved_in: PathBuf },
    #[error(
        "the annotations file was written by a newer PolicyLens (format {found} > {supported}); \
         it is kept unchanged and nothing is saved: {}",
        path.display()
    )]
    NewerFormat {
        found: u32,
        supported: u32,
        path: PathBuf,
    },
    #[error(
        "the annotations file cannot be read ({detail}); it is kept unchanged and nothing is \
         saved until it is restored from the backup: {}",
        path.display()
    )]
    Unreadable { detail: String, path: PathBuf },
    #[error(
        "annotations saved while this folder was unavailable were restored from {} (kept \
         there as {RESCUED_NAME}.restored)",
        from.display()
    )]
    RescueRestored { from: PathBuf },
    #[error(
        "another PolicyLens (process {pid}) has this folder open; annotations are read-only \
         here so the two do not overwrite each other"
    )]
    OpenElsewhere { pid: u32 },
    #[error(
        "annotations saved in {} while this folder was read-only were merged into it: \
         {changes} change(s) from there (kept as {})",
        from.display(),
        kept.display()
    )]
    MergedFromUserData {
        from: PathBuf,
        changes: usize,
        kept: PathBuf,
    },
    #[error("cannot write annotations: {detail}: {}", path.display())]
    WriteFailed { detail: String, path: PathBuf },
    #[error("no usable backup: there is no backup: {}", path.display())]
    NoBackup { path: PathBuf },
    #[error("no usable backup: the backup was written by a newer PolicyLens: {}", path.display())]
    BackupNewer { path: PathBuf },
    #[error("no usable backup: {detail}: {}", path.display())]
    BackupUnreadable { detail: String, path: PathBuf },
    #[error("annotations are already being saved")]
    AlreadySaving,
}

impl StoreNotice {
    /// Whether restoring the backup is the way out (a damaged annotations file).
    pub fn backup_helps(&self) -> bool {
        matches!(self, StoreNotice::Unreadable { .. })
    }
}

/// Why annotations could not be saved or restored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot write annotations: {source}: {path}")]
    Write {
        source: std::io::Error,
        path: PathBuf,
    },
    #[error("annotations are read-only: {reason}")]
    ReadOnly { reason: StoreNotice },
    #[error("{0}")]
    Backup(StoreNotice),
}

impl StoreError {
    /// The error as a notice the app can say in the analyst's language.
    pub fn notice(&self) -> StoreNotice {
        match self {
            StoreError::Write { source, path } => StoreNotice::WriteFailed {
                detail: source.to_string(),
                path: path.clone(),
            },
            StoreError::ReadOnly { reason } => reason.clone(),
            StoreError::Backup(notice) => notice.clone(),
        }
    }
}

/// Where and whether annotations of one folder are saved.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Set when saving would destroy something (a corrupted or newer file, another
    /// instance's folder): the store then never writes.
    read_only: Option<StoreNotice>,
    /// True when the folder itself is not writable and the user data directory is used.
    pub in_user_data: bool,
    /// The open, OS-locked lock file while this store holds the folder; the lock goes
    /// with the process, so a crash never leaves a stale one.
    lock: Option<std::sync::Arc<File>>,
    /// This folder's directory under the user data directory, worked out while the folder
    /// still exists (the key follows its canonical path).
    rescue_dir: Option<PathBuf>,
    /// `annotations.json`, or `rescued-annotations.json` in a rescue store.
    file_name: &'static str,
}

/// A store with what it loaded and what the analyst should be told.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub annotations: Annotations,
    pub warnings: Vec<StoreNotice>,
    /// The annotations came from a rescued copy and are not in the folder yet.
    pub restored_rescue: bool,
}

/// The steps of a save, for tests that simulate a crash between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    /// Half of the temp file written.
    WritingTemp,
    BeforeFsync,
    BeforeBackup,
    BeforeRename,
}

impl Store {
    /// Opens the annotations of `folder`. Never fails: problems make the store read-only
    /// or move it to the user data directory, and are reported in `warnings`.
    pub fn open(folder: &Path) -> Opened {
        let folder_dir = folder.join(DATA_DIR_NAME);
        let user_dir = user_data_dir(folder);
        let folder_writable =
            fs::create_dir_all(&folder_dir).is_ok() && probe_writable(&folder_dir);
        let mut warnings = Vec::new();
        let (dir, in_user_data) = if folder_writable {
            (folder_dir.clone(), false)
        } else if let Some(user_dir) = user_dir.filter(|d| fs::create_dir_all(d).is_ok()) {
            warnings.push(StoreNotice::FolderReadOnly {
                saved_in: user_dir.clone(),
            });
            (user_dir, true)
        } else {
            (folder_dir.clone(), false)
        };
        let mut store = Store {
            dir,
            read_only: None,
            in_user_data,
            lock: None,
            rescue_dir: user_data_dir(folder),
            file_name: FILE_NAME,
        };
        // Both the folder's copy and the user data directory's (written while the folder
        // was read-only) count: they are merged, newest file first.
        let folder_copy = folder_dir.join(FILE_NAME);
        let user_copy = user_data_dir(folder).map(|d| d.join(FILE_NAME));
        let source = store.path();
        let mut merged_from_user_data = 0;
        let mut restored_rescue = false;
        let mut annotations = match read_both(&folder_copy, user_copy.as_deref()).map(|both| {
            both.map(|(annotations, taken)| {
                merged_from_user_data = taken;
                annotations
            })
        }) {
            Ok(Some(annotations)) if annotations.schema_version > SCHEMA_VERSION => {
                let reason = StoreNotice::NewerFormat {
                    found: annotations.schema_version,
                    supported: SCHEMA_VERSION,
                    path: source.clone(),
                };
                warnings.push(reason.clone());
                store.read_only = Some(reason);
                Annotations::default()
            }
            Ok(Some(annotations)) => annotations,
            Ok(None) => Annotations::default(),
            Err(detail) => {
                let reason = StoreNotice::Unreadable {
                    detail,
                    path: source.clone(),
                };
                warnings.push(reason.clone());
                store.read_only = Some(reason);
                Annotations::default()
            }
        };
        if store.read_only.is_none()
            && let Some(rescued) = take_rescued(store.rescue_dir.as_deref(), &source)
        {
            warnings.push(StoreNotice::RescueRestored {
                from: rescued.1.clone(),
            });
            annotations = rescued.0;
            restored_rescue = true;
        }
        if store.read_only.is_none() {
            match take_lock(&store.dir) {
                Ok(lock) => store.lock = Some(lock),
                Err(LockError::HeldBy(pid)) => {
                    let reason = StoreNotice::OpenElsewhere { pid };
                    warnings.push(reason.clone());
                    store.read_only = Some(reason);
                }
                // Without a lock file (odd file system) saving still works.
                Err(LockError::Io) => {}
            }
        }
        // Saved in the folder again: the merge is written there at once and the user
        // data copy set aside, so it is merged only once.
        if store.read_only.is_none()
            && !in_user_data
            && let Some(user_copy) = user_copy.filter(|p| p.exists())
        {
            match store.save(&annotations) {
                Ok(()) => {
                    let kept = user_copy.with_extension("json.merged");
                    let _ = fs::rename(&user_copy, &kept);
                    warnings.push(StoreNotice::MergedFromUserData {
                        from: user_copy.clone(),
                        changes: merged_from_user_data,
                        kept,
                    });
                }
                Err(error) => warnings.push(error.notice()),
            }
        }
        Opened {
            store,
            annotations,
            warnings,
            restored_rescue,
        }
    }

    /// A store that saves to `dir/rescued-annotations.json`, for annotations whose
    /// folder disappeared.
    fn rescue_at(dir: &Path) -> std::io::Result<Store> {
        fs::create_dir_all(dir)?;
        Ok(Store {
            dir: dir.to_path_buf(),
            read_only: None,
            in_user_data: true,
            lock: None,
            rescue_dir: None,
            file_name: RESCUED_NAME,
        })
    }

    /// Where this folder's annotations go if the folder disappears.
    pub fn rescue_dir(&self) -> Option<&Path> {
        self.rescue_dir.as_deref()
    }

    /// Saves `annotations` in `dir` (a [`Store::rescue_dir`]) because their folder is
    /// gone, and returns the store that keeps saving them there. Opening the folder
    /// again restores them.
    pub fn rescue(dir: &Path, annotations: &Annotations) -> Result<Store, StoreError> {
        let store = Store::rescue_at(dir).map_err(|source| StoreError::Write {
            source,
            path: dir.to_path_buf(),
        })?;
        store.save(annotations)?;
        Ok(store)
    }

    /// Where the annotations are saved.
    pub fn path(&self) -> PathBuf {
        self.dir.join(self.file_name)
    }

    pub fn backup_path(&self) -> PathBuf {
        self.dir.join(format!("{}.bak", self.file_name))
    }

    /// Why nothing is saved, if so.
    pub fn read_only_reason(&self) -> Option<&StoreNotice> {
        self.read_only.as_ref()
    }

    /// Saves atomically: the file on disk is always either the previous or the new
    /// complete version.
    pub fn save(&self, annotations: &Annotations) -> Result<(), StoreError> {
        self.save_until(annotations, None)
    }

    /// Saves; when the folder refuses the write (it turned read-only, its disk is full),
    /// moves the store to the user data directory at once and saves there, as opening a
    /// read-only folder does. Returns the new file when the store moved.
    pub fn save_or_move(
        &mut self,
        annotations: &Annotations,
    ) -> Result<Option<PathBuf>, StoreError> {
        let error = match self.save(annotations) {
            Ok(()) => return Ok(None),
            Err(error @ StoreError::Write { .. }) if !self.in_user_data => error,
            Err(error) => return Err(error),
        };
        let Some(user_dir) = self.rescue_dir.clone() else {
            return Err(error);
        };
        if fs::create_dir_all(&user_dir).is_err() {
            return Err(error);
        }
        let folder_dir = std::mem::replace(&mut self.dir, user_dir);
        self.in_user_data = true;
        match self.save(annotations) {
            Ok(()) => {
                // The folder's lock cannot be removed from a read-only folder; a later
                // open sees its process gone.
                self.lock = None;
                Ok(Some(self.path()))
            }
            Err(second) => {
                self.dir = folder_dir;
                self.in_user_data = false;
                Err(second)
            }
        }
    }

    /// [`Store::save`] that stops at `crash_at`, as a crash there would (tests only).
    #[doc(hidden)]
    pub fn save_until(
        &self,
        annotations: &Annotations,
        crash_at: Option<SaveStep>,
    ) -> Result<(), StoreError> {
        if let Some(reason) = &self.read_only {
            return Err(StoreError::ReadOnly {
                reason: reason.clone(),
            });
        }
        let json = serde_json::to_vec_pretty(annotations).expect("annotations serialise");
        let temp = self.dir.join(format!("{}.tmp", self.file_name));
        let write_error = |source, path: &Path| StoreError::Write {
            source,
            path: path.to_path_buf(),
        };
        let mut file = File::create(&temp).map_err(|e| write_error(e, &temp))?;
        if crash_at == Some(SaveStep::WritingTemp) {
            let _ = file.write_all(&json[..json.len() / 2]);
            return Ok(());
        }
        file.write_all(&json).map_err(|e| write_error(e, &temp))?;
        if crash_at == Some(SaveStep::BeforeFsync) {
            return Ok(());
        }
        file.sync_all().map_err(|e| write_error(e, &temp))?;
        drop(file);
        if crash_at == Some(SaveStep::BeforeBackup) {
            return Ok(());
        }
        let current = self.path();
        if current.exists() {
            // The backup is replaced atomically too, so it is always a whole version.
            let backup_temp = self.backup_path().with_extension("bak.tmp");
            fs::copy(&current, &backup_temp).map_err(|e| write_error(e, &backup_temp))?;
            fs::rename(&backup_temp, self.backup_path())
                .map_err(|e| write_error(e, &self.backup_path()))?;
        }
        if crash_at == Some(SaveStep::BeforeRename) {
            return Ok(());
        }
        fs::rename(&temp, &current).map_err(|e| write_error(e, &current))?;
        // The rename is durable only once the directory entry is.
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Reads the backup; when it parses, it becomes the current file (the damaged one is
    /// kept beside it as `annotations.json.damaged`) and saving resumes.
    pub fn restore_backup(&mut self) -> Result<Annotations, StoreError> {
        let backup = self.backup_path();
        let annotations = match read(&backup) {
            Ok(Some(annotations)) if annotations.schema_version <= SCHEMA_VERSION => annotations,
            Ok(Some(_)) => {
                return Err(StoreError::Backup(StoreNotice::BackupNewer {
                    path: backup,
                }));
            }
            Ok(None) => return Err(StoreError::Backup(StoreNotice::NoBackup { path: backup })),
            Err(detail) => {
                return Err(StoreError::Backup(StoreNotice::BackupUnreadable {
                    detail,
                    path: backup,
                }));
            }
        };
        let current = self.path();
        if current.exists() {
            let damaged = self.dir.join(format!("{}.damaged", self.file_name));
            fs::rename(&current, &damaged).map_err(|source| StoreError::Write {
                source,
                path: damaged,
            })?;
        }
        self.read_only = None;
        if self.lock.is_none() {
            self.lock = take_lock(&self.dir).ok();
        }
        self.save(&annotations)?;
        Ok(annotations)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // The lock file stays: removing it could let two instances lock two different
        // files of the same name. Closing it releases the lock.
        self.lock.take();
    }
}

/// Merges the two copies of a folder's annotations that exist after the folder was
/// read-only for a while: the folder's own and the user data directory's. Per item
/// (and per document note) the copy written last wins; where both changed an item's
/// note differently, the other note is kept after the winner's, marked as a conflict.
/// Tags are united by id. Returns the merge and how many items or notes came from
/// `older`.
pub fn merge_copies(newer: &Annotations, older: &Annotations) -> (Annotations, usize) {
    let mut merged = newer.clone();
    let mut taken = 0;
    for tag in &older.tags {
        if !merged.tags.iter().any(|t| t.id == tag.id) {
            merged.tags.push(tag.clone());
        }
    }
    for (id, note) in &older.items {
        match merged.items.get_mut(id) {
            None => {
                merged.items.insert(id.clone(), note.clone());
                taken += 1;
            }
            Some(winner) if winner != note => {
                if !note.note.is_empty() && !winner.note.contains(&note.note) {
                    winner.note = if winner.note.is_empty() {
                        note.note.clone()
                    } else {
                        format!("{} [conflict, other copy: {}]", winner.note, note.note)
                    };
                    taken += 1;
                }
            }
            Some(_) => {}
        }
    }
    for (file, note) in &older.documents {
        match merged.documents.get_mut(file) {
            None => {
                merged.documents.insert(file.clone(), note.clone());
                taken += 1;
            }
            Some(winner) if winner != note && !winner.contains(note.as_str()) => {
                *winner = format!("{winner} [conflict, other copy: {note}]");
                taken += 1;
            }
            Some(_) => {}
        }
    }
    (merged, taken)
}

/// Both copies of a folder's annotations, merged when both exist (newest file first):
/// what the app opens and what the command line exports, with how many items or
/// document notes the merge changed in the folder's copy. `None` when neither exists.
fn read_both(
    in_folder: &Path,
    in_user_data: Option<&Path>,
) -> Result<Option<(Annotations, usize)>, String> {
    let folder_copy = read(in_folder)?;
    let user_copy = match in_user_data {
        Some(path) => read(path)?,
        None => None,
    };
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(match (folder_copy, user_copy) {
        (Some(folder), Some(user)) => {
            let user_newer = in_user_data.and_then(modified) > modified(in_folder);
            let (merged, _) = if user_newer {
                merge_copies(&user, &folder)
            } else {
                merge_copies(&folder, &user)
            };
            // What the merge changed in the folder's copy: the user data copy's share.
            let changed = merged
                .items
                .iter()
                .filter(|(id, note)| folder.items.get(*id) != Some(note))
                .count()
                + merged
                    .documents
                    .iter()
                    .filter(|(file, note)| folder.documents.get(*file) != Some(note))
                    .count();
            Some((merged, changed))
        }
        (Some(one), None) | (None, Some(one)) => Some((one, 0)),
        (None, None) => None,
    })
}

/// A rescued copy of a folder's annotations that is newer than `current` (the file the
/// store read), with where it was; it is renamed so it is restored only once.
fn take_rescued(rescue_dir: Option<&Path>, current: &Path) -> Option<(Annotations, PathBuf)> {
    let path = rescue_dir?.join(RESCUED_NAME);
    let rescued_at = fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let current_at = fs::metadata(current).and_then(|m| m.modified()).ok();
    if current_at.is_some_and(|current_at| current_at > rescued_at) {
        return None;
    }
    let annotations = read(&path).ok()??;
    if annotations.schema_version > SCHEMA_VERSION {
        return None;
    }
    fs::rename(&path, path.with_extension("json.restored")).ok()?;
    Some((annotations, path))
}

/// Reads a folder's saved annotations without taking the lock or writing anything
/// (headless export). The user data directory's copy wins when the folder is read-only.
pub fn read_saved(folder: &Path) -> Result<Annotations, String> {
    let in_folder = folder.join(DATA_DIR_NAME).join(FILE_NAME);
    let in_user_data = user_data_dir(folder).map(|d| d.join(FILE_NAME));
    let where_ = || match &in_user_data {
        Some(user) if user.exists() => format!("{} and {}", in_folder.display(), user.display()),
        _ => in_folder.display().to_string(),
    };
    match read_both(&in_folder, in_user_data.as_deref()) {
        Ok(Some((annotations, _))) if annotations.schema_version > SCHEMA_VERSION => Err(format!(
            "written by a newer PolicyLens (format {}): {}",
            annotations.schema_version,
            where_()
        )),
        Ok(Some((annotations, _))) => Ok(annotations),
        Ok(None) => Ok(Annotations::default()),
        Err(detail) => Err(format!("{detail}: {}", where_())),
    }
}

/// `Ok(None)` when there is no file; `Err` with a description when it does not parse.
fn read(path: &Path) -> Result<Option<Annotations>, String> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err.to_string()),
    };
    // Editors on Windows save JSON with a byte order mark; it is not part of the data.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice(bytes)
        .map(Some)
        .map_err(|err| format!("not valid annotations JSON: {err}"))
}

fn probe_writable(dir: &Path) -> bool {
    let probe = dir.join(".write-probe");
    let writable = File::create(&probe).is_ok();
    let _ = fs::remove_file(&probe);
    writable
}

/// The per-folder directory under the user's data directory (for read-only folders).
fn user_data_dir(folder: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "PolicyLens")?;
    let absolute = fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
    let key: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(dirs.data_dir().join("folders").join(key))
}

enum LockError {
    HeldBy(u32),
    Io,
}

/// Locks the folder for this process: an OS advisory lock (flock) on the lock file,
/// which dies with its process, so a crashed instance or a hand-written pid never keeps
/// the folder read-only. The file names the holder's pid for the message others see.
fn take_lock(dir: &Path) -> Result<std::sync::Arc<File>, LockError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock, Weak};
    // The locks this process holds: reopening a folder that is still open (the next
    // store is made before the previous one is dropped) shares its lock instead of
    // finding the folder "held by another instance".
    static HELD: OnceLock<Mutex<HashMap<PathBuf, Weak<File>>>> = OnceLock::new();
    let key = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut held = HELD
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    held.retain(|_, lock| lock.strong_count() > 0);
    if let Some(lock) = held.get(&key).and_then(Weak::upgrade) {
        return Ok(lock);
    }
    let lock = Arc::new(lock_file(dir)?);
    held.insert(key, Arc::downgrade(&lock));
    Ok(lock)
}

fn lock_file(dir: &Path) -> Result<File, LockError> {
    let path = dir.join(LOCK_NAME);
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|_| LockError::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&path)
                .ok()
                .and_then(|text| text.trim().parse::<u32>().ok())
                .unwrap_or(0);
            return Err(LockError::HeldBy(holder));
        }
        // Without locks (some network file systems) saving still works.
        Err(fs::TryLockError::Error(_)) => return Err(LockError::Io),
    }
    let own = std::process::id().to_string();
    file.set_len(0).map_err(|_| LockError::Io)?;
    file.write_all(own.as_bytes()).map_err(|_| LockError::Io)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::ItemNote;

    fn annotations_with_note(note: &str) -> Annotations {
        let mut annotations = Annotations::default();
        let item = ItemNote {
            note: note.to_owned(),
            ..ItemNote::default()
        };
        annotations.items.insert("a".into(), item);
        annotations
    }

    #[test]
    fn saves_and_reopens_with_backup_of_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let opened = Store::open(dir.path());
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        opened.store.save(&annotations_with_note("v1")).unwrap();
        opened.store.save(&annotations_with_note("v2")).unwrap();
        let backup: Annotations =
            serde_json::from_slice(&fs::read(opened.store.backup_path()).unwrap()).unwrap();
        assert_eq!(backup.items["a"].note, "v1");
        drop(opened);
        let reopened = Store::open(dir.path());
        assert_eq!(reopened.annotations.items["a"].note, "v2");
    }

    #[test]
    fn a_crash_at_any_step_leaves_the_old_or_the_new_version() {
        for step in [
            SaveStep::WritingTemp,
            SaveStep::BeforeFsync,
            SaveStep::BeforeBackup,
            SaveStep::BeforeRename,
        ] {
            let dir = tempfile::tempdir().unwrap();
            let opened = Store::open(dir.path());
            opened.store.save(&annotations_with_note("old")).unwrap();
            opened
                .store
                .save_until(&annotations_with_note("new"), Some(step))
                .unwrap();
            let on_disk: Annotations =
                serde_json::from_slice(&fs::read(opened.store.path()).unwrap()).unwrap();
            assert_eq!(on_disk.items["a"].note, "old", "{step:?}");
            // The next save after the "crash" completes normally.
            opened.store.save(&annotations_with_note("new")).unwrap();
            let on_disk: Annotations =
                serde_json::from_slice(&fs::read(opened.store.path()).unwrap()).unwrap();
            assert_eq!(on_disk.items["a"].note, "new", "{step:?}");
        }
    }

    #[test]
    fn a_corrupted_file_is_kept_and_can_be_restored_from_backup() {
        let dir = tempfile::tempdir().unwrap();
        {
            let opened = Store::open(dir.path());
            opened.store.save(&annotations_with_note("v1")).unwrap();
            opened.store.save(&annotations_with_note("v2")).unwrap();
        }
        let path = dir.path().join(DATA_DIR_NAME).join(FILE_NAME);
        fs::write(&path, b"{\"schema_version\": 1, \"items\": {trunc").unwrap();
        let mut opened = Store::open(dir.path());
        assert!(opened.store.read_only_reason().is_some());
        assert!(
            matches!(opened.warnings[0], StoreNotice::Unreadable { .. }),
            "{:?}",
            opened.warnings
        );
        assert!(matches!(
            opened.store.save(&Annotations::default()),
            Err(StoreError::ReadOnly { .. })
        ));
        assert_eq!(
            fs::read(&path).unwrap(),
            b"{\"schema_version\": 1, \"items\": {trunc"
        );
        let restored = opened.store.restore_backup().unwrap();
        assert_eq!(restored.items["a"].note, "v1");
        assert!(opened.store.read_only_reason().is_none());
        assert!(path.with_extension("json.damaged").exists());
    }

    #[test]
    fn a_newer_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join(DATA_DIR_NAME);
        fs::create_dir_all(&data).unwrap();
        let newer = format!("{{\"schema_version\": {}}}", SCHEMA_VERSION + 1);
        fs::write(data.join(FILE_NAME), &newer).unwrap();
        let opened = Store::open(dir.path());
        assert!(matches!(
            opened.warnings[0],
            StoreNotice::NewerFormat { .. }
        ));
        assert!(opened.store.save(&Annotations::default()).is_err());
        assert_eq!(fs::read_to_string(data.join(FILE_NAME)).unwrap(), newer);
    }

    #[test]
    fn a_second_instance_is_warned_and_does_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path());
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        // Another process: its own open file description of the lock file.
        let other_process = lock_file(&dir.path().join(DATA_DIR_NAME));
        assert!(matches!(other_process, Err(LockError::HeldBy(_))));
        drop(first);
        let other_process = lock_file(&dir.path().join(DATA_DIR_NAME)).ok().unwrap();
        let second = Store::open(dir.path());
        let own = std::process::id();
        assert!(
            second.warnings[0] == StoreNotice::OpenElsewhere { pid: own },
            "{:?}",
            second.warnings
        );
        assert!(second.store.save(&Annotations::default()).is_err());
        drop(second);
        // Once the other closes, the folder is free again.
        drop(other_process);
        let third = Store::open(dir.path());
        assert!(third.warnings.is_empty(), "{:?}", third.warnings);
        third.store.save(&Annotations::default()).unwrap();
    }

    /// Reopening a folder this process has open (File → Recent on the open folder: the
    /// new store is made before the old one is dropped) shares the lock.
    #[test]
    fn reopening_in_the_same_process_is_not_another_instance() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path());
        let again = Store::open(dir.path());
        assert!(again.warnings.is_empty(), "{:?}", again.warnings);
        drop(first);
        again.store.save(&Annotations::default()).unwrap();
        // The lock outlives the first store: another process is still kept out.
        assert!(matches!(
            lock_file(&dir.path().join(DATA_DIR_NAME)),
            Err(LockError::HeldBy(_))
        ));
    }

    /// A lock left by a crash, or a pid written by hand (issue 13: `echo 59 > lock`, a
    /// thread of another process), never makes the folder read-only: only a live lock
    /// held by a running instance does.
    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join(DATA_DIR_NAME);
        fs::create_dir_all(&data).unwrap();
        for stale in ["59", "1", "not a pid", ""] {
            fs::write(data.join(LOCK_NAME), stale).unwrap();
            let opened = Store::open(dir.path());
            assert!(
                opened.warnings.is_empty(),
                "{stale:?}: {:?}",
                opened.warnings
            );
            opened.store.save(&Annotations::default()).unwrap();
        }
    }
    /// Both copies changed one item's note: the newer copy wins and the other note is
    /// kept beside it, never dropped.
    #[test]
    fn merged_copies_keep_both_sides_of_a_conflict() {
        let mut newer = annotations_with_note("newer");
        let mut older = annotations_with_note("older");
        older
            .documents
            .insert("a.txt".to_owned(), "only in the older copy".to_owned());
        newer.tags.clear();
        let (merged, taken) = merge_copies(&newer, &older);
        let note = &merged.items.values().next().unwrap().note;
        assert!(
            note.starts_with("newer") && note.contains("older"),
            "{note}"
        );
        assert_eq!(merged.documents["a.txt"], "only in the older copy");
        assert_eq!(taken, 2);
        assert_eq!(merged.tags, older.tags);
        // Merging the same copy twice changes nothing.
        let (again, taken) = merge_copies(&merged, &older);
        assert_eq!(again, merged);
        assert_eq!(taken, 0);
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join(DATA_DIR_NAME);
        fs::create_dir_all(&data).unwrap();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(serde_json::to_vec(&annotations_with_note("with a BOM")).unwrap());
        fs::write(data.join(FILE_NAME), bytes).unwrap();
        let opened = Store::open(dir.path());
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        assert_eq!(opened.annotations.items["a"].note, "with a BOM");
    }
}
