//! One panel per file: a small state struct with a `ui` method that draws it and pushes
//! [`Command`](super::command::Command)s for anything that affects the rest of the app.

pub mod about;
pub mod charts;
pub mod districts;
pub mod documents;
pub mod file_chooser;
pub mod inspector;
pub mod items_table;
pub mod lexicon_window;
pub mod loading;
pub mod orphans;
pub mod place_picker;
pub mod projects;
pub mod search;
pub mod source_view;
pub mod start;
pub mod status_bar;
pub mod tag_manager;

use std::collections::BTreeSet;

use super::command::Command;
use super::i18n::Strings;
use super::review::Review;
use super::workspace::Workspace;

/// What panels may read, and where they send what they want done.
pub struct PanelContext<'a> {
    pub workspace: &'a Workspace,
    pub review: &'a Review,
    pub strings: &'static Strings,
    pub selection: &'a Selection,
    pub commands: &'a mut Vec<Command>,
}

/// The selected items, the focused one (shown in the source view and the inspector) and
/// the document shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub item: Option<usize>,
    /// Every selected item, the focused one included.
    pub items: BTreeSet<usize>,
    pub document: Option<usize>,
}

/// The kinds a stretch of text can be added as, by hand.
pub const MANUAL_KINDS: [crate::extract::ItemKind; 5] = [
    crate::extract::ItemKind::Project,
    crate::extract::ItemKind::Official,
    crate::extract::ItemKind::District,
    crate::extract::ItemKind::Amount,
    crate::extract::ItemKind::Date,
];

/// *Add as:* and a button per kind that adds characters `range` of `document` as a
/// manual item (the source view's bar and menu, a search match's menu). Whether one
/// was clicked.
pub fn add_as_buttons_ui(
    ui: &mut egui::Ui,
    cx: &mut PanelContext<'_>,
    document: usize,
    range: std::ops::Range<usize>,
    small: bool,
) -> bool {
    ui.weak(cx.strings.add_as);
    let mut clicked = false;
    for kind in MANUAL_KINDS {
        let label = cx.strings.kind(kind);
        let response = if small {
            ui.small_button(label)
        } else {
            ui.button(label)
        };
        if response.clicked() {
            cx.commands.push(Command::AddManualItem {
                document,
                start: range.start,
                end: range.end,
                kind,
            });
            clicked = true;
        }
    }
    clicked
}

/// A table cell of text, cut with … when the column is narrow.
pub fn cell(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(text).truncate().selectable(false));
}

/// A right-aligned table cell for a number.
pub fn number(ui: &mut egui::Ui, text: String) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add(egui::Label::new(text).selectable(false));
    });
}
