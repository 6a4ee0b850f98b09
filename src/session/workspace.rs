//! An opened folder: the extraction plus the lookups the panels need, built once per
//! load. Panels cache derived views (sorted rows) keyed by the workspace's generation.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::Document;
use crate::annotate::Annotations;
use crate::extract::{Item, ItemKind, runs_by_file};
use crate::insight::FolderFacts;
use crate::insight::themes::Themes;
use crate::pipeline::Extraction;
use crate::table::{DistrictRow, SortRanks, district_overview};

pub struct Workspace {
    /// The folder (or common folder of dropped files) the documents are relative to.
    pub folder: PathBuf,
    /// Shared with background jobs (district themes) that read the text.
    pub documents: Arc<Vec<Document>>,
    /// Grouped by document in document order, each group in text order; shared with the
    /// job that re-extracts files changed on disk.
    pub items: Arc<Vec<Item>>,
    /// Per document: the range of its items in `items`.
    pub items_of_document: Vec<Range<usize>>,
    /// Per item: the index of its document.
    pub document_of_item: Vec<u32>,
    pub document_by_file: HashMap<String, usize>,
    pub districts: Vec<DistrictRow>,
    /// Article dates, item months and project stages for the charts.
    pub facts: FolderFacts,
    /// District keywords, computed by a background job after the load; `None` until then.
    pub themes: Option<Themes>,
    /// Sort ranks of the extracted items, built by a background job once the table shows.
    pub ranks: Option<SortRanks>,
    pub error_count: usize,
    /// How many of `items` came from extraction; the analyst's manual items follow.
    pub extracted_items: usize,
    /// Per document: indices of its manual items.
    pub manual_items_of_document: HashMap<usize, Vec<usize>>,
    /// What the manual items were last built from, to rebuild only on change.
    manual_signature: Vec<(String, ItemKind, Option<String>)>,
    /// Bumped whenever the data changes, so cached views know to rebuild.
    pub generation: u64,
    /// The places a district correction offers, built when first asked for.
    correction_places: std::sync::OnceLock<crate::place_names::PlaceChoices>,
    /// What full-text search needs of the documents, built by the first search.
    pub search_index: Arc<std::sync::OnceLock<crate::search::SearchIndex>>,
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
        for (file, run) in runs_by_file(&items) {
            // Items always belong to a loaded document; an unknown file would be a bug
            // upstream, and the item then simply points at document 0's slot.
            let document = document_by_file.get(file).copied().unwrap_or(0);
            document_of_item.extend(std::iter::repeat_n(document as u32, run.len()));
            items_of_document[document] = run;
        }
        let facts = FolderFacts::new(&documents, &items);
        let mut districts = district_overview(&items, &facts.article_dates);
        crate::table::attach_stated_totals(
            &mut districts,
            crate::insight::stated::stated_totals(&documents, &items),
        );
        let error_count = documents.iter().filter(|d| d.error.is_some()).count();
        let extracted_items = items.len();
        Workspace {
            extracted_items,
            manual_items_of_document: HashMap::new(),
            manual_signature: Vec::new(),
            folder,
            documents: Arc::new(documents),
            items: Arc::new(items),
            items_of_document,
            document_of_item,
            document_by_file,
            districts,
            facts,
            themes: None,
            ranks: None,
            error_count,
            generation,
            search_index: Arc::default(),
            correction_places: std::sync::OnceLock::new(),
        }
    }

    /// Rebuilds the items the analyst added by hand (after the extracted ones) when they
    /// changed. Returns their (item index, annotation id) pairs when rebuilt.
    /// Orphans (a manual item whose text left its changed file) are not shown.
    pub fn sync_manual_items(
        &mut self,
        annotations: &Annotations,
        orphans: &[String],
    ) -> Option<Vec<(usize, String)>> {
        let manual: Vec<(&String, &crate::annotate::ItemNote)> = annotations
            .items
            .iter()
            .filter(|(id, note)| {
                note.manual
                    && self
                        .document_by_file
                        .get(&note.anchor.file)
                        .is_some_and(|&d| note.anchor.end <= self.documents[d].chars)
                    && !orphans.contains(id)
            })
            .collect();
        let signature: Vec<(String, ItemKind, Option<String>)> = manual
            .iter()
            .map(|(id, note)| {
                (
                    (*id).clone(),
                    note.kind.unwrap_or(note.anchor.kind),
                    note.district.clone(),
                )
            })
            .collect();
        if signature == self.manual_signature {
            return None;
        }
        self.manual_signature = signature;
        let items = Arc::make_mut(&mut self.items);
        items.truncate(self.extracted_items);
        self.document_of_item.truncate(self.extracted_items);
        self.manual_items_of_document.clear();
        let mut attached = Vec::new();
        for (id, note) in manual {
            let anchor = &note.anchor;
            let document = self.document_by_file[&anchor.file];
            let district = note.district.clone();
            let place = district
                .as_deref()
                .and_then(|d| self.districts.iter().find(|row| row.name == d));
            let index = items.len();
            let mut item = Item::bare(
                id.clone(),
                note.kind.unwrap_or(anchor.kind),
                anchor.file.clone(),
                anchor.text.clone(),
                anchor.start..anchor.end,
            );
            item.city = place.and_then(|p| p.city.clone());
            item.province = place.and_then(|p| p.province.clone());
            item.district = district;
            item.amount_yuan = note.amount_yuan;
            items.push(item);
            self.document_of_item.push(document as u32);
            self.manual_items_of_document
                .entry(document)
                .or_default()
                .push(index);
            attached.push((index, id.clone()));
        }
        self.generation += 1;
        Some(attached)
    }

    /// Indices of every item of a document: extracted, then manual.
    pub fn items_in_document(&self, document: usize) -> Vec<usize> {
        let mut indices: Vec<usize> = self.items_of_document[document].clone().collect();
        if let Some(manual) = self.manual_items_of_document.get(&document) {
            indices.extend(manual);
        }
        indices
    }

    /// The title of the document at `file` (its file name when it has no title, or when
    /// no document is at `file`).
    /// The places a district correction offers: the folder's districts, then every
    /// county-level unit and zone of the national gazetteer.
    pub fn correction_places(&self) -> &crate::place_names::PlaceChoices {
        self.correction_places.get_or_init(|| {
            let names: Vec<String> = self.districts.iter().map(|r| r.name.clone()).collect();
            let gazetteer = crate::extract::Extractor::shared().gazetteer();
            crate::place_names::PlaceChoices::gazetteer(gazetteer, &names)
        })
    }

    pub fn document_label<'a>(&'a self, file: &'a str) -> &'a str {
        self.document_by_file
            .get(file)
            .map_or(file, |&d| self.documents[d].label())
    }

    /// The document an item comes from.
    pub fn document_of(&self, item: usize) -> &Document {
        &self.documents[self.document_of_item[item] as usize]
    }
}
