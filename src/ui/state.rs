//! UI state that survives restarts (eframe persistence): recent folders, language, theme,
//! sort orders, the open tab. Window size, panel sizes and column widths are kept by
//! eframe and egui themselves. Never the analyst's annotations: those have their own store.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::i18n::Language;
use crate::table::{DistrictColumn, ItemColumn, ItemFilter, Sort};

/// How many folders the recent list keeps.
const RECENT_LIMIT: usize = 8;

/// The tab shown in the main area.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Items,
    Districts,
    Charts,
    Projects,
    Search,
}

/// Persisted settings. `#[serde(default)]` so that state saved by an older version
/// still loads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub recent_folders: Vec<PathBuf>,
    pub last_folder: Option<PathBuf>,
    pub language: Language,
    pub dark_mode: bool,
    pub tab: Tab,
    pub item_sort: Option<Sort<ItemColumn>>,
    pub district_sort: Option<Sort<DistrictColumn>>,
    /// Kinds hidden in the items table (the rest of the filter is per session).
    pub item_filter: ItemFilter,
    pub show_documents: bool,
    /// Columns of the items table the analyst hid (header right-click).
    pub hidden_item_columns: BTreeSet<ItemColumn>,
    /// District names sort by pinyin rather than by code point.
    pub names_by_pinyin: bool,
    /// How the analyst left each folder's tables, most recent first: the tab, sort
    /// orders and the lasting part of the filter follow the folder, never into another.
    pub folder_views: Vec<FolderView>,
}

/// A folder's view: restored when the folder opens again (issue 15 §5: with only
/// *Officials* left on in one folder, another folder's charts looked empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FolderView {
    pub folder: PathBuf,
    pub tab: Tab,
    pub item_sort: Option<Sort<ItemColumn>>,
    pub district_sort: Option<Sort<DistrictColumn>>,
    pub item_filter: ItemFilter,
}

/// How many folders' views are remembered.
const VIEW_LIMIT: usize = 64;

impl Default for Settings {
    fn default() -> Self {
        Self {
            recent_folders: Vec::new(),
            last_folder: None,
            language: Language::default(),
            dark_mode: false,
            tab: Tab::default(),
            item_sort: None,
            district_sort: None,
            item_filter: ItemFilter::default(),
            show_documents: true,
            // Rarely read beside the rest; a right-click on a header brings them back.
            hidden_item_columns: BTreeSet::from([ItemColumn::Place, ItemColumn::Capacity]),
            names_by_pinyin: false,
            folder_views: Vec::new(),
        }
    }
}

impl Settings {
    /// Puts `folder` first in the recent list.
    pub fn remember_folder(&mut self, folder: &Path) {
        self.recent_folders.retain(|f| f != folder);
        self.recent_folders.insert(0, folder.to_path_buf());
        self.recent_folders.truncate(RECENT_LIMIT);
        self.last_folder = Some(folder.to_path_buf());
    }

    /// The persisted form: per-session narrowing (district, document, tag, month, text)
    /// is dropped.
    pub fn for_saving(&self) -> Settings {
        let mut saved = self.clone();
        saved.item_filter = self.item_filter.lasting();
        saved
    }

    /// Keeps the current view (tab, sort orders, the lasting part of the filter) as
    /// `folder`'s.
    pub fn stash_view(&mut self, folder: &Path) {
        self.folder_views.retain(|v| v.folder != folder);
        self.folder_views.insert(
            0,
            FolderView {
                folder: folder.to_path_buf(),
                tab: self.tab,
                item_sort: self.item_sort,
                district_sort: self.district_sort,
                item_filter: self.item_filter.lasting(),
            },
        );
        self.folder_views.truncate(VIEW_LIMIT);
    }

    /// Puts `folder`'s last view in place, or the defaults for a folder not seen before.
    pub fn restore_view(&mut self, folder: &Path) {
        // Settings saved before views were kept per folder hold one view for all: it
        // becomes the first folder's.
        if self.folder_views.is_empty() {
            return;
        }
        let view = self
            .folder_views
            .iter()
            .find(|v| v.folder == folder)
            .cloned()
            .unwrap_or_default();
        self.tab = view.tab;
        self.item_sort = view.item_sort;
        self.district_sort = view.district_sort;
        self.item_filter = view.item_filter;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_folders_are_most_recent_first_without_duplicates() {
        let mut settings = Settings::default();
        for name in ["a", "b", "a", "c"] {
            settings.remember_folder(Path::new(name));
        }
        assert_eq!(
            settings.recent_folders,
            [PathBuf::from("c"), PathBuf::from("a"), PathBuf::from("b")]
        );
        for i in 0..20 {
            settings.remember_folder(Path::new(&format!("f{i}")));
        }
        assert_eq!(settings.recent_folders.len(), RECENT_LIMIT);
        assert_eq!(settings.last_folder.as_deref(), Some(Path::new("f19")));
    }

    /// A kind hidden in one folder stays hidden there, and only there.
    #[test]
    fn each_folder_keeps_its_own_view() {
        use crate::extract::ItemKind;
        let mut settings = Settings::default();
        settings.item_filter.hidden_kinds.insert(ItemKind::Project);
        settings.item_filter.district = Some("清徐县".into());
        settings.tab = Tab::Charts;
        settings.stash_view(Path::new("/a"));
        settings.restore_view(Path::new("/b"));
        assert_eq!(settings.item_filter, ItemFilter::default());
        assert_eq!(settings.tab, Tab::Items);
        settings.stash_view(Path::new("/b"));
        // Saved and loaded again, as on restart.
        let json = serde_json::to_string(&settings.for_saving()).unwrap();
        let mut settings: Settings = serde_json::from_str(&json).unwrap();
        settings.restore_view(Path::new("/a"));
        assert!(
            settings
                .item_filter
                .hidden_kinds
                .contains(&ItemKind::Project)
        );
        assert_eq!(
            settings.item_filter.district, None,
            "narrowing is per session"
        );
        assert_eq!(settings.tab, Tab::Charts);
    }

    #[test]
    fn old_saved_state_without_new_fields_still_loads() {
        let settings: Settings = serde_json::from_str(r#"{"dark_mode": true}"#).unwrap();
        assert!(settings.dark_mode);
        assert_eq!(settings.tab, Tab::Items);
    }
}
