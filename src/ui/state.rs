//! UI state that survives restarts (eframe persistence): recent folders, language, theme,
//! sort orders, the open tab. Window size, panel sizes and column widths are kept by
//! eframe and egui themselves. Never the analyst's annotations: those have their own store.

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
}

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

    /// The persisted form: per-session narrowing (district, document, text) is dropped.
    pub fn for_saving(&self) -> Settings {
        let mut saved = self.clone();
        saved.item_filter = ItemFilter {
            hidden_kinds: self.item_filter.hidden_kinds.clone(),
            ..ItemFilter::default()
        };
        saved
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

    #[test]
    fn old_saved_state_without_new_fields_still_loads() {
        let settings: Settings = serde_json::from_str(r#"{"dark_mode": true}"#).unwrap();
        assert!(settings.dark_mode);
        assert_eq!(settings.tab, Tab::Items);
    }
}
