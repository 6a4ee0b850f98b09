//! An opened folder: the extraction plus the lookups the panels need, built once per
//! load. Panels cache derived views (sorted rows) keyed by the workspace's generation.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::Document;
use crate::extract::Item;
use crate::pipeline::Extraction;
use crate::table::{DistrictRow, district_overview};

pub struct Workspace {
    /// The folder (or common folder of dropped files) the documents are relative to.
    pub folder: PathBuf,
    pub documents: Vec<Document>,
    /// Grouped by document in document order, each group in text order.
    pub items: Vec<Item>,
    /// Per document: the range of its items in `items`.
    pub items_of_document: Vec<Range<usize>>,
    /// Per item: the index of its document.
    pub document_of_item: Vec<u32>,
    pub document_by_file: HashMap<String, usize>,
    pub districts: Vec<DistrictRow>,
    pub error_count: usize,
    /// Bumped whenever the data changes, so cached views know to rebuild.
    pub generation: u64,
}

impl Workspace {
    pub fn new(extraction: Extraction, generation: u64) -> Workspace {
        let Extraction {
            folder,
            documents,
            items,
            ..
        } = extraction;
        let document_by_file: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.file.clone(), i))
            .collect();
        let mut items_of_document = vec![0..0; documents.len()];
        let mut document_of_item = Vec::with_capacity(items.len());
        let mut start = 0;
        while start < items.len() {
            let file = &items[start].file;
            let end = start
                + items[start..]
                    .iter()
                    .take_while(|i| i.file == *file)
                    .count();
            // Items always belong to a loaded document; an unknown file would be a bug
            // upstream, and the item then simply points at document 0's slot.
            let document = document_by_file.get(file).copied().unwrap_or(0);
            items_of_document[document] = start..end;
            document_of_item.extend(std::iter::repeat_n(document as u32, end - start));
            start = end;
        }
        let districts = district_overview(&items);
        let error_count = documents.iter().filter(|d| d.error.is_some()).count();
        Workspace {
            folder,
            documents,
            items,
            items_of_document,
            document_of_item,
            document_by_file,
            districts,
            error_count,
            generation,
        }
    }

    /// The document an item comes from.
    pub fn document_of(&self, item: usize) -> &Document {
        &self.documents[self.document_of_item[item] as usize]
    }
}
