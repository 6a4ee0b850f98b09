//! Everything the analyst can ask the app to do. Panels push commands while drawing; the
//! app applies them after the frame, so no panel mutates another panel's state.

use std::path::PathBuf;

use super::i18n::Language;
use super::jobs::Source;
use super::state::Tab;
use crate::annotate::Tag;
use crate::extract::ItemKind;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show the native folder dialog (off the UI thread).
    PickFolder,
    Open(Source),
    OpenSample,
    CancelLoad,
    CloseFolder,
    /// Select an item; `reveal` scrolls the items table to it.
    SelectItem {
        item: usize,
        reveal: bool,
        extend: Extend,
    },
    SelectDocument(usize),
    /// The full-text search, with the keyboard in its query field.
    ShowSearch,
    ShowAbout,
    /// Ask for a REFI-QDA project or codebook to import tags from.
    PickTagImport,
    /// Add the codes of this `.qdpx` or `.qdc` as tags (one undo step).
    ImportTags(std::path::PathBuf),
    /// *Sort names by pinyin* rather than by code point (the Districts tab).
    SortNamesByPinyin(bool),
    /// Opens the article at this match of the search (its index among the matches).
    ShowSearchMatch(usize),
    /// The next or previous match of the search (F3, Shift+F3).
    StepSearchMatch {
        forward: bool,
    },
    FilterDistrict(Option<String>),
    FilterDocument(Option<String>),
    /// Only items dated to this month (the activity chart).
    FilterMonth(Option<crate::insight::Month>),
    /// The items table's filter as its filter bar left it.
    SetItemFilter(crate::table::ItemFilter),
    /// A click on an items-table header: sort by it, or reverse.
    SortItems(crate::table::ItemColumn),
    /// Shows or hides a column of the items table (the header's right-click menu).
    ToggleItemColumn(crate::table::ItemColumn),
    /// Put project items into a group (merge, split out) or back into their automatic
    /// group (`None`). One undo step.
    SetProjectGroup {
        items: Vec<usize>,
        group: Option<String>,
    },
    ShowTab(Tab),
    SetLanguage(Language),
    SetDarkMode(bool),
    ToggleDocuments,
    Zoom(ZoomStep),
    Quit,
    /// Toggle a tag on the selected items (keys 1–9, the inspector's chips).
    ToggleTag(u32),
    /// The focused item's note, while typing.
    TypeNote {
        item: usize,
        text: String,
    },
    EndTyping,
    SetRejected {
        item: usize,
        rejected: bool,
    },
    CorrectDistrict {
        item: usize,
        district: Option<String>,
    },
    CorrectKind {
        item: usize,
        kind: Option<ItemKind>,
    },
    CorrectAmount {
        item: usize,
        amount_yuan: Option<f64>,
    },
    DocumentNote {
        file: String,
        text: String,
    },
    /// Accept (or reject) these items, as one undo step (the review queue).
    Judge {
        items: Vec<usize>,
        accept: bool,
    },
    /// Open *Edit → Lexicon…*.
    ShowLexicon,
    /// Make this the lexicon at `path`, the folder's or the user's (the lexicon
    /// window's Apply), undoable.
    SetLexicon {
        path: std::path::PathBuf,
        lexicon: crate::lexicon::Lexicon,
    },
    /// Ask for a list (roster, tracked projects) to import as entries of this kind.
    PickLexiconImport(ItemKind),
    /// Import the list at `path` into the open lexicon window.
    ImportLexiconList {
        kind: ItemKind,
        path: std::path::PathBuf,
    },
    /// Reject every item of this kind and text in the folder, as one undo step.
    RejectEvery {
        kind: ItemKind,
        text: String,
    },
    /// Add a `never` entry to the folder's lexicon (undoable) and apply it.
    NeverExtract {
        kind: ItemKind,
        text: String,
    },
    /// Add an `always` entry to the folder's lexicon (undoable) and apply it.
    AlwaysExtract {
        kind: ItemKind,
        text: String,
        district: Option<String>,
    },
    /// Add a span of a document (character offsets) as a manual item.
    AddManualItem {
        document: usize,
        start: usize,
        end: usize,
        kind: ItemKind,
    },
    SetTags(Vec<Tag>),
    Undo,
    Redo,
    RestoreBackup,
    ShowTagManager,
    ShowOrphans,
    /// The items tab with its filter focused (Ctrl+F).
    FindInItems,
    ShowKeyboardShortcuts,
    /// Ask where to export (off the UI thread).
    PickExportPath(ExportWhat),
    Export {
        what: ExportWhat,
        path: PathBuf,
    },
    OpenExportFolder,
    /// Show the folder holding this document's file in the file manager.
    OpenDocumentFolder(usize),
    /// Search the articles for this text (the source view's menu).
    SearchFor(String),
}

/// How a click on a row changes the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extend {
    /// Plain click: this item only.
    Replace,
    /// Ctrl-click: add or remove this item.
    Toggle,
    /// Shift-click: every shown row from the last clicked one to this one.
    Range,
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    /// The rows the items table shows (filters applied).
    ShownItems,
    /// Every item, plus manual items and orphaned annotations.
    AllItems,
    Districts,
    /// One row per project group.
    Projects,
    /// The chart on screen, as a PNG image.
    ChartPng,
    /// The reviewed work as a REFI-QDA project for ATLAS.ti, MAXQDA, NVivo, QualCoder.
    Qdpx,
}

impl ExportWhat {
    /// The file name a save dialog suggests.
    pub fn suggested_file_name(self) -> &'static str {
        match self {
            ExportWhat::Districts => "districts.csv",
            ExportWhat::Projects => "projects.csv",
            ExportWhat::ChartPng => "chart.png",
            ExportWhat::Qdpx => "project.qdpx",
            ExportWhat::ShownItems | ExportWhat::AllItems => "notes.csv",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomStep {
    In,
    Out,
    Reset,
}
