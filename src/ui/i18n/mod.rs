//! The interface's strings in English and Simplified Chinese, switchable at run time.
//! A plain table: every string is reviewed by hand, none machine-translated.

use serde::{Deserialize, Serialize};

use crate::extract::ItemKind;

/// Interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

impl Language {
    pub fn strings(self) -> &'static Strings {
        match self {
            Language::English => &ENGLISH,
            Language::Chinese => &CHINESE,
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Chinese => "简体中文",
        }
    }
}

/// Every string the interface shows.
#[derive(Debug)]
pub struct Strings {
    pub app_tagline: &'static str,
    pub menu_file: &'static str,
    pub menu_view: &'static str,
    pub open_folder: &'static str,
    pub open_sample: &'static str,
    pub open_sample_hint: &'static str,
    pub recent_folders: &'static str,
    pub no_recent: &'static str,
    pub close_folder: &'static str,
    pub quit: &'static str,
    pub drop_hint: &'static str,
    pub theme_dark: &'static str,
    pub theme_light: &'static str,
    pub language: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub zoom_reset: &'static str,
    pub loading: &'static str,
    pub cancel: &'static str,
    pub cancelled: &'static str,
    pub files_done: &'static str,
    pub errors_so_far: &'static str,
    pub tab_items: &'static str,
    pub tab_districts: &'static str,
    pub documents: &'static str,
    pub all_documents: &'static str,
    pub filter_hint: &'static str,
    pub filter_label: &'static str,
    pub all_districts: &'static str,
    pub district_label: &'static str,
    pub document_label: &'static str,
    pub clear_filters: &'static str,
    pub col_kind: &'static str,
    pub col_text: &'static str,
    pub col_district: &'static str,
    pub col_place: &'static str,
    pub col_amount: &'static str,
    pub col_capacity: &'static str,
    pub col_confidence: &'static str,
    pub col_post: &'static str,
    pub confidence_below: &'static str,
    pub confidence_below_tip: &'static str,
    pub col_date: &'static str,
    pub col_document: &'static str,
    pub col_name: &'static str,
    pub col_documents: &'static str,
    pub col_mentions: &'static str,
    pub col_projects: &'static str,
    pub col_officials: &'static str,
    pub col_investment: &'static str,
    pub col_investment_tip: &'static str,
    pub col_first_date: &'static str,
    pub col_last_date: &'static str,
    pub col_title: &'static str,
    pub col_encoding: &'static str,
    pub col_items: &'static str,
    pub no_items: &'static str,
    pub source: &'static str,
    pub source_empty: &'static str,
    /// Beside each paragraph of a PDF: its page.
    pub source_page: &'static str,
    pub selected: &'static str,
    pub load_errors: &'static str,
    pub status_documents: &'static str,
    pub status_items: &'static str,
    pub status_shown: &'static str,
    pub status_errors: &'static str,
    pub status_ready: &'static str,
    pub could_not_open: &'static str,
    pub district_filter_tip: &'static str,
    pub show_rejected: &'static str,
    pub orphaned: &'static str,
    pub orphaned_tip: &'static str,
    pub tag_label: &'static str,
    pub all_tags: &'static str,
    pub col_tags: &'static str,
    pub col_note: &'static str,
    pub review: &'static str,
    pub note_label: &'static str,
    pub document_note: &'static str,
    pub rejected: &'static str,
    pub correct_district: &'static str,
    pub correct_kind: &'static str,
    pub correct_amount: &'static str,
    pub as_extracted: &'static str,
    pub original: &'static str,
    pub menu_edit: &'static str,
    pub menu_help: &'static str,
    pub find_in_items: &'static str,
    /// `{shown}` of `{total}` rows, then the active filters.
    pub shown_of_total: &'static str,
    pub filter_names: [&'static str; 8],
    /// `{n}` items, `{tag}` the tag's name.
    pub tagged_items: &'static str,
    pub untagged_items: &'static str,
    pub keyboard_shortcuts: &'static str,
    pub shortcut_tags: &'static str,
    pub shortcut_rows: &'static str,
    pub shortcut_escape: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub tags: &'static str,
    pub tag_manager: &'static str,
    pub add_tag: &'static str,
    pub delete: &'static str,
    pub delete_tag_confirm: &'static str,
    pub apply: &'static str,
    pub close: &'static str,
    pub export_shown: &'static str,
    pub export_shown_tip: &'static str,
    pub export_all: &'static str,
    pub export_districts: &'static str,
    pub exported: &'static str,
    pub open_export_folder: &'static str,
    pub restore_backup: &'static str,
    pub saved_in: &'static str,
    pub save_failed: &'static str,
    pub orphans_title: &'static str,
    pub changed_on_disk: &'static str,
    pub files_added: &'static str,
    pub files_changed: &'static str,
    pub files_removed: &'static str,
    pub re_extracted: &'static str,
    pub orphaned_after_change: &'static str,
    pub folder_gone: &'static str,
    pub annotations_rescued: &'static str,
    pub annotations_not_rescued: &'static str,
    pub not_watching: &'static str,
    pub dismiss: &'static str,
    pub long_article_showing: &'static str,
    pub characters: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub selected_n: &'static str,
    pub tag_keys_hint: &'static str,
    pub no_item_selected: &'static str,
    pub saved: &'static str,
    pub add_as: &'static str,
    pub other_cities: &'static str,
    pub shown_columns: &'static str,
    pub select_text_hint: &'static str,
    pub saving: &'static str,
    pub not_saved: &'static str,
    pub read_only_state: &'static str,
    pub quit_unsaved_title: &'static str,
    pub quit_unsaved_body: &'static str,
    pub quit_anyway: &'static str,
    pub keep_open: &'static str,
    pub annotations_count: &'static str,
    pub tab_charts: &'static str,
    pub tab_projects: &'static str,
    pub chart_investment: &'static str,
    pub chart_activity: &'static str,
    pub chart_kinds: &'static str,
    pub chart_themes: &'static str,
    pub save_png: &'static str,
    pub charts_follow_filters: &'static str,
    pub investment_rule: &'static str,
    pub investment_rule_tip: &'static str,
    pub investment_axis: &'static str,
    pub no_investment: &'static str,
    pub undated_items: &'static str,
    pub activity_rule_tip: &'static str,
    pub items_axis: &'static str,
    pub no_chart_data: &'static str,
    pub themes_computing: &'static str,
    pub themes_rule_tip: &'static str,
    pub compare_with: &'static str,
    pub nothing: &'static str,
    pub col_themes: &'static str,
    pub col_project: &'static str,
    pub col_history: &'static str,
    pub col_stages: &'static str,
    pub merge_groups: &'static str,
    pub merge_groups_tip: &'static str,
    pub split_out: &'static str,
    pub automatic_grouping: &'static str,
    pub export_projects: &'static str,
    pub projects_hint: &'static str,
    pub no_projects: &'static str,
    pub date_unknown: &'static str,
    /// After a month or day whose year no article gives (`1月 (year unknown)`).
    pub year_unknown: &'static str,
    pub grouped_by_hand: &'static str,
    pub timeline: &'static str,
    pub select_project: &'static str,
    pub chart_saved: &'static str,
    pub month_label: &'static str,
    pub col_first_mention: &'static str,
    pub col_last_mention: &'static str,
    // What the annotation store has to say ({path}, {detail}, … are filled in).
    pub notice_folder_read_only: &'static str,
    pub notice_moved: &'static str,
    pub notice_newer_format: &'static str,
    pub notice_unreadable: &'static str,
    pub notice_rescue_restored: &'static str,
    pub notice_open_elsewhere: &'static str,
    pub notice_merged: &'static str,
    pub notice_write_failed: &'static str,
    pub notice_no_backup: &'static str,
    pub notice_backup_newer: &'static str,
    pub notice_backup_unreadable: &'static str,
    pub notice_already_saving: &'static str,
    // Why a document did not load ({detail} is the OS's or decoder's own words).
    pub doc_error_io: &'static str,
    pub doc_error_empty: &'static str,
    pub doc_error_binary: &'static str,
    pub doc_error_too_large: &'static str,
    pub doc_error_undecodable: &'static str,
    pub doc_error_walk: &'static str,
    pub doc_error_docx: &'static str,
    pub doc_error_scanned_pdf: &'static str,
    pub doc_error_encrypted_pdf: &'static str,
    pub doc_error_pdf: &'static str,
    pub doc_error_internal: &'static str,
    // Why a folder did not open.
    pub folder_error_unreadable: &'static str,
    pub folder_error_not_a_folder: &'static str,
    pub folder_error_nothing: &'static str,
    pub could_not_start_loading: &'static str,
    // PolicyLens's own file chooser, and file dialogs.
    pub chooser_open_title: &'static str,
    pub chooser_save_title: &'static str,
    pub chooser_why: &'static str,
    pub chooser_path_label: &'static str,
    pub chooser_path_hint: &'static str,
    pub chooser_path_tip: &'static str,
    pub chooser_open: &'static str,
    pub chooser_save: &'static str,
    pub no_system_dialog: &'static str,
    pub dialog_failed: &'static str,
    pub themes_failed: &'static str,
    // Teaching the extractor: rules from one correction, lexicons.
    pub reject_every: &'static str,
    pub never_extract: &'static str,
    pub always_extract: &'static str,
    pub reject_every_done: &'static str,
    pub never_extract_done: &'static str,
    pub always_extract_done: &'static str,
    pub lexicon_not_saved: &'static str,
    pub lexicon_line_skipped: &'static str,
    pub lexicon_unknown_kind: &'static str,
    pub lexicon_unknown_action: &'static str,
    pub lexicon_empty_text: &'static str,
    pub lexicon_too_few_fields: &'static str,
    pub lexicon_more_skipped: &'static str,
    pub lexicon_applied: &'static str,
    pub lexicon_change_counts: &'static str,
    pub lexicon_change_nothing: &'static str,
    pub lexicon_more_texts: &'static str,
    pub lexicon_change_of: &'static str,
    pub tab_search: &'static str,
    pub search_hint: &'static str,
    pub search_example: &'static str,
    pub search_regex: &'static str,
    pub search_explained: &'static str,
    pub search_summary: &'static str,
    pub search_running: &'static str,
    pub search_limited: &'static str,
    pub search_bad_regex: &'static str,
    pub search_steps: &'static str,
    pub search_articles: &'static str,
    pub find_next: &'static str,
    pub find_previous: &'static str,
    pub search_place: &'static str,
    pub search_steps_short: &'static str,
    pub about: &'static str,
    pub about_tagline: &'static str,
    pub about_storage: &'static str,
    pub about_annotations: &'static str,
    pub about_folder_lexicon: &'static str,
    pub about_user_lexicon: &'static str,
    pub about_settings: &'static str,
    pub about_read_only: &'static str,
    pub about_licences: &'static str,
    pub about_licence_lines: &'static str,
    pub legend: &'static str,
    pub legend_search: &'static str,
    /// Whether place names carry their pinyin (the English UI).
    pub shows_pinyin: bool,
    pub place_search_hint: &'static str,
    pub place_search_label: &'static str,
    pub sort_by_pinyin: &'static str,
    pub menu_tag: &'static str,
    pub menu_reject: &'static str,
    pub menu_unreject: &'static str,
    pub menu_accept: &'static str,
    pub menu_correct_district: &'static str,
    pub menu_copy_text: &'static str,
    pub menu_copy_row: &'static str,
    pub menu_show_in_source: &'static str,
    pub menu_search_for: &'static str,
    pub menu_copy: &'static str,
    pub menu_copy_citation: &'static str,
    pub menu_open_folder_of_file: &'static str,
    pub menu_filter_to_document: &'static str,
    pub menu_copy_path: &'static str,
    pub documents_find: &'static str,
    pub documents_find_hint: &'static str,
    pub documents_order: &'static str,
    pub documents_errors_first: &'static str,
    pub order_file: &'static str,
    pub order_title: &'static str,
    pub order_date: &'static str,
    pub order_items: &'static str,
    pub order_encoding: &'static str,
    pub col_stated_totals: &'static str,
    pub col_stated_totals_tip: &'static str,
    pub export_qdpx: &'static str,
    pub import_tags: &'static str,
    pub tags_imported: &'static str,
    pub tags_not_imported: &'static str,
    // The review queue.
    pub review_queue: &'static str,
    pub review_queue_tip: &'static str,
    pub accepted: &'static str,
    pub reviewed_progress: &'static str,
    // Edit → Lexicon….
    pub lexicon_menu: &'static str,
    pub lexicon_title: &'static str,
    pub lexicon_explained: &'static str,
    pub lexicon_this_folder: &'static str,
    pub lexicon_every_folder: &'static str,
    pub lexicon_user_explained: &'static str,
    pub lexicon_search_hint: &'static str,
    pub import_officials: &'static str,
    pub import_projects: &'static str,
    pub lexicon_action: &'static str,
    pub lexicon_never: &'static str,
    pub lexicon_always: &'static str,
    pub lexicon_entries: &'static str,
    pub lexicon_saved: &'static str,
    pub lexicon_change_undone: &'static str,
    pub lexicon_change_redone: &'static str,
    pub list_imported: &'static str,
    pub list_not_imported: &'static str,
    pub chooser_import_title: &'static str,
    pub chooser_import: &'static str,
}

impl Strings {
    /// The name of an active filter, for the table's summary line.
    pub fn filter_name(&self, filter: crate::table::ActiveFilter) -> &'static str {
        use crate::table::ActiveFilter::*;
        self.filter_names[match filter {
            Kind => 0,
            District => 1,
            Document => 2,
            Month => 3,
            Tag => 4,
            Confidence => 5,
            Text => 6,
            Review => 7,
        }]
    }

    /// What the annotation store has to tell, in this language. The OS's or parser's
    /// own detail is inserted as it comes, once.
    pub fn store_notice(&self, notice: &crate::annotate::store::StoreNotice) -> String {
        use crate::annotate::store::StoreNotice::*;
        let path = |p: &std::path::Path| p.display().to_string();
        match notice {
            FolderReadOnly { saved_in } => self
                .notice_folder_read_only
                .replace("{path}", &path(saved_in)),
            MovedToUserData { saved_in } => self.notice_moved.replace("{path}", &path(saved_in)),
            NewerFormat {
                found,
                supported,
                path: file,
            } => self
                .notice_newer_format
                .replace("{found}", &found.to_string())
                .replace("{supported}", &supported.to_string())
                .replace("{path}", &path(file)),
            Unreadable { detail, path: file } => self
                .notice_unreadable
                .replace("{detail}", detail)
                .replace("{path}", &path(file)),
            RescueRestored { from } => self.notice_rescue_restored.replace("{path}", &path(from)),
            OpenElsewhere { pid } => self
                .notice_open_elsewhere
                .replace("{pid}", &pid.to_string()),
            MergedFromUserData {
                from,
                changes,
                kept,
            } => self
                .notice_merged
                .replace("{path}", &path(from))
                .replace("{changes}", &changes.to_string())
                .replace("{kept}", &path(kept)),
            WriteFailed { detail, path: file } => self
                .notice_write_failed
                .replace("{detail}", detail)
                .replace("{path}", &path(file)),
            NoBackup { path: file } => self.notice_no_backup.replace("{path}", &path(file)),
            BackupNewer { path: file } => self.notice_backup_newer.replace("{path}", &path(file)),
            BackupUnreadable { detail, path: file } => self
                .notice_backup_unreadable
                .replace("{detail}", detail)
                .replace("{path}", &path(file)),
            AlreadySaving => self.notice_already_saving.to_owned(),
        }
    }

    /// Why a document did not load, in this language; the OS's or decoder's own detail
    /// is said once. Problems without a translation keep the core's message.
    pub fn document_error(&self, error: &crate::error::DocumentError) -> String {
        use crate::error::DocumentErrorKind::*;
        let template = match error.kind {
            Io => self.doc_error_io,
            Empty => self.doc_error_empty,
            Binary => self.doc_error_binary,
            TooLarge => self.doc_error_too_large,
            Undecodable => self.doc_error_undecodable,
            Walk => self.doc_error_walk,
            Docx => self.doc_error_docx,
            ScannedPdf => self.doc_error_scanned_pdf,
            EncryptedPdf => self.doc_error_encrypted_pdf,
            Pdf => self.doc_error_pdf,
            Internal => self.doc_error_internal,
            Other => return error.to_string(),
        };
        template.replace("{detail}", error.detail.as_deref().unwrap_or(""))
    }

    /// Why a folder (or a set of dropped files) did not open, in this language: the
    /// core's error found in the chain, else the chain as it is, each cause once.
    pub fn open_error(&self, error: &anyhow::Error) -> String {
        use crate::error::Error;
        let core = error.chain().find_map(|e| e.downcast_ref::<Error>());
        match core {
            Some(Error::FolderUnreadable { source, path }) => self
                .folder_error_unreadable
                .replace("{detail}", &source.to_string())
                .replace("{path}", &path.display().to_string()),
            Some(Error::NotAFolder { path }) => self
                .folder_error_not_a_folder
                .replace("{path}", &path.display().to_string()),
            Some(Error::NothingToOpen) => self.folder_error_nothing.to_owned(),
            _ => crate::error::chain_message(error.as_ref()),
        }
    }

    /// A lexicon's bad lines, said by the first: which line of which file, and why.
    pub fn lexicon_problems(&self, first: &crate::lexicon::LineProblem, count: usize) -> String {
        use crate::lexicon::Problem;
        let detail = match &first.problem {
            Problem::UnknownKind(kind) => self.lexicon_unknown_kind.replace("{0}", kind),
            Problem::UnknownAction(action) => self.lexicon_unknown_action.replace("{0}", action),
            Problem::EmptyText => self.lexicon_empty_text.to_owned(),
            Problem::TooFewFields => self.lexicon_too_few_fields.to_owned(),
            Problem::Unreadable(detail) => detail.clone(),
        };
        let mut message = self
            .lexicon_line_skipped
            .replace("{detail}", &detail)
            .replace("{line}", &first.line.to_string())
            .replace("{path}", &first.path.display().to_string());
        if count > 1 {
            message.push_str(
                &self
                    .lexicon_more_skipped
                    .replace("{more}", &(count - 1).to_string()),
            );
        }
        message
    }

    /// What a changed lexicon did: `“形象工程”: 14 item(s) removed, 0 added in 9 file(s)`.
    /// Up to three texts are named.
    pub fn lexicon_change(&self, change: &crate::pipeline::LexiconChange) -> String {
        const NAMED: usize = 3;
        let texts: Vec<String> = (change.texts.iter().take(NAMED))
            .map(|t| format!("“{t}”"))
            .collect();
        let mut named = texts.join(", ");
        if change.texts.len() > NAMED {
            named.push_str(
                &self
                    .lexicon_more_texts
                    .replace("{more}", &(change.texts.len() - NAMED).to_string()),
            );
        }
        let counts = if change.files.is_empty() {
            self.lexicon_change_nothing.to_owned()
        } else {
            self.lexicon_change_counts
                .replace("{removed}", &change.removed.to_string())
                .replace("{added}", &change.added.to_string())
                .replace("{files}", &change.files.len().to_string())
        };
        if named.is_empty() {
            counts
        } else {
            self.lexicon_change_of
                .replace("{texts}", &named)
                .replace("{counts}", &counts)
        }
    }

    /// A date as the tables show it: as normalised when it has a year (`2023-01-10`),
    /// else month and day the way the articles write them, saying the year is unknown.
    pub fn date<'a>(&self, date: &'a str) -> std::borrow::Cow<'a, str> {
        match crate::insight::yearless_parts(date) {
            Some((month, Some(day))) => format!("{month}月{day}日{}", self.year_unknown).into(),
            Some((month, None)) => format!("{month}月{}", self.year_unknown).into(),
            None => date.into(),
        }
    }

    /// A month for labels and filter chips: `2023-01`, or `1月 (year unknown)`.
    pub fn month(&self, month: crate::insight::Month) -> String {
        match month.year {
            Some(_) => month.label(),
            None => format!("{}月{}", month.month, self.year_unknown),
        }
    }

    /// A month on a chart axis, where space is short: `2023-01`, or `1月`.
    pub fn month_tick(&self, month: crate::insight::Month) -> String {
        match month.year {
            Some(_) => month.label(),
            None => format!("{}月", month.month),
        }
    }

    /// The name of an item kind in the plural, for the filter toggles ("show Amounts").
    pub fn kinds(&self, kind: ItemKind) -> &'static str {
        let english = std::ptr::eq(self, &ENGLISH);
        match (kind, english) {
            (ItemKind::District, true) => "Districts",
            (ItemKind::Official, true) => "Officials",
            (ItemKind::Project, true) => "Projects",
            (ItemKind::Amount, true) => "Amounts",
            (ItemKind::Date, true) => "Dates",
            (ItemKind::City, true) => "Cities/provinces",
            // Chinese nouns have no plural.
            (kind, false) => self.kind(kind),
        }
    }

    /// The name of an item kind.
    pub fn kind(&self, kind: ItemKind) -> &'static str {
        let english = std::ptr::eq(self, &ENGLISH);
        match (kind, english) {
            (ItemKind::District, true) => "District",
            (ItemKind::Official, true) => "Official",
            (ItemKind::Project, true) => "Project",
            (ItemKind::Amount, true) => "Amount",
            (ItemKind::Date, true) => "Date",
            (ItemKind::City, true) => "City/province",
            (ItemKind::District, false) => "区县",
            (ItemKind::Official, false) => "官员",
            (ItemKind::Project, false) => "项目",
            (ItemKind::Amount, false) => "金额",
            (ItemKind::Date, false) => "日期",
            (ItemKind::City, false) => "市/省",
        }
    }
}

mod chinese;
mod english;

pub use chinese::CHINESE;
pub use english::ENGLISH;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{LineProblem, Problem};

    /// A bad lexicon line is said in the analyst's language, with its line and file.
    #[test]
    fn lexicon_problems_are_said_in_both_languages() {
        let problem = LineProblem {
            path: "lexicon.tsv".into(),
            line: 3,
            problem: Problem::UnknownKind("projekt".into()),
        };
        assert_eq!(
            ENGLISH.lexicon_problems(&problem, 2),
            "Lexicon line skipped (unknown kind “projekt”): line 3 of lexicon.tsv (+1 more)"
        );
        assert_eq!(
            CHINESE.lexicon_problems(&problem, 1),
            "已跳过词表中的一行（未知类型“projekt”）：lexicon.tsv 第 3 行"
        );
    }

    /// The banner after a lexicon change names what changed and counts it.
    #[test]
    fn a_lexicon_change_is_counted_in_both_languages() {
        let change = crate::pipeline::LexiconChange {
            texts: vec!["形象工程".into()],
            removed: 14,
            added: 0,
            files: (0..9).map(|i| format!("{i}.txt")).collect(),
        };
        assert_eq!(
            ENGLISH.lexicon_change(&change),
            "“形象工程”: 14 item(s) removed, 0 added in 9 file(s)"
        );
        assert_eq!(
            CHINESE.lexicon_change(&change),
            "“形象工程”：在 9 个文件中移除 14 个条目、新增 0 个"
        );
        let many = crate::pipeline::LexiconChange {
            texts: ["甲", "乙", "丙", "丁", "戊"].map(String::from).to_vec(),
            ..crate::pipeline::LexiconChange::default()
        };
        assert_eq!(
            ENGLISH.lexicon_change(&many),
            "“甲”, “乙”, “丙” and 2 more: no item changed"
        );
    }
}
