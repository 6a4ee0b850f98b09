//! The analyst's annotations of the open folder, as the app holds them: loaded from the
//! store, attached to the workspace's items, changed only through undoable edits, and
//! saved by a writer thread at most about a second after each change and on exit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::annotate::edit::{Edit, History};
use crate::annotate::store::{Store, StoreNotice};
use crate::annotate::{Annotations, ItemNote};
use crate::extract::Item;
use crate::table::AttachedNotes;

/// How long after the last change the annotations are saved when the analyst pauses.
const SAVE_DELAY: Duration = Duration::from_millis(800);
/// The longest any change waits: steady work (a tag every few hundred milliseconds)
/// never pauses for `SAVE_DELAY`, and must still reach the disk.
const MAX_SAVE_DELAY: Duration = Duration::from_secs(1);

/// How long to wait before saving changes made first at `first` and last at `last`:
/// `SAVE_DELAY` after the last change, but never later than `MAX_SAVE_DELAY` after the
/// first unsaved one. Zero when the save is due.
fn save_wait(first: Instant, last: Instant, now: Instant) -> Duration {
    let after_pause = SAVE_DELAY.saturating_sub(now.saturating_duration_since(last));
    let at_the_latest = MAX_SAVE_DELAY.saturating_sub(now.saturating_duration_since(first));
    after_pause.min(at_the_latest)
}

pub struct Review {
    pub annotations: Annotations,
    history: History,
    /// Item index → annotation id.
    by_item: HashMap<usize, String>,
    /// Annotation ids whose item is gone, kept with their text and offsets.
    pub orphans: Vec<String>,
    /// The store while saving is not possible (kept to restore from the backup).
    idle_store: Option<Store>,
    saver: Option<Autosaver>,
    /// Why annotations are not saved, if so.
    pub read_only: Option<StoreNotice>,
    /// Messages from opening the store (read-only folder, another instance, …).
    pub warnings: Vec<StoreNotice>,
    pub save_error: Option<StoreNotice>,
    pub saved_to: PathBuf,
    /// Where the annotations go if the folder disappears.
    rescue_dir: Option<PathBuf>,
    /// Set once the folder disappeared and the annotations were saved elsewhere.
    pub rescued_to: Option<PathBuf>,
    /// Bumped on every change, so cached table rows rebuild.
    pub generation: u64,
    /// The last change not yet handed to the writer.
    changed_at: Option<Instant>,
    /// The first change not yet handed to the writer.
    unsaved_since: Option<Instant>,
    /// The analyst changed something since the folder was opened.
    edited_since_open: bool,
    /// A save was handed to the writer and its outcome is not in yet.
    writing: bool,
}

/// How often the window looks for the writer's outcome while a save is in flight.
const WRITER_POLL: Duration = Duration::from_millis(100);

/// What is true about saving, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    /// A change waits for the writer.
    Pending,
    /// The last save failed.
    Failed,
    /// Nothing is saved here (another instance, a damaged or newer file).
    ReadOnly,
}

impl Review {
    /// Opens the annotations of `folder` and attaches them to `items`.
    pub fn open(folder: &std::path::Path, items: &[Item]) -> Review {
        let opened = Store::open(folder);
        let mut annotations = opened.annotations;
        let attachment = annotations.attach(items);
        let renamed = !attachment.re_anchored.is_empty();
        let (by_item, orphans) = rekey(&mut annotations, attachment, items);
        let store = opened.store;
        let rescue_dir = store.rescue_dir().map(Path::to_path_buf);
        let read_only = store.read_only_reason().cloned();
        let saved_to = store.path();
        let (saver, idle_store) = if read_only.is_none() {
            (Autosaver::spawn(store).ok(), None)
        } else {
            (None, Some(store))
        };
        let mut review = Review {
            annotations,
            history: History::default(),
            by_item,
            orphans,
            idle_store,
            saver,
            read_only,
            warnings: opened.warnings,
            save_error: None,
            saved_to,
            rescue_dir,
            rescued_to: None,
            generation: 0,
            changed_at: None,
            unsaved_since: None,
            edited_since_open: false,
            writing: false,
        };
        if renamed || opened.restored_rescue {
            review.changed();
        }
        review
    }

    /// Attaches the annotations to items re-extracted after files in `changed` were
    /// added, changed or removed on disk. Notes follow their item to its new place;
    /// manual items are found again by their text; what cannot be placed is listed as an
    /// orphan and kept. Returns how many annotations are orphans now.
    pub fn reattach(
        &mut self,
        items: &[Item],
        documents: &[crate::Document],
        changed: &std::collections::BTreeSet<&str>,
    ) -> usize {
        let attachment = self.annotations.attach(items);
        let renamed = !attachment.re_anchored.is_empty();
        let (by_item, mut orphans) = rekey(&mut self.annotations, attachment, items);
        let mut moved = false;
        for (id, note) in self.annotations.items.iter_mut() {
            if !note.manual || !changed.contains(note.anchor.file.as_str()) {
                continue;
            }
            let text = documents
                .iter()
                .find(|d| d.file == note.anchor.file)
                .map(|d| d.text.as_str());
            match text.and_then(|text| relocate(text, &note.anchor)) {
                Some(start) if start == note.anchor.start => {}
                Some(start) => {
                    let len = note.anchor.end - note.anchor.start;
                    note.anchor.start = start;
                    note.anchor.end = start + len;
                    moved = true;
                }
                None => orphans.push(id.clone()),
            }
        }
        self.by_item = by_item;
        self.orphans = orphans;
        self.generation += 1;
        if renamed || moved {
            self.changed();
        }
        self.orphans.len()
    }

    /// Saves the annotations to the user data directory because the folder is gone;
    /// later changes are saved there too. Returns the file they are in.
    pub fn rescue(&mut self) -> Result<PathBuf, String> {
        if let Some(path) = &self.rescued_to {
            return Ok(path.clone());
        }
        let dir = self
            .rescue_dir
            .clone()
            .ok_or_else(|| "this system has no user data directory".to_owned())?;
        // The old writer can only fail now; stop it before the new one takes over.
        if let Some(mut saver) = self.saver.take() {
            saver.finish();
        }
        let store = Store::rescue(&dir, &self.annotations).map_err(|e| e.to_string())?;
        let path = store.path();
        self.saver = Autosaver::spawn(store).ok();
        self.idle_store = None;
        self.read_only = None;
        self.save_error = None;
        self.saved_to.clone_from(&path);
        self.rescued_to = Some(path.clone());
        self.changed_at = None;
        Ok(path)
    }

    /// Attaches the manual items the workspace rebuilt (indices from `first_manual` on).
    pub fn attach_manual_items(&mut self, first_manual: usize, attached: Vec<(usize, String)>) {
        self.by_item.retain(|&index, _| index < first_manual);
        self.by_item.extend(attached);
        self.generation += 1;
    }

    /// Adds a span of a document as a manual item; returns its annotation id.
    pub fn add_manual_item(&mut self, anchor: crate::annotate::Anchor) -> String {
        let id = self.annotations.next_manual_id();
        let note = ItemNote {
            anchor,
            manual: true,
            ..ItemNote::default()
        };
        let edit = Edit::item(&self.annotations, &id, note);
        if self.history.perform(&mut self.annotations, edit) {
            self.changed();
        }
        id
    }

    /// The notes as the core's table functions read them.
    pub fn notes(&self) -> AttachedNotes<'_> {
        AttachedNotes {
            annotations: &self.annotations,
            by_item: &self.by_item,
        }
    }

    /// The id of the annotation attached to item `item`, if any.
    pub fn attached_id(&self, item: usize) -> Option<&str> {
        self.by_item.get(&item).map(String::as_str)
    }

    pub fn note_of(&self, item: usize) -> Option<&ItemNote> {
        self.annotations.items.get(self.by_item.get(&item)?)
    }

    /// The annotation id of an item: its attached one, else the item's own id.
    fn id_of(&self, item: usize, items: &[Item]) -> String {
        self.by_item
            .get(&item)
            .cloned()
            .unwrap_or_else(|| items[item].id.clone())
    }

    /// The edit that changes item `item`'s annotation with `change`.
    fn edit_of(&mut self, item: usize, items: &[Item], change: impl FnOnce(&mut ItemNote)) -> Edit {
        let id = self.id_of(item, items);
        let mut note = self
            .annotations
            .items
            .get(&id)
            .cloned()
            .unwrap_or_else(|| ItemNote::on(&items[item]));
        change(&mut note);
        self.by_item.insert(item, id.clone());
        Edit::item(&self.annotations, &id, note)
    }

    /// Changes one item's annotation as one undo step.
    pub fn edit_item(&mut self, item: usize, items: &[Item], change: impl FnOnce(&mut ItemNote)) {
        let edit = self.edit_of(item, items, change);
        if self.history.perform(&mut self.annotations, edit) {
            self.changed();
        }
    }

    /// Sets an item's note while the analyst types: one undo step per typing run.
    pub fn type_note(&mut self, item: usize, items: &[Item], text: &str) {
        let edit = self.edit_of(item, items, |note| note.note = text.to_owned());
        if self.history.perform_typing(&mut self.annotations, edit) {
            self.changed();
        }
    }

    pub fn end_typing(&mut self) {
        self.history.end_typing();
    }

    /// Toggles `tag` on the items: if every one has it, it is removed from all, else
    /// added to all. One undo step.
    /// Returns whether the tag was added (false: removed from all of them).
    pub fn toggle_tag(&mut self, selected: &[usize], items: &[Item], tag: u32) -> bool {
        let all_have = selected
            .iter()
            .all(|&i| self.note_of(i).is_some_and(|n| n.tags.contains(&tag)));
        let edits: Vec<Edit> = selected
            .iter()
            .map(|&i| {
                self.edit_of(i, items, |note| {
                    if all_have {
                        note.tags.remove(&tag);
                    } else {
                        note.tags.insert(tag);
                    }
                })
            })
            .collect();
        if self
            .history
            .perform(&mut self.annotations, Edit::Batch(edits))
        {
            self.changed();
        }
        !all_have
    }

    /// Marks the items rejected (or not) as one undo step; how many changed.
    pub fn set_rejected(&mut self, selected: &[usize], items: &[Item], rejected: bool) -> usize {
        self.edit_where(
            selected,
            items,
            |note| note.is_some_and(|n| n.rejected) != rejected,
            |note| note.rejected = rejected,
        )
    }

    /// Accepts (or, with `accept` false, rejects) the items as one undo step: a judged
    /// item is one or the other, never both. Returns how many changed.
    pub fn judge(&mut self, selected: &[usize], items: &[Item], accept: bool) -> usize {
        self.edit_where(
            selected,
            items,
            |note| note.is_none_or(|n| n.accepted != accept || n.rejected == accept),
            |note| {
                note.accepted = accept;
                note.rejected = !accept;
            },
        )
    }

    /// Applies `change` to the items whose note `needs` it, as one undo step; how many
    /// changed.
    fn edit_where(
        &mut self,
        selected: &[usize],
        items: &[Item],
        needs: impl Fn(Option<&ItemNote>) -> bool,
        change: impl Fn(&mut ItemNote),
    ) -> usize {
        let to_change: Vec<usize> = selected
            .iter()
            .copied()
            .filter(|&i| needs(self.note_of(i)))
            .collect();
        let edits: Vec<Edit> = to_change
            .into_iter()
            .map(|i| self.edit_of(i, items, &change))
            .collect();
        let changed = edits.len();
        if self
            .history
            .perform(&mut self.annotations, Edit::Batch(edits))
        {
            self.changed();
        }
        changed
    }

    /// How many steps can be undone: other undo stacks (the lexicon's) interleave by it.
    pub fn undo_depth(&self) -> usize {
        self.history.undo_depth()
    }

    /// Puts project items into `group` (a merge or a split), or back into their
    /// automatic group with `None`. One undo step.
    pub fn set_project_group(&mut self, selected: &[usize], items: &[Item], group: Option<String>) {
        let edits: Vec<Edit> = selected
            .iter()
            .map(|&i| self.edit_of(i, items, |note| note.group.clone_from(&group)))
            .collect();
        if self
            .history
            .perform(&mut self.annotations, Edit::Batch(edits))
        {
            self.changed();
        }
    }

    /// Replaces the tag set (rename, recolour, add, delete); deleting a tag also takes it
    /// off its items, in the same undo step.
    pub fn set_tags(&mut self, tags: Vec<crate::annotate::Tag>) {
        let kept: std::collections::BTreeSet<u32> = tags.iter().map(|t| t.id).collect();
        let mut edits = vec![Edit::Tags {
            before: self.annotations.tags.clone(),
            after: tags,
        }];
        for (id, note) in &self.annotations.items {
            if note.tags.iter().any(|t| !kept.contains(t)) {
                let mut after = note.clone();
                after.tags.retain(|t| kept.contains(t));
                edits.push(Edit::item(&self.annotations, id, after));
            }
        }
        if self
            .history
            .perform(&mut self.annotations, Edit::Batch(edits))
        {
            self.changed();
        }
    }

    /// How many annotations carry `tag`.
    pub fn tag_uses(&self, tag: u32) -> usize {
        self.annotations
            .items
            .values()
            .filter(|n| n.tags.contains(&tag))
            .count()
    }

    pub fn set_document_note(&mut self, file: &str, text: &str) {
        let edit = Edit::DocumentNote {
            file: file.to_owned(),
            before: self.annotations.documents.get(file).cloned(),
            after: Some(text.to_owned()),
        };
        if self.history.perform(&mut self.annotations, edit) {
            self.changed();
        }
    }

    pub fn undo(&mut self) -> bool {
        let done = self.history.undo(&mut self.annotations);
        if done {
            self.changed();
        }
        done
    }

    pub fn redo(&mut self) -> bool {
        let done = self.history.redo(&mut self.annotations);
        if done {
            self.changed();
        }
        done
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// What the status bar may truthfully say about saving.
    pub fn save_state(&self) -> SaveState {
        if self.read_only.is_some() {
            SaveState::ReadOnly
        } else if self.save_error.is_some() {
            SaveState::Failed
        } else if self.is_dirty() || self.writing {
            SaveState::Pending
        } else {
            SaveState::Saved
        }
    }

    /// Whether closing now would lose something the analyst did: a change that cannot
    /// be saved (read-only store, failed save). Hands pending changes to the writer
    /// and waits for it first, so a save that succeeds is not reported.
    pub fn would_lose_work_on_close(&mut self) -> bool {
        self.flush();
        self.edited_since_open && (self.read_only.is_some() || self.save_error.is_some())
    }

    fn changed(&mut self) {
        self.edited_since_open = true;
        self.generation += 1;
        let now = Instant::now();
        self.changed_at = Some(now);
        self.unsaved_since.get_or_insert(now);
    }

    /// Hands the annotations to the writer once the analyst paused; returns how long to
    /// wait before calling again, when a save is pending.
    pub fn tick(&mut self) -> Option<Duration> {
        // This runs after the frame was drawn: news from the writer needs one more frame
        // to reach the status bar.
        let news = self.take_save_events();
        let Some(changed_at) = self.changed_at else {
            return if self.writing {
                Some(WRITER_POLL)
            } else {
                news.then_some(Duration::ZERO)
            };
        };
        let first = self.unsaved_since.unwrap_or(changed_at);
        let wait = save_wait(first, changed_at, Instant::now());
        if !wait.is_zero() {
            return Some(wait);
        }
        self.flush_soon();
        Some(WRITER_POLL)
    }

    /// Takes in what the writer reported: the latest save's outcome, and a move to the
    /// user data directory (said in the warnings, which the status bar shows).
    fn take_save_events(&mut self) -> bool {
        let Some(saver) = &self.saver else {
            return false;
        };
        let events = saver.events();
        let news = !events.is_empty();
        for event in events {
            match event {
                SaveEvent::Saved => {
                    self.save_error = None;
                    self.writing = false;
                }
                SaveEvent::Failed(error) => {
                    self.save_error = Some(error);
                    self.writing = false;
                }
                SaveEvent::Moved(path) => {
                    self.warnings.push(StoreNotice::MovedToUserData {
                        saved_in: path.clone(),
                    });
                    self.saved_to = path;
                }
            }
        }
        news
    }

    /// Hands pending changes to the writer at once (the window lost focus: the analyst
    /// may be about to close the laptop or kill the app).
    pub fn save_pending(&mut self) {
        if self.is_dirty() {
            self.flush_soon();
        }
    }

    /// Sends the current annotations to the writer now.
    fn flush_soon(&mut self) {
        self.changed_at = None;
        self.unsaved_since = None;
        self.writing = self.saver.is_some();
        if let Some(saver) = &self.saver {
            saver.save(self.annotations.clone());
        }
    }

    /// Saves now and waits until the file is written (closing the folder, tests).
    pub fn flush(&mut self) {
        if self.changed_at.is_some() {
            self.flush_soon();
        }
        if let Some(saver) = &self.saver
            && let Some(error) = saver.wait_for_pending()
        {
            self.save_error = Some(error);
        }
        self.take_save_events();
    }

    /// Replaces the unreadable annotations file with its backup and resumes saving.
    pub fn restore_backup(&mut self, items: &[Item]) -> Result<(), StoreNotice> {
        let Some(mut store) = self.idle_store.take() else {
            return Err(StoreNotice::AlreadySaving);
        };
        match store.restore_backup() {
            Ok(backup) => {
                // What the analyst did since opening the damaged file is kept on top of
                // the backup, never dropped by the restore.
                let annotations = if self.edited_since_open {
                    crate::annotate::store::merge_copies(&self.annotations, &backup).0
                } else {
                    backup
                };
                // Attached as at open: re-anchored annotations are re-keyed.
                let mut annotations = annotations;
                let attachment = annotations.attach(items);
                let (by_item, orphans) = rekey(&mut annotations, attachment, items);
                self.annotations = annotations;
                self.by_item = by_item;
                self.orphans = orphans;
                self.read_only = None;
                self.warnings.clear();
                self.history = History::default();
                self.saver = Autosaver::spawn(store).ok();
                self.generation += 1;
                if self.edited_since_open {
                    self.changed();
                    self.flush();
                }
                Ok(())
            }
            Err(err) => {
                self.idle_store = Some(store);
                Err(err.notice())
            }
        }
    }

    /// Whether a change is waiting to be saved.
    pub fn is_dirty(&self) -> bool {
        self.changed_at.is_some()
    }
}

impl Drop for Review {
    fn drop(&mut self) {
        if self.changed_at.is_some() {
            self.flush_soon();
        }
        if let Some(mut saver) = self.saver.take() {
            saver.finish();
        }
    }
}

/// Re-keys annotations whose item was found again under a new id, so the next save keeps
/// them under the id they have now; returns the item → id map and the orphans.
fn rekey(
    annotations: &mut Annotations,
    attachment: crate::annotate::Attachment,
    items: &[Item],
) -> (HashMap<usize, String>, Vec<String>) {
    let mut by_item = attachment.by_item;
    let renamed: HashMap<String, String> = attachment.re_anchored.into_iter().collect();
    for (&index, id) in by_item.iter_mut() {
        let Some(new) = renamed.get(id) else {
            continue;
        };
        if let Some(mut note) = annotations.items.remove(id) {
            note.anchor = crate::annotate::Anchor::of(&items[index]);
            annotations.items.insert(new.clone(), note);
        }
        id.clone_from(new);
    }
    (by_item, attachment.orphans)
}

/// Where a manual item's text is in a changed document: its old place if it is still
/// there, else the occurrence nearest to it (character offsets).
fn relocate(text: &str, anchor: &crate::annotate::Anchor) -> Option<usize> {
    if anchor.text.is_empty() {
        return None;
    }
    let at_old: String = text
        .chars()
        .skip(anchor.start)
        .take(anchor.end.saturating_sub(anchor.start))
        .collect();
    if at_old == anchor.text {
        return Some(anchor.start);
    }
    let mut chars_before = 0;
    let mut last_byte = 0;
    text.match_indices(anchor.text.as_str())
        .map(|(byte, _)| {
            chars_before += text[last_byte..byte].chars().count();
            last_byte = byte;
            chars_before
        })
        .min_by_key(|start| start.abs_diff(anchor.start))
}

/// What the writer thread is asked to do.
enum Request {
    Save(Box<Annotations>),
    /// Reply once everything sent before is written, with the last error if any.
    Flush(Sender<Option<StoreNotice>>),
}

/// What the writer thread reports back.
enum SaveEvent {
    Saved,
    Failed(StoreNotice),
    /// The folder refused the write; the annotations now go to this file.
    Moved(PathBuf),
}

/// A writer thread that saves the latest annotations it was sent.
struct Autosaver {
    sender: Option<Sender<Request>>,
    events: Receiver<SaveEvent>,
    thread: Option<JoinHandle<()>>,
}

impl Autosaver {
    fn spawn(mut store: Store) -> std::io::Result<Autosaver> {
        let (sender, requests) = channel::<Request>();
        let (event_sender, events) = channel();
        let thread = std::thread::Builder::new()
            .name("policylens-autosave".to_owned())
            .spawn(move || {
                let mut last_error = None;
                while let Ok(request) = requests.recv() {
                    let mut pending = Vec::new();
                    let mut latest = None;
                    // Only the newest version matters; flushes are answered after it.
                    for request in std::iter::once(request).chain(requests.try_iter()) {
                        match request {
                            Request::Save(annotations) => latest = Some(annotations),
                            Request::Flush(reply) => pending.push(reply),
                        }
                    }
                    if let Some(annotations) = latest {
                        last_error = match store.save_or_move(&annotations) {
                            Ok(moved) => {
                                if let Some(path) = moved {
                                    let _ = event_sender.send(SaveEvent::Moved(path));
                                }
                                None
                            }
                            Err(error) => Some(error.notice()),
                        };
                        let _ = event_sender.send(match &last_error {
                            Some(error) => SaveEvent::Failed(error.clone()),
                            None => SaveEvent::Saved,
                        });
                    }
                    for reply in pending {
                        let _ = reply.send(last_error.clone());
                    }
                }
            })?;
        Ok(Autosaver {
            sender: Some(sender),
            events,
            thread: Some(thread),
        })
    }

    fn save(&self, annotations: Annotations) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(Request::Save(Box::new(annotations)));
        }
    }

    /// What the writer did since the last call, oldest first.
    fn events(&self) -> Vec<SaveEvent> {
        self.events.try_iter().collect()
    }

    /// Blocks until every save sent so far is written.
    fn wait_for_pending(&self) -> Option<StoreNotice> {
        let sender = self.sender.as_ref()?;
        let (reply, answer) = channel();
        sender.send(Request::Flush(reply)).ok()?;
        answer.recv().ok().flatten()
    }

    /// Writes what is pending and stops the thread.
    fn finish(&mut self) {
        self.sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change every 350 ms never leaves a 800 ms pause, yet the first of them is saved
    /// one second after it was made.
    #[test]
    fn steady_work_is_saved_within_a_second_of_the_first_change() {
        let first = Instant::now();
        let mut last = first;
        let mut saved_at = None;
        for step in 1..=10u32 {
            let now = first + Duration::from_millis(350) * step;
            if save_wait(first, last, now).is_zero() {
                saved_at = Some(now - first);
                break;
            }
            last = now;
        }
        let saved_at = saved_at.expect("saved while the changes kept coming");
        assert!(
            saved_at <= MAX_SAVE_DELAY + Duration::from_millis(350),
            "{saved_at:?}"
        );
        // A single change is saved after the pause, not before.
        assert_eq!(
            save_wait(first, first, first + Duration::from_millis(300)),
            Duration::from_millis(500)
        );
        assert!(save_wait(first, first, first + SAVE_DELAY).is_zero());
    }

    /// Notes typed while the annotations file was damaged survive *Restore from backup*:
    /// they are kept on top of the backup's and saved.
    #[test]
    fn restoring_the_backup_keeps_what_was_done_meanwhile() {
        let folder = tempfile::tempdir().unwrap();
        let document = crate::corpus::Document {
            file: "a.txt".to_owned(),
            text: "古交市投资10亿元建设山西省重点项目。清徐县".to_owned(),
            ..crate::corpus::Document::default()
        };
        let items = crate::Extractor::shared().extract(&document);
        assert!(items.len() >= 2);
        {
            let mut review = Review::open(folder.path(), &items);
            review.type_note(0, &items, "in the backup");
            review.end_typing();
            review.flush();
        }
        {
            // A second save makes the first the backup; then the file is damaged.
            let mut review = Review::open(folder.path(), &items);
            review.type_note(0, &items, "in the backup, saved twice");
            review.end_typing();
            review.flush();
        }
        let file = folder.path().join(".policylens").join("annotations.json");
        std::fs::write(&file, "{ damaged").unwrap();
        let mut review = Review::open(folder.path(), &items);
        assert!(review.read_only.is_some());
        review.type_note(1, &items, "typed while damaged");
        review.end_typing();
        review.restore_backup(&items).unwrap();
        let saved: crate::annotate::Annotations =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let notes: Vec<&str> = saved.items.values().map(|n| n.note.as_str()).collect();
        assert!(notes.contains(&"typed while damaged"), "{notes:?}");
        assert!(
            notes.iter().any(|n| n.starts_with("in the backup")),
            "{notes:?}"
        );
    }
}
