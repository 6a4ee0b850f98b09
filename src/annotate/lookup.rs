//! Finding the analyst's annotation of an item by its index: what the table, the
//! insights and the exports read notes through.

use super::{Annotations, ItemNote};

/// The analyst's annotation of each item, by item index (none for most items).
pub trait NoteLookup: Sync {
    fn note(&self, item: usize) -> Option<&ItemNote>;
}

/// No annotations at all (command line, benchmarks).
pub struct NoNotes;

impl NoteLookup for NoNotes {
    fn note(&self, _item: usize) -> Option<&ItemNote> {
        None
    }
}

/// Annotations attached to items by [`Annotations::attach`].
pub struct AttachedNotes<'a> {
    pub annotations: &'a Annotations,
    pub by_item: &'a std::collections::HashMap<usize, String>,
}

impl NoteLookup for AttachedNotes<'_> {
    fn note(&self, item: usize) -> Option<&ItemNote> {
        self.annotations.items.get(self.by_item.get(&item)?)
    }
}
