//! One panel per file: a small state struct with a `ui` method that draws it and pushes
//! [`Command`](super::command::Command)s for anything that affects the rest of the app.

pub mod charts;
pub mod districts;
pub mod documents;
pub mod inspector;
pub mod items_table;
pub mod loading;
pub mod projects;
pub mod source_view;
pub mod start;
pub mod status_bar;

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
