//! Every change to annotations is an [`Edit`] that records the state before and after,
//! so its inverse is the same edit with the two swapped. [`History`] keeps them for
//! undo and redo; one gesture (tagging twenty selected rows) is one edit.

use super::{Annotations, ItemNote, Tag};

/// One undoable change.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An item's annotation replaced (`None`: no annotation).
    Item {
        id: String,
        before: Option<Box<ItemNote>>,
        after: Option<Box<ItemNote>>,
    },
    /// A document's note replaced.
    DocumentNote {
        file: String,
        before: Option<String>,
        after: Option<String>,
    },
    /// The tag set replaced (rename, recolour, add, delete).
    Tags { before: Vec<Tag>, after: Vec<Tag> },
    /// Several edits as one step.
    Batch(Vec<Edit>),
}

impl Edit {
    /// The edit that sets `id`'s annotation to `after` (dropping it when empty).
    pub fn item(annotations: &Annotations, id: &str, after: ItemNote) -> Edit {
        Edit::Item {
            id: id.to_owned(),
            before: annotations.items.get(id).cloned().map(Box::new),
            after: (!after.is_empty()).then(|| Box::new(after)),
        }
    }

    /// True when applying the edit changes nothing.
    pub fn is_noop(&self) -> bool {
        match self {
            Edit::Item { before, after, .. } => before == after,
            Edit::DocumentNote { before, after, .. } => before == after,
            Edit::Tags { before, after } => before == after,
            Edit::Batch(edits) => edits.iter().all(Edit::is_noop),
        }
    }

    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Item { id, before, after } => Edit::Item {
                id: id.clone(),
                before: after.clone(),
                after: before.clone(),
            },
            Edit::DocumentNote {
                file,
                before,
                after,
            } => Edit::DocumentNote {
                file: file.clone(),
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Tags { before, after } => Edit::Tags {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Batch(edits) => Edit::Batch(edits.iter().rev().map(Edit::inverse).collect()),
        }
    }

    pub fn apply(&self, annotations: &mut Annotations) {
        match self {
            Edit::Item { id, after, .. } => match after {
                Some(note) => {
                    annotations.items.insert(id.clone(), (**note).clone());
                }
                None => {
                    annotations.items.remove(id);
                }
            },
            Edit::DocumentNote { file, after, .. } => match after {
                Some(note) if !note.is_empty() => {
                    annotations.documents.insert(file.clone(), note.clone());
                }
                _ => {
                    annotations.documents.remove(file);
                }
            },
            Edit::Tags { after, .. } => annotations.tags.clone_from(after),
            Edit::Batch(edits) => {
                for edit in edits {
                    edit.apply(annotations);
                }
            }
        }
    }
}

/// Undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// The item whose note is being typed: further typing merges into the last edit.
    typing: Option<String>,
}

impl History {
    /// Applies `edit` and makes it undoable; returns false (and does nothing) for an edit
    /// that changes nothing.
    pub fn perform(&mut self, annotations: &mut Annotations, edit: Edit) -> bool {
        if edit.is_noop() {
            return false;
        }
        edit.apply(annotations);
        self.undo.push(edit);
        self.redo.clear();
        self.typing = None;
        true
    }

    pub fn undo(&mut self, annotations: &mut Annotations) -> bool {
        let Some(edit) = self.undo.pop() else {
            return false;
        };
        edit.inverse().apply(annotations);
        self.redo.push(edit);
        self.typing = None;
        true
    }

    pub fn redo(&mut self, annotations: &mut Annotations) -> bool {
        let Some(edit) = self.redo.pop() else {
            return false;
        };
        edit.apply(annotations);
        self.undo.push(edit);
        self.typing = None;
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// How many steps can be undone.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Like [`History::perform`], but consecutive edits of the same item's note while
    /// typing are one undo step, until [`History::end_typing`].
    pub fn perform_typing(&mut self, annotations: &mut Annotations, edit: Edit) -> bool {
        if let Edit::Item { id, after, .. } = &edit
            && self.typing.as_deref() == Some(id.as_str())
            && let Some(Edit::Item {
                id: last_id,
                after: last_after,
                ..
            }) = self.undo.last_mut()
            && last_id == id
        {
            edit.apply(annotations);
            last_after.clone_from(after);
            return true;
        }
        let typing = match &edit {
            Edit::Item { id, .. } => Some(id.clone()),
            _ => None,
        };
        let performed = self.perform(annotations, edit);
        if performed {
            self.typing = typing;
        }
        performed
    }

    /// Ends a typing run (the note editor lost focus, another item was selected).
    pub fn end_typing(&mut self) {
        self.typing = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_restore_exact_states() {
        let mut annotations = Annotations::default();
        let mut history = History::default();
        let start = annotations.clone();
        let mut note = ItemNote::default();
        note.tags.insert(1);
        let edit = Edit::item(&annotations, "a", note.clone());
        assert!(history.perform(&mut annotations, edit));
        let tagged = annotations.clone();
        note.note = "重要".into();
        let batch = Edit::Batch(vec![
            Edit::item(&annotations, "a", note),
            Edit::DocumentNote {
                file: "x.txt".into(),
                before: None,
                after: Some("doc".into()),
            },
        ]);
        history.perform(&mut annotations, batch);
        let noted = annotations.clone();
        assert!(history.undo(&mut annotations));
        assert_eq!(annotations, tagged);
        assert!(history.undo(&mut annotations));
        assert_eq!(annotations, start);
        assert!(!history.undo(&mut annotations));
        assert!(history.redo(&mut annotations));
        assert!(history.redo(&mut annotations));
        assert_eq!(annotations, noted);
    }

    #[test]
    fn an_emptied_note_is_removed_and_noops_are_not_recorded() {
        let mut annotations = Annotations::default();
        let mut history = History::default();
        let mut note = ItemNote::default();
        note.tags.insert(2);
        let edit = Edit::item(&annotations, "a", note.clone());
        history.perform(&mut annotations, edit);
        note.tags.clear();
        let edit = Edit::item(&annotations, "a", note.clone());
        history.perform(&mut annotations, edit);
        assert!(annotations.items.is_empty());
        let edit = Edit::item(&annotations, "a", note);
        assert!(!history.perform(&mut annotations, edit));
    }

    #[test]
    fn typing_merges_into_one_undo_step() {
        let mut annotations = Annotations::default();
        let mut history = History::default();
        let mut note = ItemNote::default();
        for text in ["重", "重点", "重点项目"] {
            note.note = text.into();
            let edit = Edit::item(&annotations, "a", note.clone());
            history.perform_typing(&mut annotations, edit);
        }
        assert_eq!(annotations.items["a"].note, "重点项目");
        history.end_typing();
        note.note = "重点项目。".into();
        let edit = Edit::item(&annotations, "a", note.clone());
        history.perform_typing(&mut annotations, edit);
        history.undo(&mut annotations);
        assert_eq!(annotations.items["a"].note, "重点项目");
        history.undo(&mut annotations);
        assert!(annotations.items.is_empty());
    }
}
