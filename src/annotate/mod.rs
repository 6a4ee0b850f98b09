//! The analyst's own work: tags, notes, corrections and manual items, keyed by stable
//! item ids, with the original text and offsets kept beside each so nothing is lost when
//! an item is no longer found (it becomes an orphan, never dropped).
//!
//! [`edit`] changes annotations only through invertible edits (undo/redo); [`store`]
//! saves them atomically in the folder's `.policylens/annotations.json`.

pub mod edit;
pub mod lookup;
pub mod store;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::extract::{Item, ItemKind};

/// Version of the annotations file format; a file with a higher version is never
/// overwritten.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the analyst wrote about one folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotations {
    pub schema_version: u32,
    pub tags: Vec<Tag>,
    /// Per item id. Manual items are here too, under ids starting with `manual-`.
    pub items: BTreeMap<String, ItemNote>,
    /// Per document (relative path): the analyst's note on the whole article.
    pub documents: BTreeMap<String, String>,
}

impl Default for Annotations {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tags: Tag::defaults(),
            items: BTreeMap::new(),
            documents: BTreeMap::new(),
        }
    }
}

/// A tag the analyst can put on items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Stable within the folder, so renaming a tag keeps its items.
    pub id: u32,
    pub name: String,
    /// sRGB.
    pub color: [u8; 3],
}

impl Tag {
    /// The tags a new folder starts with.
    pub fn defaults() -> Vec<Tag> {
        let tag = |id, name: &str, color| Tag {
            id,
            name: name.to_owned(),
            color,
        };
        vec![
            tag(1, "重点 Key", [0xd9, 0x3f, 0x3f]),
            tag(2, "待核实 To verify", [0xe0, 0x9b, 0x1a]),
            tag(3, "已核实 Verified", [0x2e, 0x9d, 0x5b]),
            tag(4, "无关 Irrelevant", [0x8a, 0x8f, 0x98]),
        ]
    }
}

/// Where an annotated item was when it was annotated: enough to show it and to find it
/// again when its id no longer matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub file: String,
    pub kind: ItemKind,
    pub text: String,
    /// Character offsets into the document's text.
    pub start: usize,
    pub end: usize,
}

impl Anchor {
    pub fn of(item: &Item) -> Anchor {
        Anchor {
            file: item.file.clone(),
            kind: item.kind,
            text: item.text.clone(),
            start: item.start,
            end: item.end,
        }
    }
}

/// The analyst's annotation of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemNote {
    pub anchor: Anchor,
    pub tags: BTreeSet<u32>,
    pub note: String,
    /// Marked as wrong: hidden by default, kept and exportable.
    pub rejected: bool,
    /// Confirmed right in the review queue.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    /// Added by hand from a selection in the source view.
    pub manual: bool,
    /// Corrections; the original extraction stays visible beside them.
    pub district: Option<String>,
    pub kind: Option<ItemKind>,
    pub amount_yuan: Option<f64>,
    /// The project group the analyst put this project in (merged or split by hand);
    /// `None` groups it by its normalised name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Default for ItemNote {
    fn default() -> Self {
        Self {
            anchor: Anchor {
                file: String::new(),
                kind: ItemKind::Project,
                text: String::new(),
                start: 0,
                end: 0,
            },
            tags: BTreeSet::new(),
            note: String::new(),
            rejected: false,
            accepted: false,
            manual: false,
            district: None,
            kind: None,
            amount_yuan: None,
            group: None,
        }
    }
}

impl ItemNote {
    /// A fresh note on `item`.
    pub fn on(item: &Item) -> ItemNote {
        ItemNote {
            anchor: Anchor::of(item),
            ..ItemNote::default()
        }
    }

    /// True when the note says nothing (no tag, note, correction or flag) and can go.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
            && self.note.is_empty()
            && !self.rejected
            && !self.accepted
            && !self.manual
            && self.district.is_none()
            && self.kind.is_none()
            && self.amount_yuan.is_none()
            && self.group.is_none()
    }

    pub fn is_corrected(&self) -> bool {
        self.district.is_some() || self.kind.is_some() || self.amount_yuan.is_some()
    }

    pub fn status(&self) -> Status {
        if self.rejected {
            Status::Rejected
        } else if self.manual {
            Status::Manual
        } else if self.is_corrected() {
            Status::Corrected
        } else if self.accepted {
            Status::Accepted
        } else {
            Status::Extracted
        }
    }

    /// Whether the analyst has judged the item: accepted, rejected, corrected or added.
    pub fn is_reviewed(&self) -> bool {
        self.status() != Status::Extracted
    }
}

/// Review status of an item, as exported (`extracted` is not reviewed yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Extracted,
    Accepted,
    Corrected,
    Manual,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Extracted => "extracted",
            Status::Accepted => "accepted",
            Status::Corrected => "corrected",
            Status::Manual => "manual",
            Status::Rejected => "rejected",
        }
    }
}

/// How annotations hang on a fresh extraction.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Attachment {
    /// Item index → annotation id.
    pub by_item: HashMap<usize, String>,
    /// Annotation ids whose item was found again under a new id: (old id, new id).
    /// The caller re-keys them so the next save stores the current id.
    pub re_anchored: Vec<(String, String)>,
    /// Annotation ids whose item is gone (manual items are never orphans).
    pub orphans: Vec<String>,
}

impl Annotations {
    /// Attaches every annotation to an item of `items`: by id first; else, for items the
    /// extractor no longer finds under the same id (the text moved, the rules changed), by
    /// the same file, kind and text nearest the old offsets. The rest are orphans.
    pub fn attach(&self, items: &[Item]) -> Attachment {
        let by_id: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.as_str(), i))
            .collect();
        let mut attachment = Attachment::default();
        let mut unmatched = Vec::new();
        for (id, note) in &self.items {
            if note.manual {
                continue;
            }
            match by_id.get(id.as_str()) {
                Some(&index) => {
                    attachment.by_item.insert(index, id.clone());
                }
                None => unmatched.push((id, note)),
            }
        }
        for (id, note) in unmatched {
            let anchor = &note.anchor;
            let candidate = items
                .iter()
                .enumerate()
                .filter(|(i, item)| {
                    item.file == anchor.file
                        && item.kind == anchor.kind
                        && item.text == anchor.text
                        && !attachment.by_item.contains_key(i)
                })
                .min_by_key(|(_, item)| item.start.abs_diff(anchor.start));
            match candidate {
                Some((index, item)) => {
                    attachment.by_item.insert(index, id.clone());
                    attachment.re_anchored.push((id.clone(), item.id.clone()));
                }
                None => attachment.orphans.push(id.clone()),
            }
        }
        attachment
    }

    /// The tag with `id`.
    pub fn tag(&self, id: u32) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    /// An id for a new tag.
    pub fn next_tag_id(&self) -> u32 {
        next_tag_id(&self.tags)
    }

    /// The ids of tags named `names` (the whole name, or its part before a space:
    /// `重点` for `重点 Key`); the first unknown name is the error.
    pub fn tag_ids_named(&self, names: &[String]) -> Result<Vec<u32>, String> {
        names
            .iter()
            .map(|name| {
                self.tags
                    .iter()
                    .find(|t| t.name == *name || t.name.split(' ').next() == Some(name.as_str()))
                    .map(|t| t.id)
                    .ok_or_else(|| name.clone())
            })
            .collect()
    }

    /// Names of an item's tags, in tag order, `;`-separated (the export's form).
    pub fn tag_names(&self, note: &ItemNote) -> String {
        self.tags
            .iter()
            .filter(|t| note.tags.contains(&t.id))
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }

    /// An id for a new manual item.
    pub fn next_manual_id(&self) -> String {
        let next = self
            .items
            .keys()
            .filter_map(|k| k.strip_prefix("manual-")?.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        format!("manual-{next}")
    }
}

/// The id for a new tag among `tags` (a tag manager's draft, or the saved tags).
pub fn next_tag_id(tags: &[Tag]) -> u32 {
    tags.iter().map(|t| t.id).max().unwrap_or(0) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, file: &str, text: &str, start: usize) -> Item {
        let end = start + text.chars().count();
        Item::bare(
            id.into(),
            ItemKind::Project,
            file.into(),
            text.into(),
            start..end,
        )
    }

    #[test]
    fn annotations_follow_ids_then_text_then_become_orphans() {
        let old = [
            item("a", "x.txt", "清源水城", 10),
            item("b", "x.txt", "南部新城", 30),
            item("c", "y.txt", "大学城", 5),
        ];
        let mut annotations = Annotations::default();
        for i in &old {
            let mut note = ItemNote::on(i);
            note.note = format!("note on {}", i.text);
            annotations.items.insert(i.id.clone(), note);
        }
        // Re-extracted: `a` keeps its id, `b` moved and got a new id, `c` is gone.
        let new = [
            item("a", "x.txt", "清源水城", 10),
            item("b2", "x.txt", "南部新城", 42),
        ];
        let attachment = annotations.attach(&new);
        assert_eq!(attachment.by_item.get(&0).map(String::as_str), Some("a"));
        assert_eq!(attachment.by_item.get(&1).map(String::as_str), Some("b"));
        assert_eq!(attachment.re_anchored, [("b".to_owned(), "b2".to_owned())]);
        assert_eq!(attachment.orphans, ["c".to_owned()]);
    }

    #[test]
    fn status_reflects_flags_and_corrections() {
        let mut note = ItemNote::default();
        assert_eq!(note.status(), Status::Extracted);
        note.district = Some("清徐县".into());
        assert_eq!(note.status(), Status::Corrected);
        note.rejected = true;
        assert_eq!(note.status(), Status::Rejected);
    }

    #[test]
    fn old_files_without_new_fields_load() {
        let json = r#"{"schema_version": 1, "items": {"a": {"anchor": {"file": "x.txt",
            "kind": "project", "text": "t", "start": 1, "end": 2}, "note": "n"}}}"#;
        let annotations: Annotations = serde_json::from_str(json).unwrap();
        assert_eq!(annotations.items["a"].note, "n");
        assert!(annotations.items["a"].tags.is_empty());
        assert_eq!(annotations.tags, Tag::defaults());
    }
}
